import { useEffect, useState } from 'react';
import { Alert, App, Button, Checkbox, DatePicker, Form, Input, Radio, Select, Space, Tag, Upload } from 'antd';
import { useQuery } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { api, query, type Agency, type Me, type Page } from '../api';
import { errorText } from '../errors';
import { useI18n } from '../i18n';
import { useAssignable, useIncoming, type Urgency } from '../incoming/model';
import { useIncomingText } from '../incoming/texts';
import { useCreateDraft, useDocumentTypes, useSaveDraft, useUploadDraftFile, type Classification, type OutgoingDetail } from './model';
import { useOutgoingText } from './texts';

interface Recipient {
  code: string;
  name: string;
}

interface Values {
  documentTypeId: string;
  subject: string;
  urgency: Urgency;
  classification: Classification;
  signerId?: string;
  replyDue?: Dayjs;
  note?: string;
  amendKind?: 'amend' | 'replace';
  amendReason?: string;
  completesIncoming?: boolean;
}

/** Agencies of this installation whose name or code matches what is typed. */
function useAgencySearch(q: string) {
  return useQuery({
    queryKey: ['agencies', 'search', q],
    queryFn: () => api<Page<Agency>>('GET', `/agencies${query({ q, limit: 20 })}`),
    enabled: q.trim().length >= 2,
  });
}

function RecipientPicker({ value, onChange }: { value: Recipient[]; onChange: (r: Recipient[]) => void }) {
  const { tx } = useOutgoingText();
  const [q, setQ] = useState('');
  const [outside, setOutside] = useState<Recipient>({ code: '', name: '' });
  const found = useAgencySearch(q);
  const add = (r: Recipient) => {
    if (!value.some((v) => v.code === r.code)) onChange([...value, r]);
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        {value.map((r) => (
          <Tag key={r.code} closable onClose={() => onChange(value.filter((v) => v.code !== r.code))} data-testid="recipient">
            {r.name} ({r.code})
          </Tag>
        ))}
      </Space>
      <Select
        showSearch
        aria-label={tx('recipients')}
        placeholder={tx('recipientsHelp')}
        filterOption={false}
        onSearch={setQ}
        value={null}
        loading={found.isFetching}
        onSelect={(code: string | null) => {
          const agency = found.data?.items.find((a) => a.code === code);
          if (agency) add({ code: agency.code, name: agency.name });
        }}
        options={(found.data?.items ?? []).map((a) => ({ value: a.code, label: `${a.name} (${a.code})` }))}
        style={{ width: '100%' }}
      />
      <Space.Compact style={{ width: '100%' }}>
        <Input
          aria-label={tx('outsideCode')}
          placeholder={tx('outsideCode')}
          value={outside.code}
          onChange={(e) => setOutside({ ...outside, code: e.target.value.trim() })}
          style={{ width: '40%' }}
        />
        <Input
          aria-label={tx('outsideName')}
          placeholder={tx('outsideName')}
          value={outside.name}
          onChange={(e) => setOutside({ ...outside, name: e.target.value })}
        />
        <Button
          disabled={!outside.code || !outside.name.trim()}
          onClick={() => {
            add({ code: outside.code, name: outside.name.trim() });
            setOutside({ code: '', name: '' });
          }}
        >
          {tx('add')}
        </Button>
      </Space.Compact>
    </Space>
  );
}

/**
 * A draft's fields, recipients and main file: a new draft when `doc` is absent, otherwise a new
 * version of that draft (every save is kept whole and can be compared later). With `amending`, a
 * new draft that amends or replaces that issued document, starting from its fields and recipients.
 */
export function DraftForm({
  me,
  doc,
  amending,
  replyTo,
  onSaved,
}: {
  me: Me;
  doc?: OutgoingDetail;
  amending?: OutgoingDetail;
  /** The incoming document a new draft answers. */
  replyTo?: string;
  onSaved: (id: string) => void;
}) {
  const from = doc ?? amending;
  const answered = useIncoming(me.currentAgencyId, replyTo ?? doc?.inReplyTo ?? '', replyTo !== undefined || Boolean(doc?.inReplyTo));
  const agencyId = me.currentAgencyId;
  const { tx, classification } = useOutgoingText();
  const { urgency } = useIncomingText();
  const { pick } = useI18n();
  const { message } = App.useApp();
  const types = useDocumentTypes();
  const people = useAssignable(agencyId);
  const create = useCreateDraft(agencyId);
  const save = useSaveDraft(agencyId, doc?.id ?? '');
  const upload = useUploadDraftFile(agencyId);
  const [recipients, setRecipients] = useState<Recipient[]>(from?.recipients.map((r) => ({ code: r.code, name: r.name })) ?? []);
  // A reply goes to whoever sent the document it answers, once that is known.
  const sender = answered.data?.senderCode ? { code: answered.data.senderCode, name: answered.data.senderName } : null;
  useEffect(() => {
    if (sender && !doc) setRecipients((r) => (r.some((x) => x.code === sender.code) ? r : [...r, sender]));
  }, [sender?.code]);
  const [main, setMain] = useState<File | null>(null);
  const [attachments, setAttachments] = useState<File[]>([]);
  const [error, setError] = useState<string | null>(null);
  const busy = create.isPending || save.isPending || upload.isPending;

  const submit = async (v: Values) => {
    setError(null);
    const fields = {
      documentTypeId: v.documentTypeId,
      subject: v.subject,
      urgency: v.urgency,
      classification: v.classification,
      signerId: v.signerId ?? null,
      replyDue: v.replyDue ? v.replyDue.format('YYYY-MM-DD') : null,
      inReplyTo: replyTo ?? doc?.inReplyTo ?? null,
      completesIncoming: Boolean(v.completesIncoming),
    };
    const outside = (r: Recipient) => ({ code: r.code, name: r.name });
    try {
      let id = doc?.id;
      if (id) await save.mutateAsync({ fields, recipients: recipients.map(outside), ...(v.note ? { note: v.note } : {}) });
      else {
        const amends =
          amending && v.amendKind && v.amendReason ? { outgoingId: amending.id, kind: v.amendKind, reason: v.amendReason } : undefined;
        id = (
          await create.mutateAsync({
            fields,
            recipients: recipients.map(outside),
            ...(v.note ? { note: v.note } : {}),
            ...(amends ? { amends } : {}),
          })
        ).id;
      }
      if (main) await upload.mutateAsync({ id, role: 'main', file: main });
      for (const file of attachments) await upload.mutateAsync({ id, role: 'attachment', file });
      message.success(doc ? tx('saveVersion') : tx('create'));
      onSaved(id);
    } catch (e) {
      setError(errorText(e, pick));
    }
  };

  const typeOfDoc = types.data?.items.find((t) => t.name === from?.documentType)?.id;
  return (
    <Form<Values>
      layout="vertical"
      onFinish={(v) => void submit(v)}
      initialValues={{
        urgency: from?.urgency ?? 'normal',
        classification: from?.classification ?? 'none',
        subject: from?.subject,
        signerId: from?.signerId ?? undefined,
        replyDue: from?.replyDue ? dayjs(from.replyDue) : undefined,
        documentTypeId: typeOfDoc,
        amendKind: 'replace',
        completesIncoming: doc?.completesIncoming ?? true,
      }}
      key={typeOfDoc ?? 'new'}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      {answered.data && (
        <Alert
          type="info"
          style={{ marginBottom: 16 }}
          message={tx('answering', {
            code: answered.data.notation ? `${answered.data.number}/${answered.data.notation}` : answered.data.number,
            sender: answered.data.senderName,
          })}
          description={
            <Form.Item name="completesIncoming" valuePropName="checked" style={{ margin: 0 }}>
              <Checkbox>{tx('completesIncoming')}</Checkbox>
            </Form.Item>
          }
        />
      )}
      {amending && (
        <Space wrap align="start">
          <Form.Item name="amendKind" label={tx('amendKind')}>
            <Radio.Group>
              <Radio.Button value="amend">{tx('amend')}</Radio.Button>
              <Radio.Button value="replace">{tx('replace')}</Radio.Button>
            </Radio.Group>
          </Form.Item>
          <Form.Item name="amendReason" label={tx('amendReason')} rules={[{ required: true, whitespace: true }]} style={{ minWidth: 320 }}>
            <Input maxLength={2000} />
          </Form.Item>
        </Space>
      )}
      <Form.Item name="documentTypeId" label={tx('documentType')} rules={[{ required: true }]}>
        <Select
          showSearch
          optionFilterProp="label"
          loading={types.isPending}
          options={(types.data?.items ?? []).map((t) => ({
            value: t.id,
            label: t.abbreviation ? `${t.name} (${t.abbreviation})` : t.name,
          }))}
        />
      </Form.Item>
      <Form.Item name="subject" label={tx('subject')} rules={[{ required: true, whitespace: true }]}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={4000} />
      </Form.Item>
      <Space wrap size="middle">
        <Form.Item name="urgency" label={tx('urgency')}>
          <Select<Urgency>
            style={{ width: 170 }}
            options={(['normal', 'urgent', 'very_urgent', 'express'] as const).map((u) => ({ value: u, label: urgency(u) }))}
          />
        </Form.Item>
        <Form.Item name="classification" label={tx('classification')}>
          <Select<Classification>
            style={{ width: 170 }}
            options={(['none', 'confidential', 'secret', 'top_secret'] as const).map((c) => ({ value: c, label: classification(c) }))}
          />
        </Form.Item>
        <Form.Item name="replyDue" label={tx('replyDue')}>
          <DatePicker format="DD/MM/YYYY" />
        </Form.Item>
      </Space>
      <Form.Item name="signerId" label={tx('signer')}>
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          loading={people.isPending}
          options={(people.data?.people ?? [])
            .filter((p) => p.leader)
            .map((p) => ({ value: p.id, label: p.position ? `${p.name} – ${p.position}` : p.name }))}
        />
      </Form.Item>
      <Form.Item label={tx('recipients')}>
        <RecipientPicker value={recipients} onChange={setRecipients} />
      </Form.Item>
      <Form.Item label={tx('mainFile')}>
        <Upload
          accept=".pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
          maxCount={1}
          beforeUpload={(file) => {
            setMain(file);
            return false;
          }}
          onRemove={() => setMain(null)}
        >
          <Button>{tx('upload')}</Button>
        </Upload>
      </Form.Item>
      <Form.Item label={tx('attachment')}>
        <Upload
          multiple
          beforeUpload={(file) => {
            setAttachments((a) => [...a, file]);
            return false;
          }}
          onRemove={(file) => setAttachments((a) => a.filter((f) => f.name !== file.name))}
        >
          <Button>{tx('upload')}</Button>
        </Upload>
      </Form.Item>
      <Form.Item name="note" label={tx('note')}>
        <Input maxLength={2000} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy}>
        {doc ? tx('saveVersion') : tx('create')}
      </Button>
    </Form>
  );
}
