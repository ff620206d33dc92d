/** Bounds on what a reader accepts, so hostile input is refused early and memory stays bounded. */
export interface ReadLimits {
  /** Whole document, attachments included. */
  maxBytes: number;
  /** Everything but attachment bodies (the part kept in memory). */
  maxXmlBytes: number;
  maxDepth: number;
  maxElements: number;
  maxAttributeLength: number;
  /** Character data of one element. */
  maxTextLength: number;
  maxAttachments: number;
}

export const DEFAULT_LIMITS: ReadLimits = {
  maxBytes: 1024 * 1024 * 1024,
  maxXmlBytes: 16 * 1024 * 1024,
  maxDepth: 32,
  maxElements: 50_000,
  maxAttributeLength: 4096,
  maxTextLength: 4 * 1024 * 1024,
  maxAttachments: 1000,
};
