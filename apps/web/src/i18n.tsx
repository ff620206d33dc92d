import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { ConfigProvider } from 'antd';
import viVN from 'antd/locale/vi_VN';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/vi';
import type { Bilingual, Role } from './api';

export type Lang = 'vi' | 'en';

/** Every label of the interface, Vietnamese first; English is the second locale. */
const messages = {
  appName: ['Quản lý văn bản và hồ sơ công việc', 'Documents and work records'],
  username: ['Tên đăng nhập', 'Username'],
  password: ['Mật khẩu', 'Password'],
  totpCode: ['Mã xác thực hai lớp', 'Two-factor code'],
  login: ['Đăng nhập', 'Log in'],
  logout: ['Đăng xuất', 'Log out'],
  required: ['Bắt buộc', 'Required'],
  incoming: ['Văn bản đến', 'Incoming documents'],
  outgoing: ['Văn bản đi', 'Outgoing documents'],
  dossiers: ['Hồ sơ', 'Dossiers'],
  reports: ['Báo cáo', 'Reports'],
  reportsDashboard: ['Xem báo cáo, thống kê', 'Open the dashboard'],
  administration: ['Quản trị', 'Administration'],
  home: ['Trang chủ', 'Home'],
  account: ['Tài khoản', 'Account'],
  agency: ['Cơ quan', 'Agency'],
  actingFor: ['Đang làm việc tại', 'Working for'],
  language: ['Ngôn ngữ', 'Language'],
  welcome: ['Xin chào', 'Welcome'],
  yourRoles: ['Vai trò của bạn tại các cơ quan', 'Your roles in each agency'],
  department: ['Phòng ban', 'Department'],
  departments: ['Phòng ban', 'Departments'],
  position: ['Chức vụ', 'Position'],
  roles: ['Vai trò', 'Roles'],
  changePassword: ['Đổi mật khẩu', 'Change password'],
  currentPassword: ['Mật khẩu hiện tại', 'Current password'],
  newPassword: ['Mật khẩu mới', 'New password'],
  confirmPassword: ['Nhập lại mật khẩu mới', 'Repeat the new password'],
  passwordsDiffer: ['Hai mật khẩu không giống nhau', 'The two passwords differ'],
  passwordChanged: ['Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc.', 'Password changed. Other sessions have ended.'],
  passwordRule: ['Ít nhất 10 ký tự, gồm chữ và số.', 'At least 10 characters, letters and digits.'],
  twoFactor: ['Xác thực hai lớp', 'Two-factor login'],
  twoFactorOn: ['Đang bật', 'On'],
  twoFactorOff: ['Đang tắt', 'Off'],
  twoFactorSetup: ['Bật xác thực hai lớp', 'Turn on two-factor login'],
  twoFactorSecretHelp: [
    'Thêm khóa sau vào ứng dụng xác thực (Google Authenticator, Microsoft Authenticator…) rồi nhập mã 6 số để xác nhận.',
    'Add this key to an authenticator app, then enter its 6-digit code to confirm.',
  ],
  twoFactorConfirm: ['Xác nhận', 'Confirm'],
  twoFactorDisable: ['Tắt xác thực hai lớp', 'Turn off two-factor login'],
  twoFactorEnabled: ['Đã bật xác thực hai lớp.', 'Two-factor login is on.'],
  twoFactorDisabled: ['Đã tắt xác thực hai lớp.', 'Two-factor login is off.'],
  save: ['Lưu', 'Save'],
  cancel: ['Hủy', 'Cancel'],
  remove: ['Gỡ bỏ', 'Remove'],
  signingTab: ['Chữ ký số', 'Digital signatures'],
  sealImage: ['Ảnh con dấu', 'Seal image'],
  notationAbbreviation: ['Chữ viết tắt trong ký hiệu văn bản', 'Abbreviation in notations'],
  notationAbbreviationHelp: ['Ví dụ UBND, STC: chữ và số, không dấu cách.', 'For example UBND, STC: letters and digits, no spaces.'],
  approvalChain: ['Trình tự trình ký', 'Approval chain'],
  approvalChainHelp: [
    'Các phòng ban mà lãnh đạo phải cho ý kiến về mọi dự thảo, theo thứ tự, trước khi trình người ký (sau khi lãnh đạo phòng soạn thảo đã duyệt).',
    'The departments whose leaders check every draft, in order, before its signer (after the drafting department’s review).',
  ],
  approvalChainEmpty: ['Trình thẳng người ký.', 'Straight to the signer.'],
  addStep: ['Thêm bước', 'Add a step'],
  sealHelp: [
    'Con dấu hiện trên chữ ký số của cơ quan khi phát hành, đè lên một phần ba bên trái chữ ký của người ký. Dùng ảnh PNG nền trong suốt (hoặc JPEG), gần vuông, tối đa 2 MB.',
    'The seal shows on the agency’s digital signature at issue, over the left third of the signer’s signature. Use a PNG with a transparent background (or a JPEG), roughly square, at most 2 MB.',
  ],
  noSeal: [
    'Chưa có ảnh con dấu: chữ ký của cơ quan sẽ hiện một con dấu vẽ sẵn.',
    'No seal image yet: the agency’s signature shows a drawn seal.',
  ],
  chooseSeal: ['Chọn ảnh con dấu', 'Choose a seal image'],
  removeSealConfirm: ['Gỡ ảnh con dấu của cơ quan?', 'Remove the agency’s seal image?'],
  certificates: ['Chứng thư số', 'Certificates'],
  noCertificates: ['Chưa có chứng thư số', 'No certificates'],
  holder: ['Chủ sở hữu', 'Holder'],
  agencyCertificate: ['Cơ quan', 'Agency'],
  issuedBy: ['Tổ chức cấp', 'Issued by'],
  serialNumber: ['Số hiệu', 'Serial number'],
  validUntil: ['Hiệu lực đến', 'Valid until'],
  add: ['Thêm', 'Add'],
  edit: ['Sửa', 'Edit'],
  search: ['Tìm kiếm', 'Search'],
  saved: ['Đã lưu.', 'Saved.'],
  loadMore: ['Xem thêm', 'Load more'],
  agencyTree: ['Cây cơ quan', 'Agency tree'],
  agencyInfo: ['Thông tin', 'Details'],
  agencyCode: ['Mã định danh', 'Agency code'],
  agencyName: ['Tên cơ quan', 'Agency name'],
  shortName: ['Tên viết tắt', 'Short name'],
  level: ['Cấp', 'Level'],
  parentAgency: ['Cơ quan cấp trên', 'Parent agency'],
  addChildAgency: ['Thêm cơ quan trực thuộc', 'Add a subordinate agency'],
  agencyAdded: ['Đã thêm cơ quan.', 'Agency added.'],
  departmentCode: ['Mã phòng ban', 'Department code'],
  departmentName: ['Tên phòng ban', 'Department name'],
  addDepartment: ['Thêm phòng ban', 'Add a department'],
  users: ['Người dùng', 'Users'],
  fullName: ['Họ và tên', 'Full name'],
  email: ['Thư điện tử', 'Email'],
  addUser: ['Thêm người dùng', 'Add a user'],
  addExistingUser: ['Thêm người đã có tài khoản', 'Add an existing account'],
  userAdded: ['Đã thêm người dùng.', 'User added.'],
  locked: ['Bị khóa', 'Locked'],
  unlock: ['Mở khóa', 'Unlock'],
  resetPassword: ['Đặt lại mật khẩu', 'Reset password'],
  removeFromAgency: ['Gỡ khỏi cơ quan', 'Remove from agency'],
  removeConfirm: [
    'Gỡ người dùng này khỏi cơ quan? Tài khoản và lịch sử vẫn được giữ.',
    'Remove this user from the agency? The account and its history stay.',
  ],
  actions: ['Thao tác', 'Actions'],
  csvImport: ['Nhập từ tệp CSV', 'CSV import'],
  importAgencies: ['Nhập danh sách cơ quan', 'Import agencies'],
  importUsers: ['Nhập danh sách người dùng', 'Import users'],
  importColumns: ['Các cột (dòng đầu là tiêu đề, mã hóa UTF-8):', 'Columns (first line is the header, UTF-8):'],
  importAllOrNothing: ['Tệp có dòng lỗi sẽ không được nhập dòng nào.', 'A file with any bad row imports nothing.'],
  chooseFile: ['Chọn tệp CSV', 'Choose a CSV file'],
  imported: ['Đã nhập {n} dòng.', '{n} rows imported.'],
  rejectedRows: ['Các dòng bị từ chối — chưa dòng nào được nhập', 'Rejected rows — nothing was imported'],
  line: ['Dòng', 'Line'],
  field: ['Cột', 'Column'],
  problem: ['Lỗi', 'Problem'],
  noAccess: ['Bạn không có quyền quản trị cơ quan đang làm việc.', 'You do not administer the agency you are working for.'],
  pageNotFound: ['Không tìm thấy trang.', 'Page not found.'],
  back: ['Quay lại', 'Back'],
} satisfies Record<string, [string, string]>;

export type MessageKey = keyof typeof messages;

const ROLE_LABELS: Record<Role, [string, string]> = {
  clerk: ['Văn thư', 'Clerk'],
  officer: ['Chuyên viên', 'Officer'],
  department_leader: ['Lãnh đạo phòng', 'Department leader'],
  agency_leader: ['Lãnh đạo cơ quan', 'Agency leader'],
  administrator: ['Quản trị hệ thống', 'Administrator'],
};

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, values?: Record<string, string | number>) => string;
  role: (role: Role) => string;
  pick: (text: Bilingual) => string;
}

const I18nContext = createContext<I18n | null>(null);
const STORAGE_KEY = 'vanban.lang';

function initialLang(): Lang {
  return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'vi';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const value = useMemo<I18n>(() => {
    const index = lang === 'vi' ? 0 : 1;
    dayjs.locale(lang === 'vi' ? 'vi' : 'en');
    document.documentElement.lang = lang;
    return {
      lang,
      setLang: (next) => {
        localStorage.setItem(STORAGE_KEY, next);
        setLangState(next);
      },
      t: (key, values) => messages[key][index].replace(/\{(\w+)\}/g, (_, name: string) => String(values?.[name] ?? '')),
      role: (role) => ROLE_LABELS[role][index],
      pick: (text) => text[lang],
    };
  }, [lang]);
  return (
    <I18nContext.Provider value={value}>
      <ConfigProvider locale={lang === 'vi' ? viVN : enUS}>{children}</ConfigProvider>
    </I18nContext.Provider>
  );
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
