import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, Empty, Form, Input, InputNumber, List, Modal, Select, Space, Tabs, Tag, Typography } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { api, query, type Department, type Me, type Page } from '../api';
import { errorText } from '../errors';
import { useI18n } from '../i18n';
import { currentMembership } from '../session';
import { dateTime, dmy } from '../incoming/texts';
import {
  packageUrl,
  useAddEntry,
  useUpdateEntry,
  useAppraisalList,
  useCopyPlan,
  useDossierList,
  useFilePlan,
  useOpenDossier,
  useToTransfer,
  useTransfer,
  useTransfers,
  type DossierItem,
  type PlanEntry,
} from './model';
import { useDossierText } from './texts';

type Tab = 'plan' | 'mine' | 'all' | 'transfer' | 'appraisal';

/** Today as people in Vietnam count days. */
export function vnToday(): string {
  return new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
}

/**
 * The dossiers of the agency acted for: its yearly file plan, from which anyone opens a dossier;
 * my dossiers; the whole agency's (clerks and leaders); the clerk's transfers to the agency
 * archive; and the dossiers whose retention has run out.
 */
export function DossiersPage({ me }: { me: Me }) {
  const agencyId = me.currentAgencyId;
  const roles = currentMembership(me)?.roles ?? [];
  const wholeAgency = roles.some((r) => r === 'clerk' || r === 'agency_leader' || r === 'department_leader');
  const archive = roles.some((r) => r === 'clerk' || r === 'agency_leader');
  const { tx } = useDossierText();
  const [tab, setTab] = useState<Tab>('plan');
  const tabs: Tab[] = [
    'plan',
    'mine',
    ...(wholeAgency ? (['all'] as const) : []),
    ...(archive ? (['transfer', 'appraisal'] as const) : []),
  ];
  const labels: Record<Tab, string> = {
    plan: tx('plan'),
    mine: tx('mine'),
    all: tx('all'),
    transfer: tx('toTransfer'),
    appraisal: tx('appraisal'),
  };
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {tx('title')}
      </Typography.Title>
      <Tabs activeKey={tab} onChange={(k) => setTab(k as Tab)} items={tabs.map((t) => ({ key: t, label: labels[t] }))} />
      {tab === 'plan' && <FilePlan agencyId={agencyId} manages={archive} />}
      {(tab === 'mine' || tab === 'all') && <Dossiers agencyId={agencyId} view={tab} />}
      {tab === 'transfer' && <Transfers agencyId={agencyId} clerk={roles.includes('clerk')} />}
      {tab === 'appraisal' && <Appraisal agencyId={agencyId} />}
    </Space>
  );
}

function StateTag({ state }: { state: DossierItem['state'] }) {
  const { state: label } = useDossierText();
  const s = label(state);
  return <Tag color={s.color}>{s.label}</Tag>;
}

/** A dossier as a list shows it. */
function DossierRow({ d, extra }: { d: DossierItem; extra?: React.ReactNode }) {
  const { tx, retention } = useDossierText();
  return (
    <List.Item extra={extra}>
      <List.Item.Meta
        title={
          <Space wrap size={4}>
            <Link to={`/dossiers/${d.id}`}>
              {d.code} — {d.title}
            </Link>
            <StateTag state={d.state} />
          </Space>
        }
        description={
          <Space wrap size={12}>
            <span>{d.responsible.name}</span>
            <span>
              {dmy(d.startDate)}
              {d.endDate ? ` – ${dmy(d.endDate)}` : ''}
            </span>
            <span>
              {tx('retention')}: {retention(d.retentionYears)}
            </span>
            {d.transferDeadline && (
              <Tag color={d.transferDeadline < vnToday() ? 'red' : 'gold'}>
                {tx('deadline')}: {dmy(d.transferDeadline)}
              </Tag>
            )}
          </Space>
        }
      />
    </List.Item>
  );
}

function More({ has, loading, onMore }: { has: boolean; loading: boolean; onMore: () => void }) {
  const { tx } = useDossierText();
  return has ? (
    <Button block onClick={onMore} loading={loading}>
      {tx('loadMore')}
    </Button>
  ) : null;
}

function FilePlan({ agencyId, manages }: { agencyId: string; manages: boolean }) {
  const { tx, retention } = useDossierText();
  const { message } = App.useApp();
  const { pick } = useI18n();
  const thisYear = Number(vnToday().slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const plan = useFilePlan(agencyId, year);
  const copy = useCopyPlan(agencyId);
  const [opening, setOpening] = useState<PlanEntry | null>(null);
  // The entry edited, or 'new' for a new one.
  const [editing, setEditing] = useState<PlanEntry | 'new' | null>(null);
  const entries = plan.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <span>{tx('year')}</span>
        <Select
          aria-label={tx('year')}
          value={year}
          onChange={setYear}
          style={{ width: 100 }}
          options={[thisYear + 1, thisYear, thisYear - 1, thisYear - 2, thisYear - 3].map((y) => ({ value: y, label: String(y) }))}
        />
        {manages && <Button onClick={() => setEditing('new')}>{tx('addEntry')}</Button>}
        {manages && (
          <Button
            loading={copy.isPending}
            onClick={() =>
              copy.mutate(
                { fromYear: year - 1, toYear: year },
                {
                  onSuccess: (r) => void message.success(tx('copied', { n: r.copied })),
                  onError: (e) => void message.error(errorText(e, pick)),
                },
              )
            }
          >
            {tx('copyPlan')}
          </Button>
        )}
      </Space>
      <List<PlanEntry>
        loading={plan.isPending}
        dataSource={entries}
        locale={{ emptyText: <Empty description={tx('emptyPlan')} /> }}
        loadMore={<More has={plan.hasNextPage} loading={plan.isFetchingNextPage} onMore={() => void plan.fetchNextPage()} />}
        renderItem={(e, i) => (
          <>
            {e.heading && e.heading !== entries[i - 1]?.heading && <Typography.Text strong>{e.heading}</Typography.Text>}
            <List.Item
              data-testid={`plan-entry-${e.code}`}
              actions={[
                ...(manages
                  ? [
                      <Button key="edit" size="small" onClick={() => setEditing(e)}>
                        {tx('edit')}
                      </Button>,
                    ]
                  : []),
                <Button key="open" size="small" type="primary" onClick={() => setOpening(e)}>
                  {tx('open')}
                </Button>,
              ]}
            >
              <List.Item.Meta
                title={`${e.code} — ${e.title}`}
                description={
                  <Space wrap size={12}>
                    <span>
                      {tx('retention')}: {retention(e.retentionYears)}
                    </span>
                    {e.departmentName && <span>{e.departmentName}</span>}
                    {e.dossierCount > 0 && (
                      <span>
                        {tx('dossiers')}: {e.dossierCount}
                      </span>
                    )}
                    {e.note && <span>{e.note}</span>}
                  </Space>
                }
              />
            </List.Item>
          </>
        )}
      />
      <OpenDossier agencyId={agencyId} entry={opening} onClose={() => setOpening(null)} />
      <EntryForm agencyId={agencyId} year={year} editing={editing} onClose={() => setEditing(null)} />
    </Space>
  );
}

function OpenDossier({ agencyId, entry, onClose }: { agencyId: string; entry: PlanEntry | null; onClose: () => void }) {
  const { tx } = useDossierText();
  const { pick } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const open = useOpenDossier(agencyId);
  const [form] = Form.useForm<{ title: string; startDate: string }>();
  return (
    <Modal
      title={entry ? `${tx('open')}: ${entry.code}` : ''}
      open={entry !== null}
      onCancel={onClose}
      okText={tx('open')}
      confirmLoading={open.isPending}
      destroyOnHidden
      onOk={() =>
        void form
          .validateFields()
          .then((v) =>
            open.mutate(
              { entryId: entry!.id, ...(v.title?.trim() ? { title: v.title.trim() } : {}), startDate: v.startDate },
              { onSuccess: (r) => navigate(`/dossiers/${r.id}`), onError: (e) => void message.error(errorText(e, pick)) },
            ),
          )
      }
    >
      <Form form={form} layout="vertical" preserve={false} initialValues={{ title: entry?.title ?? '', startDate: vnToday() }}>
        <Form.Item name="title" label={tx('entryTitle')}>
          <Input.TextArea autoSize maxLength={1000} />
        </Form.Item>
        <Form.Item name="startDate" label={tx('startDate')} rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/ }]}>
          <Input type="date" max={vnToday()} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Adds an entry to the year's plan, or changes one (dossiers opened from it keep what they were opened with). */
function EntryForm({
  agencyId,
  year,
  editing,
  onClose,
}: {
  agencyId: string;
  year: number;
  editing: PlanEntry | 'new' | null;
  onClose: () => void;
}) {
  const { tx } = useDossierText();
  const { pick } = useI18n();
  const { message } = App.useApp();
  const open = editing !== null;
  const entry = editing === 'new' ? null : editing;
  const add = useAddEntry(agencyId);
  const update = useUpdateEntry(agencyId);
  const departments = useQuery({
    queryKey: ['departments', agencyId],
    queryFn: () => api<Page<Department>>('GET', `/agencies/${agencyId}/departments${query({ limit: 100 })}`),
    enabled: open,
  });
  const [form] = Form.useForm<{
    code: string;
    title: string;
    heading?: string;
    permanent: boolean;
    years?: number;
    departmentId?: string;
    note?: string;
  }>();
  const permanent = Form.useWatch('permanent', form);
  return (
    <Modal
      title={`${entry ? tx('edit') : tx('addEntry')} — ${year}`}
      open={open}
      onCancel={onClose}
      okText={tx('save')}
      confirmLoading={add.isPending || update.isPending}
      destroyOnHidden
      onOk={() =>
        void form.validateFields().then((v) => {
          const input = {
            code: v.code,
            title: v.title,
            heading: v.heading?.trim() || null,
            retentionYears: v.permanent ? null : (v.years ?? null),
            departmentId: v.departmentId ?? null,
            note: v.note?.trim() || null,
          };
          const done = { onSuccess: onClose, onError: (e: unknown) => void message.error(errorText(e, pick)) };
          if (entry) update.mutate({ id: entry.id, ...input }, done);
          else add.mutate({ year, ...input }, done);
        })
      }
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={
          entry
            ? {
                code: entry.code,
                title: entry.title,
                heading: entry.heading ?? '',
                permanent: entry.retentionYears === null,
                years: entry.retentionYears ?? 10,
                departmentId: entry.departmentId ?? undefined,
                note: entry.note ?? '',
              }
            : { permanent: false, years: 10 }
        }
      >
        <Form.Item name="code" label={tx('code')} rules={[{ required: true, max: 50 }]}>
          <Input placeholder={`01.VP.${year}`} />
        </Form.Item>
        <Form.Item name="title" label={tx('entryTitle')} rules={[{ required: true, max: 1000 }]}>
          <Input.TextArea autoSize />
        </Form.Item>
        <Form.Item name="heading" label={tx('heading')}>
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item name="permanent" valuePropName="checked">
          <Checkbox>{tx('permanent')}</Checkbox>
        </Form.Item>
        {!permanent && (
          <Form.Item name="years" label={tx('retention')} rules={[{ required: true }]}>
            <InputNumber min={1} max={100} addonAfter={tx('years', { n: '' }).trim()} />
          </Form.Item>
        )}
        <Form.Item name="departmentId" label={tx('department')}>
          <Select allowClear options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))} />
        </Form.Item>
        <Form.Item name="note" label={tx('note')}>
          <Input maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function Dossiers({ agencyId, view }: { agencyId: string; view: 'mine' | 'all' }) {
  const { tx } = useDossierText();
  const list = useDossierList(agencyId, view);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <List<DossierItem>
      loading={list.isPending}
      dataSource={items}
      locale={{ emptyText: <Empty description={tx('empty')} /> }}
      loadMore={<More has={list.hasNextPage} loading={list.isFetchingNextPage} onMore={() => void list.fetchNextPage()} />}
      renderItem={(d) => <DossierRow d={d} />}
    />
  );
}

/** Closed dossiers waiting for the agency archive, with their deadlines; the clerk picks and transfers them. */
function Transfers({ agencyId, clerk }: { agencyId: string; clerk: boolean }) {
  const { tx } = useDossierText();
  const { pick } = useI18n();
  const { message } = App.useApp();
  const waiting = useToTransfer(agencyId, true);
  const done = useTransfers(agencyId, true);
  const transfer = useTransfer(agencyId);
  const [chosen, setChosen] = useState<string[]>([]);
  const items = waiting.data?.pages.flatMap((p) => p.items) ?? [];
  const transfers = done.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <List<DossierItem>
        loading={waiting.isPending}
        dataSource={items}
        locale={{ emptyText: <Empty description={tx('empty')} /> }}
        loadMore={<More has={waiting.hasNextPage} loading={waiting.isFetchingNextPage} onMore={() => void waiting.fetchNextPage()} />}
        renderItem={(d) => (
          <DossierRow
            d={d}
            extra={
              clerk ? (
                <Checkbox
                  aria-label={d.code}
                  checked={chosen.includes(d.id)}
                  onChange={(e) => setChosen(e.target.checked ? [...chosen, d.id] : chosen.filter((x) => x !== d.id))}
                />
              ) : null
            }
          />
        )}
      />
      {clerk && (
        <Button
          type="primary"
          disabled={chosen.length === 0}
          loading={transfer.isPending}
          onClick={() =>
            transfer.mutate(chosen, {
              onSuccess: (r) => {
                setChosen([]);
                void message.success(tx('transferred', { name: r.fileName }));
              },
              onError: (e) => void message.error(errorText(e, pick)),
            })
          }
        >
          {tx('transferSelected')}
        </Button>
      )}
      <Card size="small" title={tx('transfers')}>
        <List
          loading={done.isPending}
          dataSource={transfers}
          loadMore={<More has={done.hasNextPage} loading={done.isFetchingNextPage} onMore={() => void done.fetchNextPage()} />}
          renderItem={(t) => (
            <List.Item
              actions={[
                <a key="dl" href={packageUrl(agencyId, t.id)} download={t.fileName} data-testid={`package-${t.id}`}>
                  {tx('download')}
                </a>,
              ]}
            >
              <List.Item.Meta
                title={t.fileName}
                description={
                  <Space direction="vertical" size={0} style={{ minWidth: 0 }}>
                    <span>
                      {dateTime(t.at)} · {t.by} · {tx('dossierCount', { n: t.dossierCount })}
                    </span>
                    <Typography.Text code copyable style={{ wordBreak: 'break-all', fontSize: 12 }}>
                      {t.sha256}
                    </Typography.Text>
                  </Space>
                }
              />
            </List.Item>
          )}
        />
      </Card>
    </Space>
  );
}

function Appraisal({ agencyId }: { agencyId: string }) {
  const { tx } = useDossierText();
  const list = useAppraisalList(agencyId, true);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <List<DossierItem>
      loading={list.isPending}
      dataSource={items}
      locale={{ emptyText: <Empty description={tx('empty')} /> }}
      loadMore={<More has={list.hasNextPage} loading={list.isFetchingNextPage} onMore={() => void list.fetchNextPage()} />}
      renderItem={(d) => (
        <DossierRow
          d={d}
          extra={
            <span>
              {tx('keepUntil')} {d.keepUntilYear}
            </span>
          }
        />
      )}
    />
  );
}
