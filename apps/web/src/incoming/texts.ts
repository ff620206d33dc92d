import { useI18n } from '../i18n';
import type { IncomingAction, IncomingState, Urgency, Verdict } from './model';

/** The incoming screens' words, Vietnamese first. */
const TEXT = {
  awaiting: ['Chờ tiếp nhận', 'Awaiting'],
  registeredTab: ['Đã vào sổ', 'Registered'],
  toDirect: ['Chờ chỉ đạo', 'To direct'],
  mine: ['Việc của tôi', 'My work'],
  overdue: ['Quá hạn', 'Overdue'],
  all: ['Tất cả', 'All'],
  paper: ['Vào sổ văn bản giấy', 'Register a paper document'],
  sender: ['Nơi gửi', 'Sender'],
  numberNotation: ['Số, ký hiệu', 'Number'],
  issueDate: ['Ngày văn bản', 'Date'],
  subject: ['Trích yếu', 'Subject'],
  received: ['Ngày đến', 'Received'],
  registerNumber: ['Số đến', 'Register no.'],
  state: ['Trạng thái', 'State'],
  due: ['Hạn xử lý', 'Due'],
  urgency: ['Độ khẩn', 'Urgency'],
  register: ['Sổ văn bản đến', 'Incoming register'],
  from: ['Từ ngày', 'From'],
  to: ['Đến ngày', 'To'],
  loadMore: ['Xem thêm', 'Load more'],
  empty: ['Không có văn bản nào.', 'No documents.'],
  searchSender: ['Nơi gửi (tên hoặc mã)', 'Sender (name or code)'],
  documentType: ['Loại văn bản', 'Type'],
  signer: ['Người ký', 'Signed by'],
  replyDue: ['Hạn trả lời (bên gửi)', 'Reply expected by'],
  channel: ['Nguồn', 'Channel'],
  files: ['Tệp đính kèm', 'Files'],
  view: ['Xem', 'View'],
  download: ['Tải về', 'Download'],
  addedByHandler: ['do người xử lý thêm', 'added while handling'],
  signature: ['Chữ ký số', 'Digital signature'],
  direction: ['Ý kiến chỉ đạo', 'Direction'],
  replies: ['Văn bản trả lời', 'Replies'],
  draftReply: ['Soạn văn bản trả lời', 'Draft a reply'],
  directedBy: ['Người chỉ đạo', 'Directed by'],
  handling: ['Phân công xử lý', 'Assignment'],
  lead: ['Xử lý chính', 'Lead'],
  co: ['Phối hợp', 'Co-handlers'],
  info: ['Để biết', 'For information'],
  result: ['Kết quả xử lý', 'Result'],
  timeline: ['Quá trình xử lý', 'Timeline'],
  submittedTo: ['Đã trình', 'Submitted to'],
  returned: ['Bị trả lại', 'Returned'],
  refusedBecause: ['Đã từ chối', 'Refused'],
  duplicate: [
    'Có thể trùng với một văn bản đã vào sổ (cùng nơi gửi, số, ký hiệu, ngày).',
    'Possibly a duplicate of a registered document (same sender, number, notation, date).',
  ],
  forwardedCopy: ['Bản chuyển tiếp từ cơ quan khác trong hệ thống.', 'A copy forwarded by another agency of this installation.'],
  back: ['Danh sách', 'Back to list'],
  reason: ['Lý do', 'Reason'],
  note: ['Nội dung', 'Note'],
  leader: ['Lãnh đạo', 'Leader'],
  dueIn: ['Hạn (ngày làm việc)', 'Due in (working days)'],
  dueDate: ['hoặc ngày cụ thể', 'or on a date'],
  noDue: ['Không đặt hạn', 'No due date'],
  pickPeople: ['Chọn người hoặc phòng ban', 'Choose people or departments'],
  agencyTo: ['Cơ quan nhận', 'Agency'],
  send: ['Gửi', 'Send'],
  cancel: ['Hủy', 'Cancel'],
  done: ['Đã lưu.', 'Saved.'],
  replyDocumentId: ['Mã văn bản trả lời đã gửi (nếu có)', 'DocumentId of the reply sent (if any)'],
  senderAsks: ['Bên gửi đề nghị', 'The sender asks'],
  request_recall: ['thu hồi văn bản', 'to recall the document'],
  request_amend: ['cập nhật văn bản', 'to amend the document'],
  request_replace: ['thay thế văn bản', 'to replace the document'],
  newVersion: ['Xem phiên bản mới', 'See the new version'],
  chooseFile: ['Chọn tệp', 'Choose a file'],
  personLabel: ['người', 'person'],
  departmentLabel: ['phòng', 'department'],
  system: ['Hệ thống', 'System'],
  sentBy: ['Nơi gửi: {sender}', 'From {sender}'],
  sentAt: ['gửi lúc {at}', 'sent at {at}'],
  statusSent: ['gửi trạng thái {code} cho bên gửi', 'status {code} sent to the sender'],
  viewerPage: ['Trang {page}/{pages}', 'Page {page} of {pages}'],
  viewerError: ['Không hiển thị được tệp PDF này.', 'This PDF cannot be shown.'],
} as const satisfies Record<string, readonly [string, string]>;

export type TextKey = keyof typeof TEXT;

const STATES: Record<IncomingState, [string, string]> = {
  awaiting: ['Chờ tiếp nhận', 'Awaiting'],
  refused: ['Đã từ chối', 'Refused'],
  registered: ['Đã vào sổ', 'Registered'],
  submitted: ['Chờ chỉ đạo', 'Submitted'],
  assigned: ['Đã giao xử lý', 'Assigned'],
  in_progress: ['Đang xử lý', 'In progress'],
  completed: ['Hoàn thành', 'Completed'],
  withdrawn: ['Đã thu hồi', 'Withdrawn'],
};

const ACTIONS: Record<IncomingAction, [string, string]> = {
  register: ['Vào sổ', 'Register'],
  refuse: ['Từ chối', 'Refuse'],
  submit: ['Trình lãnh đạo', 'Submit to a leader'],
  return: ['Trả lại văn thư', 'Return to the clerk'],
  assign: ['Chỉ đạo, giao xử lý', 'Direct and assign'],
  report_progress: ['Cập nhật tiến độ', 'Report progress'],
  give_input: ['Cho ý kiến phối hợp', 'Give input'],
  attach_file: ['Đính kèm tệp', 'Attach a file'],
  complete: ['Hoàn thành', 'Complete'],
  reopen: ['Mở lại', 'Reopen'],
  forward: ['Chuyển cơ quan khác', 'Forward to another agency'],
  agree_recall: ['Đồng ý', 'Agree'],
  refuse_recall: ['Không đồng ý', 'Refuse'],
};

/** How the timeline names each event. */
const EVENTS: Record<string, [string, string]> = {
  receive: ['Văn bản đến', 'Arrived'],
  register: ['Vào sổ', 'Registered'],
  refuse: ['Từ chối tiếp nhận', 'Refused'],
  submit: ['Trình lãnh đạo', 'Submitted to a leader'],
  return: ['Trả lại văn thư', 'Returned to the clerk'],
  assign: ['Chỉ đạo, giao xử lý', 'Directed and assigned'],
  report_progress: ['Cập nhật tiến độ', 'Progress'],
  give_input: ['Ý kiến phối hợp', 'Input'],
  attach_file: ['Đính kèm tệp', 'File attached'],
  complete: ['Hoàn thành', 'Completed'],
  reopen: ['Mở lại', 'Reopened'],
  forward: ['Chuyển cơ quan khác', 'Forwarded'],
  agree_recall: ['Đồng ý yêu cầu của bên gửi', 'Sender’s request agreed'],
  refuse_recall: ['Không đồng ý yêu cầu của bên gửi', 'Sender’s request refused'],
  sender_request: ['Bên gửi đề nghị thu hồi/thay thế', 'The sender asks for it back'],
  send: ['Gửi qua trục liên thông', 'Sent through the hub'],
  status_received: ['Bên nhận báo trạng thái', 'Status from a recipient'],
};

const URGENCY: Record<Urgency, [string, string]> = {
  normal: ['Thường', 'Normal'],
  urgent: ['Khẩn', 'Urgent'],
  very_urgent: ['Thượng khẩn', 'Very urgent'],
  express: ['Hỏa tốc', 'Express'],
  express_scheduled: ['Hỏa tốc hẹn giờ', 'Express (scheduled)'],
};

const VERDICT: Record<Verdict, [string, string]> = {
  valid: ['Chữ ký số hợp lệ', 'Signatures valid'],
  invalid: ['Chữ ký số KHÔNG hợp lệ', 'Signatures NOT valid'],
  indeterminate: ['Chưa xác định được chữ ký số', 'Signatures could not be judged'],
};

/** Processing status codes as the sender reads them (STANDARDS.md). */
export const STATUS_CODES: Record<string, [string, string]> = {
  '01': ['Đã đến', 'Arrived'],
  '02': ['Từ chối tiếp nhận', 'Refused'],
  '03': ['Đã tiếp nhận', 'Registered'],
  '04': ['Đã giao xử lý', 'Assigned'],
  '05': ['Đang xử lý', 'Being handled'],
  '06': ['Hoàn thành', 'Completed'],
  '13': ['Đề nghị thu hồi', 'Recall requested'],
  '15': ['Đồng ý thu hồi/cập nhật', 'Recall agreed'],
  '16': ['Từ chối thu hồi/cập nhật', 'Recall refused'],
};

export function useIncomingText() {
  const { lang } = useI18n();
  const i = lang === 'vi' ? 0 : 1;
  return {
    lang,
    tx: (key: TextKey, values?: Record<string, string | number>) =>
      TEXT[key][i].replace(/\{(\w+)\}/g, (_, name: string) => String(values?.[name] ?? '')),
    state: (s: IncomingState) => STATES[s][i],
    action: (a: IncomingAction) => ACTIONS[a][i],
    event: (e: string) => EVENTS[e]?.[i] ?? e,
    urgency: (u: Urgency) => URGENCY[u][i],
    verdict: (v: Verdict) => VERDICT[v][i],
    status: (code: string) => STATUS_CODES[code]?.[i] ?? code,
  };
}

/** dd/mm/yyyy from yyyy-mm-dd, as Vietnamese documents write dates. */
export function dmy(day: string | null): string {
  if (!day) return '';
  const [y, m, d] = day.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

/** dd/mm/yyyy of an instant, as the day is counted in Vietnam. */
export function vnDate(iso: string): string {
  return new Date(iso).toLocaleDateString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' });
}

/** An edXML time (Vietnam's wall clock, `yyyy-mm-ddTHH:mm:ss`) as written in Vietnam. */
export function localTime(local: string): string {
  const [day = '', time = ''] = local.split('T');
  return `${time} ${dmy(day)}`;
}

export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour12: false });
}

export function code(doc: { number: string; notation: string }): string {
  return doc.notation ? `${doc.number}/${doc.notation}` : doc.number;
}
