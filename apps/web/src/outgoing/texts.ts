import { useI18n } from '../i18n';
import type { Classification, OutgoingAction, OutgoingFile, OutgoingState, SameDay } from './model';

/** The outgoing screens' words, Vietnamese first. */
const TEXT = {
  waiting: ['Chờ tôi xử lý', 'Waiting for me'],
  mine: ['Văn bản tôi soạn', 'My drafts'],
  all: ['Toàn cơ quan', 'Whole agency'],
  asked: ['Xin ý kiến', 'Comments asked'],
  sentHub: ['Theo dõi gửi qua trục', 'Sent through the hub'],
  newDraft: ['Soạn văn bản', 'New draft'],
  empty: ['Không có văn bản nào.', 'No documents.'],
  loadMore: ['Xem thêm', 'Load more'],
  back: ['Quay lại', 'Back'],
  documentType: ['Loại văn bản', 'Type'],
  subject: ['Trích yếu', 'Subject'],
  urgency: ['Độ khẩn', 'Urgency'],
  classification: ['Độ mật', 'Classification'],
  signer: ['Người ký', 'Signer'],
  replyDue: ['Hạn trả lời của nơi nhận', 'Answer expected by'],
  recipients: ['Nơi nhận', 'Recipients'],
  recipientsHelp: [
    'Tìm cơ quan trong hệ thống; cơ quan ngoài hệ thống: nhập mã định danh và tên.',
    'Search the agencies of this installation; for one outside, enter its code and name.',
  ],
  outsideCode: ['Mã định danh (ngoài hệ thống)', 'Agency code (outside)'],
  outsideName: ['Tên cơ quan', 'Agency name'],
  add: ['Thêm', 'Add'],
  mainFile: ['Tệp văn bản (Word hoặc PDF)', 'Document file (Word or PDF)'],
  attachment: ['Tệp đính kèm', 'Attachment'],
  upload: ['Tải lên', 'Upload'],
  create: ['Tạo dự thảo', 'Create the draft'],
  saveVersion: ['Lưu phiên bản mới', 'Save a new version'],
  note: ['Ghi chú phiên bản', 'Version note'],
  number: ['Số, ký hiệu', 'Number'],
  state: ['Trạng thái', 'State'],
  updated: ['Cập nhật', 'Updated'],
  files: ['Tệp', 'Files'],
  view: ['Xem', 'View'],
  download: ['Tải về', 'Download'],
  versions: ['Các phiên bản', 'Versions'],
  compare: ['So sánh', 'Compare'],
  field: ['Nội dung', 'Field'],
  unchanged: ['Không có thay đổi.', 'No changes.'],
  chain: ['Trình tự trình ký', 'Approval chain'],
  check: ['Cho ý kiến', 'Check'],
  signStep: ['Ký', 'Sign'],
  history: ['Quá trình xử lý', 'History'],
  reason: ['Ý kiến, lý do', 'Comments'],
  confirm: ['Xác nhận', 'Confirm'],
  signTitle: ['Ký số văn bản', 'Sign the document'],
  signExplain: [
    'Bạn sẽ ký bằng chứng thư số cá nhân đúng tệp PDF hiển thị dưới đây. Mã băm SHA-256 của tệp:',
    'You will sign, with your personal certificate, exactly the PDF shown below. Its SHA-256 digest:',
  ],
  signedOk: ['Đã ký số văn bản.', 'The document is signed.'],
  numberedOk: ['Đã cấp số {code}.', 'Numbered {code}.'],
  issuedOk: ['Đã phát hành văn bản.', 'The document is issued.'],
  issuedDate: ['Ngày ban hành', 'Date of issue'],
  signedAtLabel: ['Ký lúc', 'Signed at'],
  consultations: ['Xin ý kiến góp ý', 'Comments asked'],
  askComments: ['Xin ý kiến', 'Ask for comments'],
  askDepartment: ['Phòng ban', 'Department'],
  askAgency: ['Cơ quan khác', 'Another agency'],
  question: ['Nội dung xin ý kiến', 'Question'],
  due: ['Hạn trả lời', 'Due'],
  answer: ['Ý kiến góp ý', 'Answer'],
  sendAnswer: ['Gửi ý kiến', 'Send the answer'],
  noAnswer: ['Chưa trả lời', 'Not answered yet'],
  draftOf: ['Dự thảo của {agency}', 'Draft of {agency}'],
  version: ['Phiên bản', 'Version'],
  mainPdf: ['Tệp trình ký', 'File to sign'],
  internal: ['Trong hệ thống', 'In this installation'],
  hub: ['Qua trục liên thông', 'Through the hub'],
  noStatus: ['Chưa có phản hồi', 'No answer yet'],
  hub_queued: ['chờ trục nhận', 'waiting for the hub'],
  hub_sent: ['trục đã nhận', 'accepted by the hub'],
  hub_refused: ['trục từ chối', 'refused by the hub'],
  amendOrReplace: ['Sửa đổi / thay thế', 'Amend or replace'],
  amendKind: ['Hình thức', 'Kind'],
  amend: ['Sửa đổi, bổ sung', 'Amend'],
  replace: ['Thay thế', 'Replace'],
  amendReason: ['Lý do', 'Reason'],
  amendsThis: ['{kind} văn bản đã phát hành', '{kind} an issued document'],
  answering: ['Trả lời văn bản số {code} của {sender}', 'Answers document {code} from {sender}'],
  completesIncoming: ['Hoàn thành văn bản đến khi phát hành văn bản này', 'Complete the incoming document when this one is issued'],
  answers: ['Trả lời văn bản đến', 'Answers'],
  recallAsked: ['Đã đề nghị thu hồi lúc {at}', 'Recall asked at {at}'],
} as const;

export type TextKey = keyof typeof TEXT;

const STATES: Record<OutgoingState, [string, string]> = {
  draft: ['Dự thảo', 'Draft'],
  in_review: ['Chờ lãnh đạo phòng duyệt', 'In review'],
  reviewed: ['Đã duyệt, chờ trình ký', 'Reviewed'],
  in_approval: ['Đang trình ký', 'Up for signature'],
  signed: ['Đã ký, chờ cấp số', 'Signed'],
  numbered: ['Đã cấp số, chờ phát hành', 'Numbered'],
  issued: ['Đã phát hành', 'Issued'],
  cancelled: ['Đã hủy', 'Cancelled'],
};

const ACTIONS: Record<OutgoingAction, [string, string]> = {
  save_version: ['Lưu phiên bản', 'Save a version'],
  submit_review: ['Trình lãnh đạo phòng', 'Submit for review'],
  approve_review: ['Duyệt dự thảo', 'Approve the draft'],
  return_review: ['Trả lại để sửa', 'Return for changes'],
  submit_signature: ['Trình ký', 'Submit for signature'],
  approve: ['Đồng ý, trình tiếp', 'Approve'],
  sign: ['Ký số', 'Sign'],
  return_signature: ['Trả lại', 'Return'],
  number: ['Cấp số và đóng dấu', 'Number and seal'],
  issue: ['Phát hành', 'Issue'],
  recall: ['Thu hồi', 'Recall'],
  cancel: ['Hủy dự thảo', 'Cancel the draft'],
};

/** How the timeline names each event. */
const EVENTS: Record<string, [string, string]> = {
  create: ['Tạo dự thảo', 'Draft created'],
  consult: ['Xin ý kiến', 'Comments asked'],
  consultation_answered: ['Có ý kiến góp ý', 'Comments received'],
  recall: ['Đề nghị thu hồi', 'Recall asked'],
};

const SAME_DAY: Record<SameDay, [string, string, string]> = {
  none: ['Ký hôm nay, chờ phát hành', 'Signed today, to issue', 'blue'],
  past_signing_day: ['Quá ngày ký, phát hành ngay sáng nay', 'Past its signing day: issue this morning', 'orange'],
  late: ['Phát hành muộn', 'Issue late', 'red'],
  same_day: ['Phát hành trong ngày', 'Issued the same day', 'green'],
  next_morning: ['Phát hành sáng hôm sau', 'Issued the next morning', 'gold'],
};

const FILE_ROLES: Record<OutgoingFile['role'], [string, string]> = {
  main: ['Dự thảo', 'Draft'],
  pdf: ['Bản PDF để ký', 'PDF to sign'],
  attachment: ['Đính kèm', 'Attachment'],
  signed: ['Bản đã ký', 'Signed'],
  issued: ['Bản phát hành', 'Issued'],
};

const CLASSIFICATIONS: Record<Classification, [string, string]> = {
  none: ['Thường', 'Not classified'],
  confidential: ['Mật', 'Confidential'],
  secret: ['Tối mật', 'Secret'],
  top_secret: ['Tuyệt mật', 'Top secret'],
};

export function useOutgoingText() {
  const { lang } = useI18n();
  const i = lang === 'vi' ? 0 : 1;
  return {
    tx: (key: TextKey, values?: Record<string, string | number>) =>
      TEXT[key][i].replace(/\{(\w+)\}/g, (_, name: string) => String(values?.[name] ?? '')),
    state: (s: OutgoingState) => STATES[s][i],
    action: (a: OutgoingAction) => ACTIONS[a][i],
    event: (e: string) => EVENTS[e]?.[i] ?? (e in ACTIONS ? ACTIONS[e as OutgoingAction][i] : e),
    sameDay: (s: SameDay) => ({ label: SAME_DAY[s][i], color: SAME_DAY[s][2] }),
    classification: (c: Classification) => CLASSIFICATIONS[c][i],
    fileRole: (r: OutgoingFile['role']) => FILE_ROLES[r][i],
  };
}
