import { useEffect, useState, type ReactNode } from 'react';
import {
  Alert,
  App as AntApp,
  AutoComplete,
  Button,
  Col,
  Collapse,
  DatePicker,
  Form,
  Input,
  Row,
  Select,
  Space,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useMutation, useQuery } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { api, ApiError, type Bilingual } from '../api';
import { useI18n } from '../i18n';
import { errorText } from '../errors';

/** What the office read from the scan (POST /incoming/paper/prefill). */
interface Prefill {
  source: 'text_layer' | 'ocr';
  text: string;
  suggestion: {
    number?: string;
    notation?: string;
    issueDate?: string;
    senderName?: string;
    senderCode?: string;
    senderParent?: string;
    documentType?: string;
    subject?: string;
    found: Field[];
    inferred: Field[];
  };
}
type Field = 'number' | 'notation' | 'issueDate' | 'senderName' | 'documentType' | 'subject';

interface Registered {
  id: string;
  registerNumber: string;
  registerYear: number;
  possibleDuplicateOf: string | null;
}

interface Register {
  id: string;
  name: string;
  classified: boolean;
}

interface Values {
  senderName: string;
  number: string;
  notation: string;
  issueDate: Dayjs;
  documentType: string;
  subject: string;
  urgency: string;
  replyDue?: Dayjs | null;
  registerId: string;
}

// This screen's texts, Vietnamese first; they can join i18n.tsx's catalogue when the incoming screens are assembled.
const TEXT = {
  chooseScan: { vi: 'Chọn hoặc kéo thả bản quét văn bản giấy vào đây', en: 'Choose or drop the scan of the paper document here' },
  scanTypes: { vi: 'PDF, hoặc ảnh PNG, JPEG, TIFF', en: 'PDF, or a PNG, JPEG or TIFF image' },
  reading: { vi: 'Đang đọc bản quét… (nhận dạng chữ mất vài giây)', en: 'Reading the scan… (text recognition takes a few seconds)' },
  fromTextLayer: {
    vi: 'Thông tin dưới đây được lấy từ nội dung chữ của tệp PDF. Hãy đối chiếu với văn bản và sửa nếu cần.',
    en: 'The details below come from the PDF’s text. Compare them with the document and correct them if needed.',
  },
  fromOcr: {
    vi: 'Thông tin dưới đây được nhận dạng tự động từ ảnh quét và có thể sai. Hãy đối chiếu kỹ với văn bản.',
    en: 'The details below were recognised from the scanned image and may be wrong. Compare them carefully with the document.',
  },
  manual: { vi: 'Không đọc được bản quét; hãy nhập thông tin văn bản.', en: 'The scan could not be read; enter the document’s details.' },
  read: { vi: 'đã đọc', en: 'read' },
  guessed: { vi: 'cần kiểm tra', en: 'check' },
  senderName: { vi: 'Cơ quan gửi', en: 'Sending agency' },
  senderCode: { vi: 'Mã định danh', en: 'Agency code' },
  senderParent: { vi: 'Cơ quan chủ quản', en: 'Governing body' },
  number: { vi: 'Số', en: 'Number' },
  notation: { vi: 'Ký hiệu', en: 'Notation' },
  issueDate: { vi: 'Ngày văn bản', en: 'Document date' },
  documentType: { vi: 'Loại văn bản', en: 'Document type' },
  subject: { vi: 'Trích yếu', en: 'Subject' },
  urgency: { vi: 'Độ khẩn', en: 'Urgency' },
  replyDue: { vi: 'Hạn trả lời', en: 'Reply due' },
  register: { vi: 'Sổ văn bản đến', en: 'Incoming register' },
  classified: { vi: 'mật', en: 'classified' },
  submit: { vi: 'Vào sổ', en: 'Register' },
  otherScan: { vi: 'Chọn bản quét khác', en: 'Choose another scan' },
  extractedText: { vi: 'Nội dung đọc được từ bản quét (để đối chiếu)', en: 'Text read from the scan (to compare)' },
  noText: { vi: '(không có chữ)', en: '(no text)' },
  registered: { vi: 'Đã vào sổ: số đến {n}/{y}.', en: 'Registered: number {n}/{y}.' },
  duplicate: {
    vi: 'Văn bản này có thể trùng với một văn bản đã vào sổ (cùng cơ quan gửi, số, ký hiệu và ngày).',
    en: 'This document may duplicate one already registered (same sender, number, notation and date).',
  },
  required: { vi: 'Bắt buộc', en: 'Required' },
} satisfies Record<string, Bilingual>;

const URGENCIES: { value: string; label: Bilingual }[] = [
  { value: 'normal', label: { vi: 'Thường', en: 'Normal' } },
  { value: 'urgent', label: { vi: 'Khẩn', en: 'Urgent' } },
  { value: 'very_urgent', label: { vi: 'Thượng khẩn', en: 'Very urgent' } },
  { value: 'express', label: { vi: 'Hỏa tốc', en: 'Express' } },
  { value: 'express_scheduled', label: { vi: 'Hỏa tốc hẹn giờ', en: 'Express, scheduled' } },
];

const ACCEPT = '.pdf,.png,.jpg,.jpeg,.tif,.tiff,application/pdf,image/png,image/jpeg,image/tiff';

/**
 * Receiving a paper document: the clerk uploads its scan, the office reads it (the PDF's text or
 * OCR) and pre-fills the form, the clerk checks it against the paper and registers it.
 */
export function PaperRegistration({ agencyId, onRegistered }: { agencyId: string; onRegistered: (id: string) => void }) {
  const { pick } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [scan, setScan] = useState<File | null>(null);
  // The directory's code for the sender read from the scan, kept while the clerk leaves that name as it is.
  const [sender, setSender] = useState<{ name: string; code: string } | null>(null);
  const say = (text: Bilingual, values: Record<string, string> = {}) => pick(text).replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '');

  // The installation's own list; a sender's type not in it (Nghị định, Thông tư…) can still be typed in.
  const documentTypes = useQuery({
    queryKey: ['document-types'],
    queryFn: () => api<{ items: { name: string }[] }>('GET', '/document-types'),
    staleTime: 300_000,
  });
  const registers = useQuery({
    queryKey: ['registers', agencyId, 'incoming'],
    queryFn: () => api<{ items: Register[] }>('GET', `/agencies/${agencyId}/registers?kind=incoming`),
  });

  const prefill = useMutation({
    mutationFn: (file: File) => {
      const body = new FormData();
      body.append('file', file);
      return api<Prefill>('POST', `/agencies/${agencyId}/incoming/paper/prefill`, body);
    },
  });
  const fill = ({ suggestion: s }: Prefill) => {
    form.setFieldsValue({
      senderName: s.senderName ?? '',
      number: s.number ?? '',
      notation: s.notation ?? '',
      documentType: s.documentType ?? '',
      subject: s.subject ?? '',
      ...(s.issueDate ? { issueDate: dayjs(s.issueDate) } : {}),
    });
    setSender(s.senderName && s.senderCode ? { name: s.senderName, code: s.senderCode } : null);
  };

  const defaultRegister = registers.data?.items.find((r) => !r.classified)?.id;
  useEffect(() => {
    if (scan && defaultRegister && !form.getFieldValue('registerId')) form.setFieldValue('registerId', defaultRegister);
  }, [scan, defaultRegister, form]);

  const register = useMutation({
    mutationFn: (v: Values) => {
      const body = new FormData();
      const fields: Record<string, string | undefined> = {
        registerId: v.registerId,
        senderName: v.senderName.trim(),
        senderCode: sender && sender.name === v.senderName.trim() ? sender.code : undefined,
        number: v.number.trim(),
        notation: v.notation.trim(),
        issueDate: v.issueDate.format('YYYY-MM-DD'),
        documentType: v.documentType.trim(),
        subject: v.subject.trim(),
        urgency: v.urgency,
        replyDue: v.replyDue ? v.replyDue.format('YYYY-MM-DD') : undefined,
      };
      // Only the fields that have a value: the server takes ten fields at most.
      for (const [name, value] of Object.entries(fields)) if (value) body.append(name, value);
      body.append('file', scan!);
      return api<Registered>('POST', `/agencies/${agencyId}/incoming/paper`, body);
    },
    onSuccess: (done) => {
      void message.success(say(TEXT.registered, { n: done.registerNumber, y: String(done.registerYear) }));
      if (done.possibleDuplicateOf) void message.warning(pick(TEXT.duplicate), 8);
      onRegistered(done.id);
    },
  });

  const choose = (file: File) => {
    // The form exists only once a scan is chosen.
    if (scan) form.resetFields();
    setScan(file);
    setSender(null);
    register.reset();
    // Callbacks given to mutate() run for the latest scan only, should the clerk choose another while one is read.
    prefill.mutate(file, {
      onSuccess: fill,
      onError: (error) => {
        // Not a scan at all: choose another file. Otherwise the clerk types what could not be read.
        if (error instanceof ApiError && ['unsupported_scan', 'invalid_file', 'payload_too_large'].includes(error.code)) setScan(null);
      },
    });
    return false;
  };

  const suggestion = prefill.data?.suggestion;
  /** The label of a field, marked when its value was read from the scan or only guessed. */
  const label = (field: Field, text: Bilingual): ReactNode => {
    const tag = suggestion?.inferred.includes(field) ? (
      <Tag color="orange">{pick(TEXT.guessed)}</Tag>
    ) : suggestion?.found.includes(field) ? (
      <Tag color={prefill.data?.source === 'ocr' ? 'gold' : 'green'}>{pick(TEXT.read)}</Tag>
    ) : null;
    return (
      <Space size={4}>
        {pick(text)}
        {tag}
      </Space>
    );
  };
  const required = [{ required: true, whitespace: true, message: pick(TEXT.required) }];
  const incomingRegisters = registers.data?.items ?? [];

  if (!scan) {
    return (
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Upload.Dragger accept={ACCEPT} maxCount={1} showUploadList={false} beforeUpload={choose}>
          <Typography.Paragraph strong>{pick(TEXT.chooseScan)}</Typography.Paragraph>
          <Typography.Text type="secondary">{pick(TEXT.scanTypes)}</Typography.Text>
        </Upload.Dragger>
        {prefill.isError && <Alert type="error" showIcon title={errorText(prefill.error, pick)} />}
      </Space>
    );
  }

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Text strong>{scan.name}</Typography.Text>
        <Upload accept={ACCEPT} maxCount={1} showUploadList={false} beforeUpload={choose}>
          <Button size="small">{pick(TEXT.otherScan)}</Button>
        </Upload>
      </Space>
      {prefill.isPending && <Alert type="info" showIcon title={pick(TEXT.reading)} />}
      {prefill.isSuccess && (
        <Alert
          type={prefill.data.source === 'ocr' ? 'warning' : 'info'}
          showIcon
          title={pick(prefill.data.source === 'ocr' ? TEXT.fromOcr : TEXT.fromTextLayer)}
        />
      )}
      {prefill.isError && <Alert type="warning" showIcon title={errorText(prefill.error, pick)} description={pick(TEXT.manual)} />}

      <Form<Values>
        form={form}
        layout="vertical"
        disabled={prefill.isPending}
        initialValues={{ urgency: 'normal', registerId: defaultRegister }}
        onFinish={(values) => register.mutate(values)}
      >
        <Form.Item
          name="senderName"
          label={label('senderName', TEXT.senderName)}
          rules={required}
          extra={[
            sender && `${pick(TEXT.senderCode)}: ${sender.code}`,
            suggestion?.senderParent && `${pick(TEXT.senderParent)}: ${suggestion.senderParent}`,
          ]
            .filter(Boolean)
            .join(' · ')}
        >
          <Input maxLength={500} />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={8} md={5}>
            <Form.Item name="number" label={label('number', TEXT.number)} rules={required}>
              <Input maxLength={20} />
            </Form.Item>
          </Col>
          <Col xs={16} md={10}>
            <Form.Item name="notation" label={label('notation', TEXT.notation)} rules={required}>
              <Input maxLength={100} placeholder="QĐ-UBND" />
            </Form.Item>
          </Col>
          <Col xs={24} md={9}>
            <Form.Item
              name="issueDate"
              label={label('issueDate', TEXT.issueDate)}
              rules={[{ required: true, message: pick(TEXT.required) }]}
            >
              <DatePicker format="DD/MM/YYYY" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="documentType" label={label('documentType', TEXT.documentType)} rules={required}>
          <AutoComplete
            options={documentTypes.data?.items.map((t) => ({ value: t.name })) ?? []}
            filterOption={(input, option) => (option?.value ?? '').toLowerCase().includes(input.toLowerCase())}
          />
        </Form.Item>
        <Form.Item name="subject" label={label('subject', TEXT.subject)} rules={required}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={4000} />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} md={8}>
            <Form.Item name="urgency" label={pick(TEXT.urgency)}>
              <Select options={URGENCIES.map((u) => ({ value: u.value, label: pick(u.label) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="replyDue" label={pick(TEXT.replyDue)}>
              <DatePicker format="DD/MM/YYYY" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="registerId" label={pick(TEXT.register)} rules={[{ required: true, message: pick(TEXT.required) }]}>
              <Select
                loading={registers.isPending}
                options={incomingRegisters.map((r) => ({
                  value: r.id,
                  label: r.classified ? `${r.name} (${pick(TEXT.classified)})` : r.name,
                }))}
              />
            </Form.Item>
          </Col>
        </Row>
        {registers.isError && <Alert type="error" showIcon title={errorText(registers.error, pick)} style={{ marginBottom: 12 }} />}
        {register.isError && <Alert type="error" showIcon title={errorText(register.error, pick)} style={{ marginBottom: 12 }} />}
        {/* Registered once: another registration of the same scan would be a second document. */}
        <Button type="primary" htmlType="submit" loading={register.isPending} disabled={prefill.isPending || register.isSuccess}>
          {pick(TEXT.submit)}
        </Button>
      </Form>

      {prefill.isSuccess && (
        <Collapse
          size="small"
          items={[
            {
              key: 'text',
              label: pick(TEXT.extractedText),
              children: (
                <Typography.Paragraph
                  style={{
                    whiteSpace: 'pre-wrap',
                    fontFamily: "Consolas, 'Courier New', 'Liberation Mono', monospace",
                    fontSize: 12,
                    marginBottom: 0,
                  }}
                >
                  {prefill.data.text.trim() || pick(TEXT.noText)}
                </Typography.Paragraph>
              ),
            },
          ]}
        />
      )}
    </Space>
  );
}
