import { useI18n } from '../i18n';

/** The search screen's words, Vietnamese first. */
const TEXT = {
  placeholder: [
    'Tìm văn bản: trích yếu, số ký hiệu, nơi gửi, người ký, nội dung…',
    'Search documents: subject, number, sender, signer, text…',
  ],
  box: ['Tìm kiếm văn bản', 'Search documents'],
  title: ['Tìm kiếm văn bản', 'Document search'],
  results: ['{count} văn bản', '{count} documents'],
  empty: ['Không tìm thấy văn bản nào.', 'No documents found.'],
  loadMore: ['Xem thêm', 'Load more'],
  filters: ['Bộ lọc', 'Filters'],
  clear: ['Bỏ lọc', 'Clear filters'],
  kind: ['Loại', 'Kind'],
  incoming: ['Văn bản đến', 'Incoming'],
  outgoing: ['Văn bản đi', 'Outgoing'],
  year: ['Năm', 'Year'],
  documentType: ['Loại văn bản', 'Document type'],
  urgency: ['Độ khẩn', 'Urgency'],
  state: ['Trạng thái', 'State'],
  channel: ['Nguồn đến', 'Received through'],
  from: ['Từ ngày', 'From'],
  to: ['Đến ngày', 'To'],
  sender: ['Nơi gửi', 'From'],
  recipients: ['Nơi nhận', 'To'],
  signer: ['Người ký', 'Signed by'],
  inText: ['Trong nội dung', 'In the text'],
  hub: ['Trục liên thông', 'Hub'],
  internal: ['Trong hệ thống', 'Internal'],
  paper: ['Văn bản giấy', 'Paper'],
} as const;

export type SearchTextKey = keyof typeof TEXT;

export function useSearchText() {
  const { lang } = useI18n();
  const i = lang === 'vi' ? 0 : 1;
  return {
    tx: (key: SearchTextKey, values?: Record<string, string | number>) =>
      TEXT[key][i].replace(/\{(\w+)\}/g, (_, name: string) => String(values?.[name] ?? '')),
  };
}
