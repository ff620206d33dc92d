import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { embedFontFile, wrapped } from '../tools/pdf-text.js';

/** Debian's fonts-dejavu-core: a serif face close to the Times New Roman of real documents, with Vietnamese glyphs. */
const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf';
const BOLD = '/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf';

/** The first page of a paper document, laid out as Nghị định 30/2020 (Phụ lục I) asks. */
export interface PaperDocument {
  /** The governing body above the issuing agency (cơ quan chủ quản), if any. */
  readonly parentAgency?: string;
  /** The issuing agency, in capitals, one entry per printed line. */
  readonly agency: readonly string[];
  /** What follows "Số: ", e.g. 125/QĐ-UBND. */
  readonly code: string;
  /** A công văn's subject under its number ("V/v …"), one entry per printed line. */
  readonly subjectUnderNumber?: readonly string[];
  readonly placeAndDate: string;
  /** The document type line, in capitals (none for a công văn). */
  readonly type?: string;
  /** The subject under the type line, one entry per printed line. */
  readonly subject?: readonly string[];
  /** Paragraphs of the body, one entry per line; a line wider than the page is broken between words. */
  readonly body: readonly string[];
}

const A4: [number, number] = [595.28, 841.89];
// Left column (agency, number) and right column (motto, place and date) between margins of 30 and 15 mm.
const LEFT_CENTRE = 180;
const RIGHT_CENTRE = 415;
const COLUMN = 185;
const BODY_LEFT = 85;
const BODY_WIDTH = A4[0] - 42.5 - BODY_LEFT;

/** A one-page PDF with a text layer, as an office's word processor would print it. */
export async function paperPdf(doc: PaperDocument): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const embed = (file: string) => embedFontFile(pdf, file, 'draw a document page');
  const regular = await embed(FONT);
  const bold = await embed(BOLD);
  const page = pdf.addPage(A4);
  const centred = (text: string, x: number, y: number, font: PDFFont, size: number, width = COLUMN) => {
    // Shrunk to its column, as a clerk would do with a long agency name.
    const fitted = Math.min(size, (size * width) / font.widthOfTextAtSize(text, size));
    page.drawText(text, { x: x - font.widthOfTextAtSize(text, fitted) / 2, y, font, size: fitted, color: rgb(0, 0, 0) });
  };
  const rule = (p: PDFPage, x: number, y: number, width: number) =>
    p.drawLine({ start: { x: x - width / 2, y }, end: { x: x + width / 2, y }, thickness: 0.6 });

  let left = 790;
  if (doc.parentAgency) {
    centred(doc.parentAgency, LEFT_CENTRE, left, regular, 12);
    left -= 16;
  }
  for (const line of doc.agency) {
    centred(line, LEFT_CENTRE, left, bold, 12);
    left -= 16;
  }
  rule(page, LEFT_CENTRE, left + 9, 60);
  left -= 14;

  centred('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', RIGHT_CENTRE, 790, bold, 12, 265);
  centred('Độc lập - Tự do - Hạnh phúc', RIGHT_CENTRE, 774, bold, 13, 265);
  rule(page, RIGHT_CENTRE, 767, 150);

  centred(`Số: ${doc.code}`, LEFT_CENTRE, left, regular, 13);
  centred(doc.placeAndDate, RIGHT_CENTRE, left, regular, 13, 265);
  let y = left - 18;
  for (const line of doc.subjectUnderNumber ?? []) {
    centred(line, LEFT_CENTRE, y, regular, 12);
    y -= 15;
  }
  y -= 30;
  if (doc.type) {
    centred(doc.type, A4[0] / 2 + 20, y, bold, 14, 400);
    y -= 18;
  }
  for (const line of doc.subject ?? []) {
    centred(line, A4[0] / 2 + 20, y, bold, 14, 420);
    y -= 18;
  }
  if (doc.subject?.length) rule(page, A4[0] / 2 + 20, y + 12, 120);
  y -= 26;
  for (const paragraph of doc.body) {
    for (const line of wrapped(paragraph, regular, 13, BODY_WIDTH)) {
      if (line) page.drawText(line, { x: BODY_LEFT, y, font: regular, size: 13, color: rgb(0, 0, 0) });
      y -= 19;
    }
  }
  return Buffer.from(await pdf.save());
}
