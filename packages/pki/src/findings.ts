/** Why a signature is not valid, or what a reader should know about it, in both languages. */
export const FINDINGS = {
  'no-signature': { vi: 'Tệp không có chữ ký số', en: 'The file carries no digital signature' },
  malformed: { vi: 'Chữ ký số bị hỏng, không đọc được', en: 'The signature is damaged and cannot be read' },
  'unsupported-algorithm': { vi: 'Thuật toán không được hỗ trợ', en: 'Unsupported algorithm' },
  integrity: { vi: 'Nội dung đã bị thay đổi sau khi ký', en: 'The content was changed after signing' },
  'signature-value': {
    vi: 'Giá trị chữ ký không khớp với khóa của chứng thư',
    en: 'The signature value does not match the certificate key',
  },
  'certificate-mismatch': {
    vi: 'Chứng thư số trong chữ ký không phải chứng thư đã ký',
    en: 'The certificate named in the signature is not the one that signed',
  },
  untrusted: {
    vi: 'Chứng thư số không được cấp bởi tổ chức chứng thực tin cậy',
    en: 'The certificate does not chain to a trusted certification authority',
  },
  'chain-signature': { vi: 'Chuỗi chứng thư số có chữ ký sai', en: 'A certificate in the chain has a bad signature' },
  'ca-constraints': {
    vi: 'Chứng thư trung gian không được phép cấp chứng thư',
    en: 'An intermediate certificate may not issue certificates',
  },
  'key-usage': { vi: 'Chứng thư số không dùng để ký văn bản', en: 'The certificate is not meant for signing documents' },
  expired: { vi: 'Chứng thư số đã hết hạn tại thời điểm ký', en: 'The certificate had expired at signing time' },
  'not-yet-valid': { vi: 'Chứng thư số chưa có hiệu lực tại thời điểm ký', en: 'The certificate was not yet valid at signing time' },
  revoked: { vi: 'Chứng thư số đã bị thu hồi trước thời điểm ký', en: 'The certificate was revoked before signing time' },
  'revoked-later': {
    vi: 'Chứng thư số bị thu hồi sau thời điểm ký (chữ ký vẫn có giá trị)',
    en: 'The certificate was revoked after signing time (the signature stands)',
  },
  'revocation-unknown': {
    vi: 'Không kiểm tra được tình trạng thu hồi của chứng thư số',
    en: 'The revocation status of the certificate could not be checked',
  },
  'timestamp-invalid': { vi: 'Dấu thời gian không hợp lệ', en: 'The timestamp is not valid' },
  'later-changes': {
    vi: 'Tệp được bổ sung sau chữ ký này (chỉ thêm chữ ký, nội dung không đổi)',
    en: 'The file was extended after this signature (signatures added only, content unchanged)',
  },
  'later-text': {
    vi: 'Sau chữ ký này, tệp được ghi thêm dòng chữ (như số, ngày ban hành do văn thư ghi); nội dung đã ký không đổi',
    en: 'Lines of text (such as the number and date of issue the clerk writes) were added after this signature; the signed content is unchanged',
  },
  'content-changed-later': {
    vi: 'Tệp bị sửa nội dung sau chữ ký này',
    en: 'The content of the file was modified after this signature',
  },
  'attachment-unsigned': {
    vi: 'Tệp đính kèm không được chữ ký số nào bảo vệ',
    en: 'No digital signature covers this attachment',
  },
} as const;

export type FindingCode = keyof typeof FINDINGS;

export interface Finding {
  code: FindingCode;
  vi: string;
  en: string;
  /** Specifics: which certificate, which reference, what time. */
  detail?: string;
}

export function finding(code: FindingCode, detail?: string): Finding {
  return { code, ...FINDINGS[code], ...(detail === undefined ? {} : { detail }) };
}

/** Findings that only inform: the signature stands with them. */
export const INFORMATIVE: ReadonlySet<FindingCode> = new Set(['revoked-later', 'later-changes', 'later-text']);
/** Findings that leave the verdict open: nothing is known to be wrong, but validity is not proven. */
export const INDETERMINATE: ReadonlySet<FindingCode> = new Set(['revocation-unknown', 'attachment-unsigned']);

export type Verdict = 'valid' | 'invalid' | 'indeterminate';

export function verdictOf(findings: readonly Finding[]): Verdict {
  if (findings.some((f) => !INFORMATIVE.has(f.code) && !INDETERMINATE.has(f.code))) return 'invalid';
  if (findings.some((f) => INDETERMINATE.has(f.code))) return 'indeterminate';
  return 'valid';
}
