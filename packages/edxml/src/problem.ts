/** Text a person reads, in both languages of the system. */
export interface Bilingual {
  readonly vi: string;
  readonly en: string;
}

/**
 * One thing wrong with a package: where (the element path, e.g.
 * `/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/To[2]/OrganId`), which rule, and why.
 */
export interface Problem extends Bilingual {
  readonly path: string;
  readonly rule: RuleId;
}

/** Every rule a package or status message is checked against. */
export const RULES = {
  'well-formed': { vi: 'XML đúng cú pháp', en: 'well-formed XML' },
  'no-dtd': { vi: 'không có DTD hay thực thể', en: 'no DTD or entities' },
  utf8: { vi: 'mã hóa UTF-8', en: 'UTF-8 encoding' },
  limits: { vi: 'giới hạn kích thước', en: 'size limits' },
  base64: { vi: 'tệp đính kèm mã hóa base64', en: 'base64 attachments' },
  schema: { vi: 'lược đồ QCVN 102:2016', en: 'QCVN 102:2016 schema' },
  'agency-code': { vi: 'mã định danh cơ quan', en: 'agency code' },
  date: { vi: 'ngày tháng', en: 'dates' },
  'document-id-unique': { vi: 'mã văn bản không trùng', en: 'unique document ids' },
  'manifest-matches-attachments': { vi: 'danh mục khớp tệp đính kèm', en: 'manifest matches attachments' },
  'status-code-known': { vi: 'mã trạng thái hợp lệ', en: 'known status code' },
  'business-kind-known': { vi: 'loại nghiệp vụ hợp lệ', en: 'known business kind' },
  'business-reason-required': { vi: 'lý do thu hồi, cập nhật, thay thế', en: 'reason for recall, amendment, replacement' },
  'priority-known': { vi: 'độ khẩn hợp lệ', en: 'known urgency' },
  'recipient-unique': { vi: 'nơi nhận không trùng', en: 'unique recipients' },
  'classified-refused': { vi: 'văn bản mật không gửi qua trục', en: 'classified documents stay off the hub' },
  'xml-signature': { vi: 'chữ ký XML của gói tin', en: 'XML signature of the package' },
  'attachment-type': { vi: 'loại tệp đính kèm', en: 'attachment type' },
} as const satisfies Record<string, Bilingual>;

export type RuleId = keyof typeof RULES;

export function problem(path: string, rule: RuleId, vi: string, en: string): Problem {
  return { path, rule, vi, en };
}

/** One line a person can read: path, rule and reason. */
export function describeProblem(p: Problem, lang: 'vi' | 'en'): string {
  return `${p.path}: [${RULES[p.rule][lang]}] ${p[lang]}`;
}
