import type { Figures } from './report.js';

/** A figure as the exports and the pages name it. */
export interface Column {
  readonly key: keyof Figures;
  readonly vi: string;
  readonly en: string;
}

/** What the summary lists, in order: every figure of a report, named once for the XLSX and the PDF. */
export const SUMMARY_COLUMNS: readonly Column[] = [
  { key: 'received', vi: 'Văn bản đến', en: 'Received' },
  { key: 'receivedHub', vi: 'Đến qua trục liên thông', en: 'Received through the hub' },
  { key: 'receivedInternal', vi: 'Đến trong hệ thống', en: 'Received inside the installation' },
  { key: 'receivedPaper', vi: 'Đến bản giấy', en: 'Received on paper' },
  { key: 'receivedNational', vi: 'Đến qua trục quốc gia (ngoài tỉnh)', en: 'Received through the national axis' },
  { key: 'receivedProvince', vi: 'Đến từ cơ quan trong tỉnh', en: 'Received from inside the province' },
  { key: 'receivedSigned', vi: 'Đến có chữ ký số hợp lệ', en: 'Received with a valid digital signature' },
  { key: 'refused', vi: 'Từ chối tiếp nhận', en: 'Refused' },
  { key: 'withdrawn', vi: 'Bị thu hồi', en: 'Withdrawn' },
  { key: 'onTime', vi: 'Xử lý đúng hạn', en: 'Handled on time' },
  { key: 'late', vi: 'Xử lý quá hạn', en: 'Handled late' },
  { key: 'overdue', vi: 'Đang quá hạn', en: 'Overdue now' },
  { key: 'averageHandlingDays', vi: 'Thời gian xử lý trung bình (ngày, từ khi nhận)', en: 'Average handling time (days from receipt)' },
  { key: 'issued', vi: 'Văn bản đi đã phát hành (có chữ ký số)', en: 'Issued (digitally signed)' },
  { key: 'sentProvince', vi: 'Gửi cơ quan trong tỉnh', en: 'Sent inside the province' },
  { key: 'sentNational', vi: 'Gửi qua trục quốc gia (ngoài tỉnh)', en: 'Sent through the national axis' },
  { key: 'sameDayCompliant', vi: 'Phát hành trong ngày', en: 'Issued the same day' },
  { key: 'sameDayLate', vi: 'Phát hành chậm', en: 'Issued late' },
  { key: 'sameDayPercent', vi: 'Tỷ lệ phát hành trong ngày (%)', en: 'Same-day issue (%)' },
];

/** The narrower set the tables by department, person and agency show. */
export const TABLE_COLUMNS: readonly Column[] = SUMMARY_COLUMNS.filter((c) =>
  ['received', 'onTime', 'late', 'overdue', 'averageHandlingDays', 'issued', 'sameDayPercent'].includes(c.key),
);

/** The province's published figures: exchanged through the national axis and inside the province. */
export const PROVINCE_COLUMNS: readonly Column[] = SUMMARY_COLUMNS.filter((c) =>
  [
    'received',
    'receivedNational',
    'receivedProvince',
    'receivedPaper',
    'issued',
    'sentNational',
    'sentProvince',
    'onTime',
    'late',
    'overdue',
    'sameDayPercent',
  ].includes(c.key),
);

export function cell(figures: Figures, key: keyof Figures): number | string {
  const value = figures[key];
  return value === null ? '–' : value;
}

/** When a report was made, as a reader in Vietnam writes it: 01/12/2026 11:03. */
export function vietnamTime(iso: string): string {
  const local = new Date(new Date(iso).getTime() + 7 * 3_600_000).toISOString();
  return `${local.slice(8, 10)}/${local.slice(5, 7)}/${local.slice(0, 4)} ${local.slice(11, 16)}`;
}
