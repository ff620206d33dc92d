import { PDFDocument, type PDFImage } from 'pdf-lib';
import pngjs from 'pngjs';

export interface SealImage {
  mediaType: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
}

/** Why an image cannot be a seal, in both languages. */
export class SealImageError extends Error {
  constructor(
    readonly vi: string,
    en: string,
  ) {
    super(en);
  }
}

const MIN_SIDE = 64;
const MAX_SIDE = 4096;
const MAX_RATIO = 3;

function mediaTypeOf(bytes: Uint8Array): SealImage['mediaType'] | null {
  if (bytes.length > 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return null;
}

function wrongSize(width: number, height: number): SealImageError {
  return new SealImageError(
    `Ảnh con dấu ${width}×${height} điểm ảnh; mỗi cạnh cần từ ${MIN_SIDE} đến ${MAX_SIDE}.`,
    `The seal image is ${width}×${height} pixels; each side must be ${MIN_SIDE} to ${MAX_SIDE}.`,
  );
}

/** Embeds a seal image (PNG, with transparency, or JPEG) in a PDF. */
export function embedSealImage(doc: PDFDocument, bytes: Uint8Array): Promise<PDFImage> {
  return mediaTypeOf(bytes) === 'image/png' ? doc.embedPng(bytes) : doc.embedJpg(bytes);
}

/**
 * Checks that an image can stand as an agency's seal in a visible signature: a PNG or JPEG that
 * the PDF writer can embed, of a sensible size. Returns its type and size.
 */
export async function checkSealImage(bytes: Uint8Array): Promise<SealImage> {
  const mediaType = mediaTypeOf(bytes);
  if (!mediaType) throw new SealImageError('Ảnh con dấu phải là tệp PNG hoặc JPEG.', 'The seal image must be a PNG or JPEG file.');
  const unreadable = new SealImageError('Không đọc được ảnh con dấu.', 'The seal image cannot be read.');
  if (mediaType === 'image/png') {
    // pdf-lib's PNG decoder never returns on some damaged files: a full decode with checksums first.
    const side = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    if (side.length < 24) throw unreadable;
    // The header's size before the decode, which would otherwise allocate whatever it claims.
    if (Math.max(side.readUInt32BE(16), side.readUInt32BE(20)) > MAX_SIDE) throw wrongSize(side.readUInt32BE(16), side.readUInt32BE(20));
    try {
      pngjs.PNG.sync.read(side);
    } catch {
      throw unreadable;
    }
  }
  let image: PDFImage;
  try {
    image = await embedSealImage(await PDFDocument.create(), bytes);
  } catch {
    throw unreadable;
  }
  const { width, height } = image;
  if (Math.min(width, height) < MIN_SIDE || Math.max(width, height) > MAX_SIDE) throw wrongSize(width, height);
  if (Math.max(width, height) > MAX_RATIO * Math.min(width, height)) {
    throw new SealImageError(
      `Ảnh con dấu ${width}×${height} quá dẹt; con dấu cần gần vuông.`,
      `The seal image is ${width}×${height}, too elongated; a seal should be roughly square.`,
    );
  }
  return { mediaType, width, height };
}
