import { createHash } from 'node:crypto';
import { buildPackageBytes, sniffAttachment, vietnamLocal, type EdxmlPackage } from '@vanban/edxml';
import type { Kysely } from 'kysely';
import type { OfficeSchema } from '../schema.js';
import { signPackageAsAgency, type FileKeyStore } from '../signing/agency-signing.js';

/** A file the package carries: the main document first, then its attachments. */
export interface PackageFile {
  readonly name: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
  /** What the manifest says it is: the document type for the main file, "Phụ lục" and so on for others. */
  readonly description?: string;
}

/** What an agency's document says in its package; the sender's trace, the manifest and the digests are added here. */
export type PackageFields = Omit<EdxmlPackage, 'traces' | 'signature' | 'manifest' | 'attachments'>;

/**
 * Builds an agency's document as an edXML package and signs it with the agency's own certificate
 * (XML-DSig), ready for the outbox: what the hub checks against the `From` agency.
 */
export async function signedDocumentPackage(
  db: Kysely<OfficeSchema>,
  keys: FileKeyStore,
  agencyId: string,
  fields: PackageFields,
  files: readonly PackageFile[],
  now: Date,
): Promise<Buffer> {
  const ids = files.map((f, i) => `${i + 1}-${f.name.replace(/[^A-Za-z0-9._-]/g, '_')}`);
  const pkg: EdxmlPackage = {
    ...fields,
    traces: [{ agencyCode: fields.from.agencyCode, at: vietnamLocal(now) }],
    signature: { kind: 'none' },
    manifest: files.map((f, i) => ({
      contentId: ids[i]!,
      contentType: f.contentType,
      name: f.name,
      ...(f.description ? { description: f.description } : {}),
    })),
    attachments: files.map((f, i) => ({
      contentId: ids[i]!,
      size: f.bytes.length,
      sha256: createHash('sha256').update(f.bytes).digest('hex'),
      sniffed: sniffAttachment(Buffer.from(f.bytes.subarray(0, 8))),
    })),
  };
  const unsigned = await buildPackageBytes(pkg, new Map(files.map((f, i) => [ids[i]!, f.bytes])), 'none');
  return signPackageAsAgency(db, keys, agencyId, unsigned, now);
}
