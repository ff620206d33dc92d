import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A one-page letter, written with object streams (PDF 1.5 style) or a classic cross-reference table. */
export async function letter(objectStreams: boolean, text = 'Cong van so 125/UBND-VP'): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage().drawText(text, { x: 50, y: 700, font, size: 14 });
  return doc.save({ useObjectStreams: objectStreams });
}
