import type { Bilingual } from './problem.js';

/** Processing statuses a recipient reports back to the sender (QCVN 102:2016 status message). */
export const STATUS_CODES = {
  '01': { name: 'arrived', vi: 'Đã đến hệ thống của nơi nhận', en: 'Arrived at the recipient’s system' },
  '02': { name: 'refused', vi: 'Bị từ chối khi tiếp nhận (hoặc từ chối thu hồi)', en: 'Refused on receipt (or recall refused)' },
  '03': { name: 'registered', vi: 'Đã tiếp nhận và vào sổ (hoặc đồng ý thu hồi)', en: 'Accepted and registered (or recall agreed)' },
  '04': { name: 'assigned', vi: 'Lãnh đạo đã phân công xử lý', en: 'A leader assigned it for handling' },
  '05': { name: 'in_progress', vi: 'Đang xử lý', en: 'Being handled' },
  '06': { name: 'completed', vi: 'Đã hoàn thành', en: 'Completed' },
  '13': { name: 'recall_requested', vi: 'Nơi gửi đề nghị thu hồi', en: 'The sender asks to take it back' },
  '15': { name: 'recall_agreed', vi: 'Đồng ý thu hồi hoặc cập nhật', en: 'Recall or amendment agreed' },
  '16': { name: 'recall_refused', vi: 'Từ chối thu hồi hoặc cập nhật', en: 'Recall or amendment refused' },
} as const satisfies Record<string, Bilingual & { name: string }>;

export type StatusCode = keyof typeof STATUS_CODES;
export type StatusName = (typeof STATUS_CODES)[StatusCode]['name'];

export function isStatusCode(code: string): code is StatusCode {
  return Object.hasOwn(STATUS_CODES, code);
}

export function statusCodeOf(name: StatusName): StatusCode {
  return (Object.keys(STATUS_CODES) as StatusCode[]).find((code) => STATUS_CODES[code].name === name)!;
}
