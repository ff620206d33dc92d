import { useState } from 'react';
import { App as AntApp, Button, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Upload } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { api, query, type Agency, type Page } from '../api';
import { errorText } from '../errors';
import { useI18n } from '../i18n';
import { useAssignable, useIncomingAction, useRegisters, type IncomingAction, type IncomingDetail } from './model';
import { useIncomingText } from './texts';

/** The buttons for what the person may do now; each opens its form, or acts at once when there is nothing to ask. */
export function ActionBar({ agencyId, doc }: { agencyId: string; doc: IncomingDetail }) {
  const { action: label } = useIncomingText();
  const [open, setOpen] = useState<IncomingAction | null>(null);
  const primary: IncomingAction[] = ['register', 'submit', 'assign', 'complete'];
  return (
    <>
      <Space wrap>
        {doc.actions
          .filter((a) => a !== 'agree_recall' && a !== 'refuse_recall')
          .map((a) => (
            <Button key={a} type={primary.includes(a) ? 'primary' : 'default'} danger={a === 'refuse'} onClick={() => setOpen(a)}>
              {label(a)}
            </Button>
          ))}
      </Space>
      {open && <ActionModal agencyId={agencyId} doc={doc} action={open} onClose={() => setOpen(null)} />}
    </>
  );
}

/** The sender's recall or replacement, answered by the clerk. */
export function SenderRequestButtons({ agencyId, doc }: { agencyId: string; doc: IncomingDetail }) {
  const { action: label } = useIncomingText();
  const [open, setOpen] = useState<IncomingAction | null>(null);
  if (!doc.actions.includes('agree_recall')) return null;
  return (
    <>
      <Space>
        <Button type="primary" onClick={() => setOpen('agree_recall')}>
          {label('agree_recall')}
        </Button>
        <Button onClick={() => setOpen('refuse_recall')}>{label('refuse_recall')}</Button>
      </Space>
      {open && <ActionModal agencyId={agencyId} doc={doc} action={open} onClose={() => setOpen(null)} />}
    </>
  );
}

interface Values {
  registerId?: string;
  reason?: string;
  note?: string;
  leaderId?: string;
  direction?: string;
  lead?: string;
  co?: string[];
  info?: string[];
  dueInWorkingDays?: number;
  dueDate?: Dayjs;
  result?: string;
  replyDocumentId?: string;
  agencyId?: string;
}

/** `u:<id>` for a person, `d:<id>` for a department: one picker holds both. */
function assignee(value: string): { userId: string } | { departmentId: string } {
  return value.startsWith('d:') ? { departmentId: value.slice(2) } : { userId: value.slice(2) };
}

const PATHS: Record<IncomingAction, string> = {
  register: 'register',
  refuse: 'refuse',
  submit: 'submit',
  return: 'return',
  assign: 'assign',
  report_progress: 'progress',
  give_input: 'input',
  attach_file: 'files',
  complete: 'complete',
  reopen: 'reopen',
  forward: 'forward',
  agree_recall: 'sender-request/agree',
  refuse_recall: 'sender-request/refuse',
};

function bodyOf(action: IncomingAction, v: Values): unknown {
  switch (action) {
    case 'register':
      return { registerId: v.registerId };
    case 'refuse':
    case 'return':
    case 'reopen':
    case 'refuse_recall':
      return { reason: v.reason ?? '' };
    case 'submit':
      return { leaderId: v.leaderId };
    case 'assign':
      return {
        direction: v.direction ?? '',
        lead: assignee(v.lead!),
        co: (v.co ?? []).map(assignee),
        info: (v.info ?? []).map(assignee),
        ...(v.dueDate
          ? { dueDate: v.dueDate.format('YYYY-MM-DD') }
          : v.dueInWorkingDays != null
            ? { dueInWorkingDays: v.dueInWorkingDays }
            : {}),
      };
    case 'report_progress':
      return { note: v.note ?? '' };
    case 'give_input':
      return { input: v.note ?? '' };
    case 'complete':
      return { result: v.result ?? '', ...(v.replyDocumentId?.trim() ? { replyDocumentId: v.replyDocumentId.trim() } : {}) };
    case 'forward':
      return { agencyId: v.agencyId, ...(v.note?.trim() ? { note: v.note.trim() } : {}) };
    default:
      return {};
  }
}

function ActionModal({
  agencyId,
  doc,
  action,
  onClose,
}: {
  agencyId: string;
  doc: IncomingDetail;
  action: IncomingAction;
  onClose: () => void;
}) {
  const { tx, action: label } = useIncomingText();
  const { pick } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const act = useIncomingAction(agencyId, doc.id);
  const [file, setFile] = useState<File | null>(null);

  const submit = async () => {
    const values = await form.validateFields();
    let body: unknown;
    if (action === 'attach_file') {
      if (!file) return;
      const data = new FormData();
      data.append('file', file);
      body = data;
    } else body = bodyOf(action, values);
    act.mutate(
      { path: PATHS[action], body },
      {
        onSuccess: (answer) => {
          const registered = answer as { registerNumber?: string; possibleDuplicateOf?: string | null } | undefined;
          if (action === 'register' && registered?.registerNumber) {
            void message.success(`${label('register')}: ${registered.registerNumber}`);
            if (registered.possibleDuplicateOf) void message.warning(tx('duplicate'));
          } else void message.success(tx('done'));
          onClose();
        },
        onError: (err) => void message.error(errorText(err, pick)),
      },
    );
  };

  return (
    <Modal
      open
      title={label(action)}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={label(action)}
      cancelText={tx('cancel')}
      confirmLoading={act.isPending}
      destroyOnHidden
      width={640}
    >
      <Form form={form} layout="vertical" requiredMark={false}>
        <Fields agencyId={agencyId} doc={doc} action={action} onFile={setFile} />
      </Form>
    </Modal>
  );
}

function Fields({
  agencyId,
  doc,
  action,
  onFile,
}: {
  agencyId: string;
  doc: IncomingDetail;
  action: IncomingAction;
  onFile: (f: File | null) => void;
}) {
  const { tx } = useIncomingText();
  const { t } = useI18n();
  const required = [{ required: true, whitespace: true, message: t('required') }];
  switch (action) {
    case 'register':
      return <RegisterField agencyId={agencyId} />;
    case 'refuse':
    case 'return':
    case 'reopen':
    case 'refuse_recall':
      return (
        <Form.Item name="reason" label={tx('reason')} rules={required}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      );
    case 'submit':
      return <LeaderField agencyId={agencyId} />;
    case 'assign':
      return <AssignFields agencyId={agencyId} doc={doc} />;
    case 'report_progress':
    case 'give_input':
      return (
        <Form.Item name="note" label={tx('note')} rules={required}>
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
      );
    case 'complete':
      return (
        <>
          <Form.Item name="result" label={tx('result')} rules={required}>
            <Input.TextArea rows={3} maxLength={4000} />
          </Form.Item>
          <Form.Item name="replyDocumentId" label={tx('replyDocumentId')}>
            <Input maxLength={200} />
          </Form.Item>
        </>
      );
    case 'attach_file':
      return (
        <Upload
          maxCount={1}
          beforeUpload={(f) => {
            onFile(f);
            return false;
          }}
          onRemove={() => onFile(null)}
        >
          <Button>{tx('chooseFile')}</Button>
        </Upload>
      );
    case 'forward':
      return <ForwardFields />;
    case 'agree_recall':
      return <p>{doc.senderRequestReason}</p>;
  }
}

function RegisterField({ agencyId }: { agencyId: string }) {
  const { tx } = useIncomingText();
  const registers = useRegisters(agencyId);
  const items = registers.data?.items.filter((r) => !r.classified) ?? [];
  return (
    <Form.Item name="registerId" label={tx('register')} rules={[{ required: true }]} initialValue={items[0]?.id}>
      <Select
        aria-label={tx('register')}
        loading={registers.isPending}
        options={registers.data?.items.map((r) => ({ value: r.id, label: r.name }))}
      />
    </Form.Item>
  );
}

function LeaderField({ agencyId }: { agencyId: string }) {
  const { tx } = useIncomingText();
  const assignable = useAssignable(agencyId);
  return (
    <Form.Item name="leaderId" label={tx('leader')} rules={[{ required: true }]}>
      <Select
        aria-label={tx('leader')}
        showSearch
        optionFilterProp="label"
        loading={assignable.isPending}
        options={assignable.data?.people
          .filter((p) => p.leader)
          .map((p) => ({ value: p.id, label: p.position ? `${p.name} (${p.position})` : p.name }))}
      />
    </Form.Item>
  );
}

/** Direction and assignment: fits a 375-pixel phone, every field full width, one under the other. */
function AssignFields({ agencyId, doc }: { agencyId: string; doc: IncomingDetail }) {
  const { tx } = useIncomingText();
  const assignable = useAssignable(agencyId);
  const departmentName = new Map(assignable.data?.departments.map((d) => [d.id, d.name]));
  const options = [
    ...(assignable.data?.departments.map((d) => ({ value: `d:${d.id}`, label: `${d.name} (${tx('departmentLabel')})` })) ?? []),
    ...(assignable.data?.people.map((p) => ({
      value: `u:${p.id}`,
      label: [p.name, p.position, p.departmentId ? departmentName.get(p.departmentId) : null].filter(Boolean).join(' · '),
    })) ?? []),
  ];
  const current = (part: 'lead' | 'co' | 'info') =>
    doc.assignments.filter((a) => a.part === part).map((a) => (a.userId ? `u:${a.userId}` : `d:${a.departmentId}`));
  const picker = { showSearch: true, optionFilterProp: 'label', options, loading: assignable.isPending, style: { width: '100%' } };
  return (
    <>
      <Form.Item name="direction" label={tx('direction')} initialValue={doc.direction ?? ''}>
        <Input.TextArea rows={3} maxLength={4000} />
      </Form.Item>
      <Form.Item name="lead" label={tx('lead')} rules={[{ required: true }]} initialValue={current('lead')[0]}>
        <Select aria-label={tx('lead')} placeholder={tx('pickPeople')} {...picker} />
      </Form.Item>
      <Form.Item name="co" label={tx('co')} initialValue={current('co')}>
        <Select aria-label={tx('co')} mode="multiple" placeholder={tx('pickPeople')} {...picker} />
      </Form.Item>
      <Form.Item name="info" label={tx('info')} initialValue={current('info')}>
        <Select aria-label={tx('info')} mode="multiple" placeholder={tx('pickPeople')} {...picker} />
      </Form.Item>
      <Space wrap align="end">
        <Form.Item name="dueInWorkingDays" label={tx('dueIn')} initialValue={doc.dueDate ? undefined : 10}>
          <InputNumber aria-label={tx('dueIn')} min={0} max={365} />
        </Form.Item>
        <Form.Item name="dueDate" label={tx('dueDate')}>
          <DatePicker aria-label={tx('dueDate')} format="DD/MM/YYYY" />
        </Form.Item>
      </Space>
    </>
  );
}

function ForwardFields() {
  const { tx } = useIncomingText();
  const [q, setQ] = useState('');
  const agencies = useQuery({
    queryKey: ['agency-search', q],
    queryFn: () => api<Page<Agency>>('GET', `/agencies${query({ q, limit: 20 })}`),
    enabled: q.trim().length >= 2,
  });
  return (
    <>
      <Form.Item name="agencyId" label={tx('agencyTo')} rules={[{ required: true }]}>
        <Select
          aria-label={tx('agencyTo')}
          showSearch
          filterOption={false}
          onSearch={setQ}
          loading={agencies.isFetching}
          options={agencies.data?.items.map((a) => ({ value: a.id, label: `${a.name} (${a.code})` })) ?? []}
        />
      </Form.Item>
      <Form.Item name="note" label={tx('note')}>
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
    </>
  );
}
