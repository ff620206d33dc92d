import { useI18n } from '../i18n';

/** The report screens' words, Vietnamese first. */
const TEXT = {
  title: ['Báo cáo, thống kê', 'Reports'],
  agencyTab: ['Cơ quan', 'Agency'],
  provinceTab: ['Toàn tỉnh', 'Province'],
  month: ['Tháng', 'Month'],
  quarter: ['Quý', 'Quarter'],
  year: ['Năm', 'Year'],
  range: ['Khoảng ngày', 'Dates'],
  exportXlsx: ['Xuất Excel', 'Export XLSX'],
  exportPdf: ['Xuất PDF', 'Export PDF'],
  previous: ['Kỳ trước: {value}', 'Previous: {value}'],
  received: ['Văn bản đến', 'Received'],
  receivedHelp: [
    'Văn bản nhận trong kỳ (theo ngày nhận), không tính văn bản đã từ chối hoặc bị thu hồi.',
    'Received in the period (by the day received), refused and withdrawn ones excluded.',
  ],
  hub: ['Qua trục liên thông', 'Through the hub'],
  internal: ['Trong hệ thống', 'Inside the installation'],
  paper: ['Bản giấy', 'On paper'],
  signed: ['Có chữ ký số hợp lệ', 'Validly signed'],
  issued: ['Văn bản đi đã phát hành', 'Issued'],
  issuedHelp: [
    'Phát hành trong kỳ; mọi văn bản phát hành đều có chữ ký số.',
    'Issued in the period; every issued document is digitally signed.',
  ],
  onTime: ['Xử lý đúng hạn', 'Handled on time'],
  late: ['Xử lý quá hạn', 'Handled late'],
  overdue: ['Đang quá hạn', 'Overdue now'],
  open: ['Đang xử lý, trong hạn', 'Open, within time'],
  handlingHelp: [
    'Trong số văn bản đến nhận trong kỳ: hoàn thành đến hết ngày hạn xử lý (hoặc không có hạn) là đúng hạn; sau ngày hạn là quá hạn; đang giao xử lý mà đã qua hạn là đang quá hạn (tính đến hôm nay).',
    'Of the documents received in the period: completed by the end of the due date (or with none) is on time, after it late; being handled past its due date is overdue now.',
  ],
  average: ['Thời gian xử lý trung bình', 'Average handling time'],
  averageHelp: [
    'Số ngày trung bình từ khi nhận văn bản đến khi hoàn thành xử lý, trên các văn bản đã hoàn thành.',
    'Average days from receipt to completion, over the completed documents.',
  ],
  days: ['{value} ngày', '{value} days'],
  sameDay: ['Phát hành trong ngày', 'Same-day issue'],
  sameDayHelp: [
    'QĐ 28/2018/QĐ-TTg: văn bản ký trong kỳ được phát hành trong ngày ký hoặc buổi sáng ngày làm việc kế tiếp là đạt; phát hành muộn hơn, hoặc quá thời hạn đó mà chưa phát hành, là không đạt.',
    'QĐ 28/2018: documents signed in the period and issued the signing day or the next working morning comply; issued later, or not issued past it, do not.',
  ],
  compliant: ['Đạt', 'Compliant'],
  notCompliant: ['Chậm', 'Late'],
  pending: ['Chưa đến hạn', 'Still within time'],
  national: ['Qua trục quốc gia', 'National axis'],
  nationalHelp: [
    'Văn bản gửi, nhận qua trục liên thông với cơ quan KHÔNG có trong danh mục của hệ thống này (ngoài tỉnh).',
    'Exchanged through the hub with agencies NOT in this installation’s directory (outside the province).',
  ],
  inside: ['Trong tỉnh', 'Inside the province'],
  insideHelp: [
    'Văn bản gửi, nhận với cơ quan có trong danh mục của hệ thống: chuyển trực tiếp trong hệ thống, hoặc qua trục với cơ quan trong danh mục.',
    'Exchanged with agencies of this installation: delivered inside, or through the hub with an agency of the directory.',
  ],
  receivedNational: ['Nhận qua trục quốc gia', 'Received, national axis'],
  receivedProvince: ['Nhận trong tỉnh', 'Received, inside'],
  sentNational: ['Gửi qua trục quốc gia', 'Sent, national axis'],
  sentProvince: ['Gửi trong tỉnh', 'Sent, inside'],
  overTime: ['Văn bản đến, đi theo thời gian', 'Received and issued over time'],
  handling: ['Tình hình xử lý văn bản đến', 'Handling of received documents'],
  byDepartment: ['Theo đơn vị', 'By department'],
  byDepartmentHelp: [
    'Văn bản đến: theo đơn vị chủ trì xử lý; văn bản đi: theo đơn vị soạn thảo.',
    'Received: by the lead handler’s department; issued: by the drafting unit.',
  ],
  byPerson: ['Theo cá nhân', 'By person'],
  byPersonHelp: [
    'Văn bản đến: người chủ trì; đã phát hành: người soạn; phát hành trong ngày: người ký.',
    'Received: lead handler; issued: drafter; same-day issue: signer.',
  ],
  byLevel: ['Theo cấp', 'By level'],
  byAgency: ['Theo cơ quan', 'By agency'],
  name: ['Tên', 'Name'],
  agencies: ['Số cơ quan', 'Agencies'],
  mineTab: ['Công việc của tôi', 'My work'],
  mineHelp: [
    'Văn bản đến tôi chủ trì xử lý (nhận trong kỳ), văn bản đi tôi soạn đã phát hành, và văn bản tôi ký (phát hành trong ngày).',
    'Documents I lead (received in the period), drafts of mine issued, and documents I signed (same-day issue).',
  ],
  notAllowed: [
    'Báo cáo của cơ quan dành cho lãnh đạo, lãnh đạo phòng và văn thư; báo cáo toàn tỉnh cho lãnh đạo và quản trị của cơ quan cấp cao nhất.',
    'The agency’s report is for its leaders, department leaders and clerks; the province’s for the top agency’s leaders and administrators.',
  ],
  generatedAt: ['Số liệu lúc {value}', 'Figures as of {value}'],
} as const;

export type ReportTextKey = keyof typeof TEXT;

export function useReportText() {
  const { lang } = useI18n();
  const i = lang === 'vi' ? 0 : 1;
  return {
    lang,
    tx: (key: ReportTextKey, values?: Record<string, string | number>) =>
      TEXT[key][i].replace(/\{(\w+)\}/g, (_, name: string) => String(values?.[name] ?? '')),
  };
}
