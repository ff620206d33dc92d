import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';

const run = promisify(execFile);
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
  readonly body: readonly string[];
}

const A4: [number, number] = [595.28, 841.89];
// Left column (agency, number) and right column (motto, place and date) between margins of 30 and 15 mm.
const LEFT_CENTRE = 180;
const RIGHT_CENTRE = 415;
const COLUMN = 185;

/** A one-page PDF with a text layer, as an office's word processor would print it. */
export async function paperPdf(doc: PaperDocument): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const regular = await pdf.embedFont(await readFile(FONT), { subset: true });
  const bold = await pdf.embedFont(await readFile(BOLD), { subset: true });
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
  for (const line of doc.body) {
    if (line) page.drawText(line, { x: 85, y, font: regular, size: 13, color: rgb(0, 0, 0) });
    y -= 19;
  }
  return Buffer.from(await pdf.save());
}

/** The same page as a scanner would give it: a PNG at `dpi`, without any text layer. */
export async function scanOf(pdf: Buffer, dpi = 150): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'vanban-paper-scan-'));
  try {
    await writeFile(join(dir, 'in.pdf'), pdf);
    await run('pdftoppm', [
      '-r',
      String(dpi),
      '-png',
      '-gray',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      join(dir, 'in.pdf'),
      join(dir, 'page'),
    ]);
    return await readFile(join(dir, 'page.png'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A decision of the province People's Committee (typed document, number/type-agency notation). */
export const DECISION: PaperDocument = {
  agency: ['ỦY BAN NHÂN DÂN', 'TỈNH BÌNH AN'],
  code: '125/QĐ-UBND',
  placeAndDate: 'Bình An, ngày 05 tháng 3 năm 2026',
  type: 'QUYẾT ĐỊNH',
  subject: ['Về việc phê duyệt Kế hoạch chuyển đổi số', 'của tỉnh Bình An năm 2026'],
  body: [
    'CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BÌNH AN',
    '',
    'Căn cứ Luật Tổ chức chính quyền địa phương',
    'ngày 16 tháng 6 năm 2025;',
    'Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020',
    'của Chính phủ về công tác văn thư;',
    'Theo đề nghị của Giám đốc Sở Khoa học và Công nghệ.',
  ],
};

/** A công văn of a department of the province: its subject under the number, no type line. */
export const LETTER: PaperDocument = {
  parentAgency: 'UBND TỈNH BÌNH AN',
  agency: ['SỞ NỘI VỤ'],
  code: '347/SNV-CCVC',
  subjectUnderNumber: ['V/v báo cáo số lượng công chức,', 'viên chức năm 2025'],
  placeAndDate: 'Bình An, ngày 12 tháng 01 năm 2026',
  body: [
    'Kính gửi: Các sở, ban, ngành tỉnh.',
    '',
    'Thực hiện Kế hoạch công tác năm 2026, Sở Nội vụ đề nghị',
    'các sở, ban, ngành báo cáo số lượng công chức, viên chức',
    'của cơ quan, đơn vị năm 2025.',
  ],
};
