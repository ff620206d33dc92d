import { parse } from 'csv-parse/sync';

export interface CsvRow {
  /** Line number in the file, counting the header as line 1. */
  readonly line: number;
  readonly values: Readonly<Record<string, string>>;
}

export type CsvResult = { ok: true; rows: CsvRow[] } | { ok: false; vi: string; en: string };

/**
 * Reads a UTF-8 CSV file with a header line (a byte-order mark is allowed,
 * comma or semicolon separated, as spreadsheet programs write them in Vietnam).
 * The header must hold exactly the expected columns, in any order.
 */
export function readCsv(bytes: Buffer, columns: readonly string[]): CsvResult {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, vi: 'Tệp không phải văn bản UTF-8.', en: 'The file is not UTF-8 text.' };
  }
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.split(';').length > firstLine.split(',').length ? ';' : ',';
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // With `info`, each record comes with the line it ends on; the typings do not say so.
    records = parse(text, {
      bom: true,
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as unknown as typeof records;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { ok: false, vi: `Tệp CSV sai cú pháp: ${reason}`, en: `The CSV file is malformed: ${reason}` };
  }
  const [header, ...body] = records;
  const names = (header?.record ?? []).map((h) => h.trim().toLowerCase());
  const missing = columns.filter((c) => !names.includes(c));
  const extra = names.filter((n) => !columns.includes(n));
  if (missing.length > 0 || extra.length > 0) {
    const expected = columns.join(',');
    return {
      ok: false,
      vi:
        `Dòng tiêu đề phải là: ${expected}` +
        (missing.length ? `; thiếu cột ${missing.join(', ')}` : '') +
        (extra.length ? `; cột lạ ${extra.join(', ')}` : ''),
      en:
        `The header line must be: ${expected}` +
        (missing.length ? `; missing ${missing.join(', ')}` : '') +
        (extra.length ? `; unknown ${extra.join(', ')}` : ''),
    };
  }
  const rows = body.map(({ record, info }) => ({
    line: info.lines,
    values: Object.fromEntries(names.map((name, j) => [name, (record[j] ?? '').trim()])),
  }));
  return { ok: true, rows };
}
