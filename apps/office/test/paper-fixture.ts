import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PaperDocument } from '../src/demo/letter-pdf.js';

// The page is drawn by the product's demo traffic too, so it lives there.
export { paperPdf, type PaperDocument } from '../src/demo/letter-pdf.js';

const run = promisify(execFile);

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
