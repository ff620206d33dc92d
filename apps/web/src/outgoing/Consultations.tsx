import { useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Empty, Form, Input, List, Radio, Select, Space, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { api, query, type Agency, type Department, type Page } from '../api';
import { errorText } from '../errors';
import { useI18n } from '../i18n';
import { dmy } from '../incoming/texts';
import { consultationFileUrl, useAnswerConsultation, useAskedOfMe, useAskForComments, useConsultations, type Consultation } from './model';
import { useOutgoingText } from './texts';

function Answer({ c }: { c: Consultation }) {
  const { tx } = useOutgoingText();
  return c.answer ? (
    <Typography.Paragraph style={{ margin: 0 }}>
      <Typography.Text strong>{c.answeredBy}:</Typography.Text> {c.answer}
    </Typography.Paragraph>
  ) : (
    <Typography.Text type="secondary">{tx('noAnswer')}</Typography.Text>
  );
}

/** Requests for comments addressed to me: read the draft, answer once. */
export function AskedOfMe({ agencyId }: { agencyId: string }) {
  const { tx } = useOutgoingText();
  const asked = useAskedOfMe(agencyId);
  const answer = useAnswerConsultation(agencyId);
  const { pick } = useI18n();
  const [texts, setTexts] = useState<Record<string, string>>({});
  if (!asked.isPending && asked.data?.items.length === 0) return <Empty description={tx('empty')} />;
  return (
    <List<Consultation>
      loading={asked.isPending}
      dataSource={asked.data?.items ?? []}
      renderItem={(c) => (
        <List.Item data-testid="consultation">
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text type="secondary">
              {tx('draftOf', { agency: c.draftingAgency })} · {tx('due')}: {dmy(c.due)}
            </Typography.Text>
            <Typography.Text strong>{c.subject}</Typography.Text>
            <Typography.Paragraph style={{ margin: 0 }}>
              {c.askedBy}: {c.question}
            </Typography.Paragraph>
            <a href={consultationFileUrl(agencyId, c.id)} target="_blank" rel="noreferrer">
              {tx('view')} ({tx('version')} {c.version})
            </a>
            {c.answer ? (
              <Answer c={c} />
            ) : (
              <Space.Compact style={{ width: '100%' }}>
                <Input.TextArea
                  aria-label={tx('answer')}
                  placeholder={tx('answer')}
                  autoSize={{ minRows: 1, maxRows: 5 }}
                  value={texts[c.id] ?? ''}
                  onChange={(e) => setTexts({ ...texts, [c.id]: e.target.value })}
                />
                <Button
                  type="primary"
                  loading={answer.isPending}
                  disabled={!texts[c.id]?.trim()}
                  onClick={() => answer.mutate({ id: c.id, answer: texts[c.id]!.trim() })}
                >
                  {tx('sendAnswer')}
                </Button>
              </Space.Compact>
            )}
            {answer.isError && <Alert type="error" showIcon message={errorText(answer.error, pick)} />}
          </Space>
        </List.Item>
      )}
    />
  );
}

/** The comments asked on one draft, and, for its drafter while it is still a draft, a form to ask more. */
export function DraftConsultations({ agencyId, id, canAsk }: { agencyId: string; id: string; canAsk: boolean }) {
  const { tx } = useOutgoingText();
  const list = useConsultations(agencyId, id);
  const items = list.data?.items ?? [];
  if (!canAsk && items.length === 0) return null;
  return (
    <Card size="small" title={tx('consultations')}>
      <List<Consultation>
        size="small"
        dataSource={items}
        locale={{ emptyText: ' ' }}
        renderItem={(c) => (
          <List.Item>
            <Space direction="vertical" size={2} style={{ width: '100%' }}>
              <Typography.Text>
                <Typography.Text strong>{c.asked}</Typography.Text> · {tx('due')}: {dmy(c.due)} · v{c.version}
              </Typography.Text>
              <Typography.Text type="secondary">{c.question}</Typography.Text>
              <Answer c={c} />
            </Space>
          </List.Item>
        )}
      />
      {canAsk && <AskForm agencyId={agencyId} id={id} />}
    </Card>
  );
}

function AskForm({ agencyId, id }: { agencyId: string; id: string }) {
  const { tx } = useOutgoingText();
  const { pick } = useI18n();
  const { message } = App.useApp();
  const ask = useAskForComments(agencyId, id);
  const [kind, setKind] = useState<'department' | 'agency'>('department');
  const [q, setQ] = useState('');
  const departments = useQuery({
    queryKey: ['departments', agencyId],
    queryFn: () => api<Page<Department>>('GET', `/agencies/${agencyId}/departments${query({ limit: 100 })}`),
  });
  const agencies = useQuery({
    queryKey: ['agencies', 'search', q],
    queryFn: () => api<Page<Agency>>('GET', `/agencies${query({ q, limit: 20 })}`),
    enabled: q.trim().length >= 2,
  });
  const [form] = Form.useForm<{ target: string; question: string; due: Dayjs }>();
  return (
    <Form
      form={form}
      layout="vertical"
      style={{ marginTop: 12 }}
      onFinish={(v) =>
        ask.mutate(
          {
            question: v.question,
            due: v.due.format('YYYY-MM-DD'),
            ...(kind === 'department' ? { departmentId: v.target } : { agencyId: v.target }),
          },
          {
            onSuccess: () => {
              form.resetFields();
              message.success(tx('askComments'));
            },
          },
        )
      }
    >
      <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as 'department' | 'agency')} style={{ marginBottom: 8 }}>
        <Radio.Button value="department">{tx('askDepartment')}</Radio.Button>
        <Radio.Button value="agency">{tx('askAgency')}</Radio.Button>
      </Radio.Group>
      <Form.Item name="target" rules={[{ required: true }]}>
        {kind === 'department' ? (
          <Select
            aria-label={tx('askDepartment')}
            options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))}
            placeholder={tx('askDepartment')}
          />
        ) : (
          <Select
            showSearch
            filterOption={false}
            onSearch={setQ}
            aria-label={tx('askAgency')}
            placeholder={tx('askAgency')}
            options={(agencies.data?.items ?? []).filter((a) => a.id !== agencyId).map((a) => ({ value: a.id, label: a.name }))}
          />
        )}
      </Form.Item>
      <Form.Item name="question" label={tx('question')} rules={[{ required: true, whitespace: true }]}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={4000} />
      </Form.Item>
      <Form.Item name="due" label={tx('due')} rules={[{ required: true }]}>
        <DatePicker format="DD/MM/YYYY" />
      </Form.Item>
      {ask.isError && <Alert type="error" showIcon message={errorText(ask.error, pick)} style={{ marginBottom: 8 }} />}
      <Button htmlType="submit" loading={ask.isPending}>
        {tx('askComments')}
      </Button>
    </Form>
  );
}
