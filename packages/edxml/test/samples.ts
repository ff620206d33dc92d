import { createHash } from 'node:crypto';
import type { EdxmlPackage, StatusMessage } from '../src/index.js';

export function digest(contentId: string, bytes: Uint8Array) {
  const head = Buffer.from(bytes.subarray(0, 5)).toString('latin1');
  return {
    contentId,
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    sniffed:
      head === '%PDF-'
        ? ('pdf' as const)
        : bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3
          ? ('zip' as const)
          : ('other' as const),
  };
}

export const PDF = Buffer.from('%PDF-1.7\n% Công văn mẫu\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'utf8');
export const APPENDIX = Buffer.from('Phụ lục: danh sách đơn vị\n'.repeat(50), 'utf8');

/** A Công văn from the provincial People's Committee to two departments, with two files. */
export function samplePackage(): EdxmlPackage {
  return {
    from: {
      agencyCode: '000.00.00.H99',
      organizationInCharge: 'Ủy ban nhân dân tỉnh Bình An',
      name: 'Văn phòng Ủy ban nhân dân tỉnh',
      address: '1 đường Trần Hưng Đạo, thành phố Bình An',
      email: 'vanthu@binhan.gov.vn',
      telephone: '0263 3822 111',
    },
    to: [
      { agencyCode: '000.00.04.H99', name: 'Sở Tài chính' },
      { agencyCode: '000.00.09.H99', name: 'Sở Y tế' },
    ],
    documentId: '000.00.00.H99,2026/11/20,125/UBND-VP',
    number: '125',
    notation: 'UBND-VP',
    issuePlace: 'Bình An',
    issueDate: '2026-11-20',
    documentTypeCode: '2',
    documentTypeName: 'Công văn',
    subject: 'Về việc triển khai gửi, nhận văn bản điện tử & báo cáo <tháng 11>',
    content: 'Đề nghị các sở\nthực hiện.',
    signer: { competence: 'KT. CHỦ TỊCH', position: 'PHÓ CHỦ TỊCH', fullName: 'Nguyễn Văn An' },
    dueDate: '2026-12-05',
    recipientsText: ['Như trên;', 'Lưu: VT, VP.'],
    urgency: 'urgent',
    typistNotation: 'VP.05b',
    copies: 3,
    pages: 2,
    appendixes: ['Phụ lục I'],
    responseFor: [
      { agencyCode: '000.00.04.H99', code: '88/STC-NS', issueDate: '2026-11-02', documentId: 'e2c4a0c8-1d0b-4c43-9d65-0d2b71d1b001' },
    ],
    steeringType: '0',
    traces: [{ agencyCode: '000.00.00.H99', at: '2026-11-20T15:04:05' }],
    business: {
      kind: 'new',
      paperCopyFollows: false,
      staff: { department: 'Văn phòng', name: 'Phan Ngọc Nam', email: 'vt.ubnd@binhan.gov.vn' },
    },
    signature: { kind: 'none' },
    manifest: [
      { contentId: 'cv125.pdf', contentType: 'application/pdf', name: '125-UBND-VP.pdf', description: 'Công văn' },
      { contentId: 'pl1.txt', contentType: 'text/plain', name: 'Phụ lục I.txt' },
    ],
    attachments: [digest('cv125.pdf', PDF), digest('pl1.txt', APPENDIX)],
  };
}

export const SAMPLE_FILES = new Map<string, Uint8Array>([
  ['cv125.pdf', PDF],
  ['pl1.txt', APPENDIX],
]);

export function sampleStatus(): StatusMessage {
  return {
    responseFor: {
      agencyCode: '000.00.00.H99',
      code: '125/UBND-VP',
      issueDate: '2026-11-20',
      documentId: '000.00.00.H99,2026/11/20,125/UBND-VP',
    },
    from: { agencyCode: '000.00.04.H99', name: 'Sở Tài chính', organizationInCharge: 'Ủy ban nhân dân tỉnh Bình An' },
    status: '03',
    description: 'Đã vào sổ văn bản đến số 1024',
    at: '2026-11-20T16:30:00',
    staff: { department: 'Văn phòng Sở', name: 'Trần Thị Bình' },
  };
}
