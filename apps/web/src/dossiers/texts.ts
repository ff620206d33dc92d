import { useI18n } from '../i18n';
import type { DossierAction, DossierState } from './model';

/** The dossier screens' words, Vietnamese first. */
const TEXT = {
  title: ['Hồ sơ công việc', 'Dossiers'],
  plan: ['Danh mục hồ sơ', 'File plan'],
  mine: ['Hồ sơ của tôi', 'My dossiers'],
  all: ['Toàn cơ quan', 'Whole agency'],
  toTransfer: ['Nộp lưu', 'Transfer to archive'],
  appraisal: ['Hết thời hạn bảo quản', 'Due for appraisal'],
  year: ['Năm', 'Year'],
  code: ['Mã hồ sơ', 'Code'],
  entryTitle: ['Tiêu đề hồ sơ', 'Title'],
  heading: ['Đề mục', 'Heading'],
  retention: ['Thời hạn bảo quản', 'Retention'],
  permanent: ['Vĩnh viễn', 'Permanent'],
  years: ['{n} năm', '{n} years'],
  department: ['Đơn vị chịu trách nhiệm', 'Responsible unit'],
  note: ['Ghi chú', 'Note'],
  addEntry: ['Thêm mục', 'Add an entry'],
  edit: ['Sửa', 'Edit'],
  copyPlan: ['Sao chép danh mục năm trước', 'Copy last year’s plan'],
  copied: ['Đã sao chép {n} mục.', '{n} entries copied.'],
  open: ['Lập hồ sơ', 'Open a dossier'],
  startDate: ['Ngày bắt đầu', 'Start date'],
  endDate: ['Ngày kết thúc', 'End date'],
  pageCount: ['Số tờ', 'Pages'],
  documentCount: ['Số văn bản', 'Documents'],
  responsible: ['Người lập hồ sơ', 'Responsible'],
  openedBy: ['Người mở', 'Opened by'],
  dossiers: ['Hồ sơ đã lập', 'Dossiers opened'],
  empty: ['Chưa có hồ sơ nào.', 'No dossiers.'],
  emptyPlan: ['Danh mục năm này chưa có mục nào.', 'This year’s plan has no entries.'],
  loadMore: ['Xem thêm', 'Load more'],
  back: ['Quay lại', 'Back'],
  contents: ['Văn bản, tài liệu trong hồ sơ', 'Contents'],
  upload: ['Thêm tệp', 'Add a file'],
  remove: ['Bỏ ra', 'Remove'],
  close: ['Kết thúc hồ sơ', 'Close the dossier'],
  reopen: ['Mở lại hồ sơ', 'Reopen'],
  reason: ['Lý do', 'Reason'],
  timeline: ['Lịch sử', 'History'],
  deadline: ['Hạn nộp lưu', 'Transfer by'],
  transferSelected: ['Nộp lưu các hồ sơ đã chọn', 'Transfer the selected dossiers'],
  transferred: ['Đã nộp lưu. Gói: {name}', 'Transferred. Package: {name}'],
  transfers: ['Các lần nộp lưu', 'Transfers'],
  dossierCount: ['{n} hồ sơ', '{n} dossiers'],
  download: ['Tải gói nộp lưu', 'Download the package'],
  packageSha: ['SHA-256 của gói', 'Package SHA-256'],
  keepUntil: ['Bảo quản đến hết năm', 'Kept to the end of'],
  decide: ['Quyết định', 'Decide'],
  keep: ['Giữ lại thêm', 'Keep longer'],
  destroy: ['Hủy', 'Destroy'],
  extraYears: ['Số năm giữ thêm', 'More years'],
  legalBasis: ['Căn cứ pháp lý (quyết định, văn bản)', 'Legal basis (decision, document)'],
  decisions: ['Quyết định thẩm định', 'Appraisal decisions'],
  fileInto: ['Đưa vào hồ sơ', 'File into dossier'],
  inDossiers: ['Thuộc hồ sơ', 'In dossiers'],
  chooseDossier: ['Chọn hồ sơ đang mở', 'Choose an open dossier'],
  noOpenDossier: ['Bạn chưa có hồ sơ nào đang mở: lập hồ sơ từ danh mục.', 'You have no open dossier: open one from the file plan.'],
  filed: ['Đã đưa vào hồ sơ.', 'Filed.'],
  save: ['Lưu', 'Save'],
  incoming: ['Văn bản đến', 'Incoming'],
  outgoing: ['Văn bản đi', 'Outgoing'],
  file: ['Tệp', 'File'],
  transferInfo: ['Nộp lưu ngày {at} bởi {by}', 'Transferred on {at} by {by}'],
} satisfies Record<string, [string, string]>;
export type TextKey = keyof typeof TEXT;

const STATES: Record<DossierState, [string, string, string]> = {
  open: ['Đang lập', 'Open', 'blue'],
  closed: ['Đã kết thúc', 'Closed', 'orange'],
  transferred: ['Đã nộp lưu', 'Transferred', 'green'],
  destroyed: ['Đã hủy', 'Destroyed', 'default'],
};

const EVENTS: Record<string, [string, string]> = {
  opened: ['Lập hồ sơ', 'Opened'],
  document_filed: ['Đưa văn bản vào hồ sơ', 'Document filed'],
  file_filed: ['Thêm tệp', 'File added'],
  item_removed: ['Bỏ ra khỏi hồ sơ', 'Item removed'],
  closed: ['Kết thúc hồ sơ', 'Closed'],
  reopened: ['Mở lại hồ sơ', 'Reopened'],
  transferred: ['Nộp lưu', 'Transferred'],
  kept_longer: ['Quyết định giữ lại thêm', 'Kept longer'],
  destroyed: ['Quyết định hủy', 'Destroyed'],
};

const ACTIONS: Record<DossierAction, [string, string]> = {
  file: ['Đưa vào hồ sơ', 'File'],
  remove: ['Bỏ ra', 'Remove'],
  close: ['Kết thúc hồ sơ', 'Close'],
  reopen: ['Mở lại hồ sơ', 'Reopen'],
  transfer: ['Nộp lưu', 'Transfer'],
  appraise: ['Quyết định thẩm định', 'Appraise'],
};

export function useDossierText() {
  const { lang } = useI18n();
  const i = lang === 'vi' ? 0 : 1;
  return {
    tx: (key: TextKey, values?: Record<string, string | number>) =>
      TEXT[key][i].replace(/\{(\w+)\}/g, (_, name: string) => String(values?.[name] ?? '')),
    state: (s: DossierState) => ({ label: STATES[s][i], color: STATES[s][2] }),
    event: (e: string) => EVENTS[e]?.[i] ?? e,
    action: (a: DossierAction) => ACTIONS[a][i],
    retention: (years: number | null) => (years === null ? TEXT.permanent[i] : TEXT.years[i].replace('{n}', String(years))),
  };
}
