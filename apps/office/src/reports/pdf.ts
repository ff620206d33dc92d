import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { embedFontFile, wrapped } from '../tools/pdf-text.js';
import { cell, PROVINCE_COLUMNS, SUMMARY_COLUMNS, TABLE_COLUMNS, vietnamTime, type Column } from './columns.js';
import type { AgencyReport, Figures, ProvinceReport } from './report.js';

/** Debian's fonts-dejavu-core, as the signature stamps use: it has every Vietnamese glyph. */
const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const BOLD = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';
/** A4 landscape: the tables by agency are wide. */
const PAGE: [number, number] = [841.89, 595.28];
const MARGIN = 36;
const SIZE = 8;
const LINE = 11;

/** A table: the first columns name the row (fixed widths, read from the left), the others are figures sharing the rest. */
interface Table {
  readonly caption: string;
  readonly first: readonly { readonly label: string; readonly width: number }[];
  readonly figures: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** Rows named by their first cells, with the figures of `columns`. */
function figureRows(columns: readonly Column[], rows: readonly { readonly cells: readonly string[]; readonly figures: Figures }[]) {
  return rows.map((r) => [...r.cells, ...columns.map((c) => String(cell(r.figures, c.key)))]);
}

/** Cut to fit its cell, with an ellipsis: a long agency name must not run into the figures. */
function fitted(text: string, font: PDFFont, width: number): string {
  if (font.widthOfTextAtSize(text, SIZE) <= width) return text;
  let cut = text;
  while (cut.length > 1 && font.widthOfTextAtSize(`${cut}…`, SIZE) > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}

class Writer {
  private page!: PDFPage;
  private y = 0;
  constructor(
    private readonly pdf: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.newPage();
  }

  private newPage() {
    this.page = this.pdf.addPage(PAGE);
    this.y = PAGE[1] - MARGIN;
  }

  private room(height: number) {
    if (this.y - height < MARGIN) this.newPage();
  }

  text(text: string, options: { bold?: boolean; size?: number; x?: number } = {}) {
    const size = options.size ?? SIZE;
    this.room(size + 4);
    this.page.drawText(text, {
      x: options.x ?? MARGIN,
      y: this.y - size,
      size,
      font: options.bold ? this.bold : this.regular,
      color: rgb(0, 0, 0),
    });
    this.y -= size + 5;
  }

  gap(height = 8) {
    this.y -= height;
  }

  table(t: Table) {
    const fixed = t.first.reduce((s, f) => s + f.width, 0);
    const width = Math.min(90, (PAGE[0] - 2 * MARGIN - fixed) / t.figures.length);
    const heads = [
      ...t.first.map((f) => ({ lines: wrapped(f.label, this.bold, SIZE, f.width - 4), width: f.width })),
      ...t.figures.map((label) => ({ lines: wrapped(label, this.bold, SIZE, width - 4), width })),
    ];
    const headHeight = Math.max(...heads.map((h) => h.lines.length)) * LINE + 4;
    const header = () => {
      this.room(headHeight + LINE);
      let x = MARGIN;
      for (const h of heads) {
        h.lines.forEach((line, i) => this.page.drawText(line, { x: x + 2, y: this.y - (i + 1) * LINE + 2, size: SIZE, font: this.bold }));
        x += h.width;
      }
      this.y -= headHeight;
      this.page.drawLine({ start: { x: MARGIN, y: this.y + 2 }, end: { x: PAGE[0] - MARGIN, y: this.y + 2 }, thickness: 0.5 });
    };
    this.text(t.caption, { bold: true, size: 10 });
    header();
    for (const row of t.rows) {
      if (this.y - LINE < MARGIN) {
        this.newPage();
        header();
      }
      let x = MARGIN;
      row.forEach((value, i) => {
        const w = heads[i]!.width;
        const shown = fitted(value, this.regular, w - 4);
        // Names read from the left, figures line up on the right.
        const left = i < t.first.length ? x + 2 : x + w - 2 - this.regular.widthOfTextAtSize(shown, SIZE);
        this.page.drawText(shown, { x: left, y: this.y - LINE + 2, size: SIZE, font: this.regular });
        x += w;
      });
      this.y -= LINE;
    }
    this.gap();
  }
}

async function document(heading: readonly string[], totals: Figures, previous: Figures, tables: readonly Table[]): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const embed = (file: string) => embedFontFile(pdf, file, 'write a report PDF');
  const writer = new Writer(pdf, await embed(FONT), await embed(BOLD));
  heading.forEach((line, i) => writer.text(line, { bold: i === 0, size: i === 0 ? 14 : 10 }));
  writer.gap();
  writer.table({
    caption: 'Tổng hợp',
    first: [{ label: 'Chỉ tiêu', width: 300 }],
    figures: ['Kỳ báo cáo', 'Kỳ trước'],
    rows: SUMMARY_COLUMNS.map((c) => [c.vi, String(cell(totals, c.key)), String(cell(previous, c.key))]),
  });
  for (const t of tables) writer.table(t);
  return Buffer.from(await pdf.save());
}

const heads = (columns: readonly Column[]) => columns.map((c) => c.vi);

export function agencyReportPdf(report: AgencyReport): Promise<Buffer> {
  const rows = (list: AgencyReport['byDepartment']) =>
    figureRows(
      TABLE_COLUMNS,
      list.map((r) => ({ cells: [r.name], figures: r })),
    );
  return document(
    [`Báo cáo văn bản – ${report.agency.name}`, `Kỳ báo cáo: ${report.period.labelVi}`, `Lập lúc: ${vietnamTime(report.generatedAt)}`],
    report.totals,
    report.previous,
    [
      { caption: 'Theo đơn vị', first: [{ label: 'Đơn vị', width: 220 }], figures: heads(TABLE_COLUMNS), rows: rows(report.byDepartment) },
      { caption: 'Theo cá nhân', first: [{ label: 'Cá nhân', width: 220 }], figures: heads(TABLE_COLUMNS), rows: rows(report.byPerson) },
    ],
  );
}

export function provinceReportPdf(report: ProvinceReport, installation: string): Promise<Buffer> {
  return document(
    [`Báo cáo văn bản toàn tỉnh – ${installation}`, `Kỳ báo cáo: ${report.period.labelVi}`, `Lập lúc: ${vietnamTime(report.generatedAt)}`],
    report.totals,
    report.previous,
    [
      {
        caption: 'Theo cấp',
        first: [
          { label: 'Cấp', width: 150 },
          { label: 'Số cơ quan', width: 50 },
        ],
        figures: heads(PROVINCE_COLUMNS),
        rows: figureRows(
          PROVINCE_COLUMNS,
          report.byLevel.map((r) => ({ cells: [r.name, String(r.agencies)], figures: r })),
        ),
      },
      {
        caption: 'Theo cơ quan',
        first: [
          { label: 'Cơ quan', width: 200 },
          { label: 'Mã định danh', width: 80 },
        ],
        figures: heads(PROVINCE_COLUMNS),
        rows: figureRows(
          PROVINCE_COLUMNS,
          report.byAgency.map((r) => ({ cells: [r.name, r.code], figures: r })),
        ),
      },
    ],
  );
}
