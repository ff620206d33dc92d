import ExcelJS from 'exceljs';
import { cell, PROVINCE_COLUMNS, SUMMARY_COLUMNS, TABLE_COLUMNS, vietnamTime, type Column } from './columns.js';
import type { AgencyReport, Figures, ProvinceReport } from './report.js';

function title(sheet: ExcelJS.Worksheet, lines: readonly string[]) {
  for (const line of lines) sheet.addRow([line]);
  sheet.getRow(1).font = { bold: true, size: 14 };
  sheet.addRow([]);
}

function summarySheet(book: ExcelJS.Workbook, heading: readonly string[], totals: Figures, previous: Figures) {
  const sheet = book.addWorksheet('Tổng hợp');
  title(sheet, heading);
  const header = sheet.addRow(['Chỉ tiêu', 'Kỳ báo cáo', 'Kỳ trước']);
  header.font = { bold: true };
  for (const c of SUMMARY_COLUMNS) sheet.addRow([c.vi, cell(totals, c.key), cell(previous, c.key)]);
  sheet.getColumn(1).width = 48;
  sheet.getColumn(2).width = 14;
  sheet.getColumn(3).width = 14;
}

function tableSheet(
  book: ExcelJS.Workbook,
  name: string,
  heading: readonly string[],
  first: readonly string[],
  columns: readonly Column[],
  rows: readonly { cells: readonly (string | number)[]; figures: Figures }[],
) {
  const sheet = book.addWorksheet(name);
  title(sheet, heading);
  sheet.addRow([...first, ...columns.map((c) => c.vi)]).font = { bold: true };
  for (const r of rows) sheet.addRow([...r.cells, ...columns.map((c) => cell(r.figures, c.key))]);
  sheet.getColumn(1).width = 40;
}

export async function agencyReportXlsx(report: AgencyReport): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.created = new Date(report.generatedAt);
  const heading = [
    `Báo cáo văn bản – ${report.agency.name}`,
    `Kỳ báo cáo: ${report.period.labelVi}`,
    `Lập lúc: ${vietnamTime(report.generatedAt)}`,
  ];
  summarySheet(book, heading, report.totals, report.previous);
  const rows = (list: AgencyReport['byDepartment']) => list.map((r) => ({ cells: [r.name], figures: r }));
  tableSheet(book, 'Theo đơn vị', heading, ['Đơn vị'], TABLE_COLUMNS, rows(report.byDepartment));
  tableSheet(book, 'Theo cá nhân', heading, ['Cá nhân'], TABLE_COLUMNS, rows(report.byPerson));
  return Buffer.from(await book.xlsx.writeBuffer());
}

export async function provinceReportXlsx(report: ProvinceReport, installation: string): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.created = new Date(report.generatedAt);
  const heading = [
    `Báo cáo văn bản toàn tỉnh – ${installation}`,
    `Kỳ báo cáo: ${report.period.labelVi}`,
    `Lập lúc: ${vietnamTime(report.generatedAt)}`,
  ];
  summarySheet(book, heading, report.totals, report.previous);
  tableSheet(
    book,
    'Theo cấp',
    heading,
    ['Cấp', 'Số cơ quan'],
    PROVINCE_COLUMNS,
    report.byLevel.map((r) => ({ cells: [r.name, r.agencies], figures: r })),
  );
  tableSheet(
    book,
    'Theo cơ quan',
    heading,
    ['Cơ quan', 'Mã định danh'],
    PROVINCE_COLUMNS,
    report.byAgency.map((r) => ({ cells: [r.name, r.code], figures: r })),
  );
  return Buffer.from(await book.xlsx.writeBuffer());
}
