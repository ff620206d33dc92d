import { useState } from 'react';
import { Button, DatePicker, Drawer, Empty, Grid, Input, List, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import type { Dayjs } from 'dayjs';
import type { Me } from '../api';
import { currentMembership } from '../session';
import { PaperRegistration } from './PaperRegistration';
import { useIncomingList, useRegisters, type IncomingItem, type IncomingState, type ListFilter, type Urgency } from './model';

import { code, dmy, useIncomingText, vnDate } from './texts';
import { StateTag, UrgencyTag } from './tags';

const STATES: IncomingState[] = ['awaiting', 'registered', 'submitted', 'assigned', 'in_progress', 'completed', 'refused', 'withdrawn'];

type Tab = 'awaiting' | 'registered' | 'to_direct' | 'mine' | 'overdue' | 'all';

/** Which lists a person has: the clerk's, the leader's, and everyone's own work. */
function tabsFor(roles: readonly string[]): Tab[] {
  const clerk = roles.includes('clerk');
  const leader = roles.includes('agency_leader') || roles.includes('department_leader');
  return [
    ...(clerk ? (['awaiting', 'registered'] as const) : []),
    ...(leader ? (['to_direct'] as const) : []),
    'mine',
    'overdue',
    ...(clerk || leader ? (['all'] as const) : []),
  ];
}

function filterOf(tab: Tab, wholeAgency: boolean): ListFilter {
  switch (tab) {
    case 'awaiting':
      return { state: 'awaiting' };
    case 'registered':
      return { state: 'registered' };
    case 'to_direct':
      return { view: 'to_direct' };
    case 'mine':
      return { view: 'mine' };
    case 'overdue':
      return { view: wholeAgency ? 'all' : 'mine', overdue: 'true' };
    case 'all':
      return { view: 'all' };
  }
}

/** The incoming documents of the agency acted for: one tab per list the person works from, with filters. */
export function IncomingPage({ me }: { me: Me }) {
  const agencyId = me.currentAgencyId;
  const roles = currentMembership(me)?.roles ?? [];
  const tabs = tabsFor(roles);
  const wholeAgency = tabs.includes('all');
  const { tx } = useIncomingText();
  const [tab, setTab] = useState<Tab>(tabs[0]!);
  const [extra, setExtra] = useState<ListFilter>({});
  const [paperOpen, setPaperOpen] = useState(false);
  const navigate = useNavigate();
  const labels: Record<Tab, string> = {
    awaiting: tx('awaiting'),
    registered: tx('registeredTab'),
    to_direct: tx('toDirect'),
    mine: tx('mine'),
    overdue: tx('overdue'),
    all: tx('all'),
  };
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {labels[tab]}
        </Typography.Title>
        {roles.includes('clerk') && <Button onClick={() => setPaperOpen(true)}>{tx('paper')}</Button>}
      </Space>
      <Tabs activeKey={tab} onChange={(k) => setTab(k as Tab)} items={tabs.map((t) => ({ key: t, label: labels[t] }))} />
      <Filters
        agencyId={agencyId}
        value={extra}
        onChange={setExtra}
        showRegister={wholeAgency}
        showState={tab === 'all' || tab === 'mine'}
      />
      <Results agencyId={agencyId} filter={{ ...extra, ...filterOf(tab, wholeAgency) }} onOpen={(id) => navigate(`/incoming/${id}`)} />
      <Drawer title={tx('paper')} open={paperOpen} onClose={() => setPaperOpen(false)} width={720} destroyOnHidden>
        <PaperRegistration
          agencyId={agencyId}
          onRegistered={(id) => {
            setPaperOpen(false);
            navigate(`/incoming/${id}`);
          }}
        />
      </Drawer>
    </Space>
  );
}

function Filters({
  agencyId,
  value,
  onChange,
  showRegister,
  showState,
}: {
  agencyId: string;
  value: ListFilter;
  onChange: (f: ListFilter) => void;
  showRegister: boolean;
  showState: boolean;
}) {
  const { tx, urgency, state } = useIncomingText();
  const registers = useRegisters(agencyId);
  const set = (patch: ListFilter) => onChange({ ...value, ...patch });
  const day = (d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined);
  return (
    <Space wrap>
      <Input.Search
        allowClear
        aria-label={tx('searchSender')}
        placeholder={tx('searchSender')}
        style={{ width: 240 }}
        onSearch={(s) => set({ sender: s.trim() || undefined })}
      />
      <Select<Urgency>
        allowClear
        aria-label={tx('urgency')}
        placeholder={tx('urgency')}
        style={{ width: 150 }}
        value={value.urgency}
        onChange={(u) => set({ urgency: u })}
        options={(['normal', 'urgent', 'very_urgent', 'express'] as const).map((u) => ({ value: u, label: urgency(u) }))}
      />
      {showState && (
        <Select<IncomingState>
          allowClear
          aria-label={tx('state')}
          placeholder={tx('state')}
          style={{ width: 160 }}
          value={value.state}
          onChange={(st) => set({ state: st })}
          options={STATES.map((st) => ({ value: st, label: state(st) }))}
        />
      )}
      {showRegister && (
        <Select
          allowClear
          aria-label={tx('register')}
          placeholder={tx('register')}
          style={{ width: 200 }}
          value={value.registerId}
          onChange={(r: string | undefined) => set({ registerId: r })}
          options={registers.data?.items.map((r) => ({ value: r.id, label: r.name })) ?? []}
        />
      )}
      <DatePicker placeholder={tx('from')} aria-label={tx('from')} format="DD/MM/YYYY" onChange={(d) => set({ receivedFrom: day(d) })} />
      <DatePicker placeholder={tx('to')} aria-label={tx('to')} format="DD/MM/YYYY" onChange={(d) => set({ receivedTo: day(d) })} />
    </Space>
  );
}

function Results({ agencyId, filter, onOpen }: { agencyId: string; filter: ListFilter; onOpen: (id: string) => void }) {
  const { tx } = useIncomingText();
  const list = useIncomingList(agencyId, filter);
  const screens = Grid.useBreakpoint();
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const more = list.hasNextPage ? (
    <Button block onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
      {tx('loadMore')}
    </Button>
  ) : null;
  if (!list.isPending && items.length === 0) return <Empty description={tx('empty')} />;
  // A phone gets cards a thumb can open; a desk screen gets the register's columns.
  return screens.md ? (
    <>
      <ResultTable items={items} loading={list.isPending} onOpen={onOpen} />
      {more}
    </>
  ) : (
    <List
      loading={list.isPending}
      dataSource={items}
      loadMore={more}
      renderItem={(d) => (
        <List.Item onClick={() => onOpen(d.id)} style={{ cursor: 'pointer' }} data-testid="incoming-row">
          <List.Item.Meta
            title={
              <Space wrap size={4}>
                <Typography.Text strong>{code(d)}</Typography.Text>
                <StateTag state={d.state} />
                <UrgencyTag urgency={d.urgency} />
                {d.overdue && <Tag color="red">{tx('overdue')}</Tag>}
              </Space>
            }
            description={
              <>
                <div>{d.subject}</div>
                <Typography.Text type="secondary">
                  {d.senderName} · {vnDate(d.receivedAt)}
                  {d.dueDate ? ` · ${tx('due')}: ${dmy(d.dueDate)}` : ''}
                </Typography.Text>
              </>
            }
          />
        </List.Item>
      )}
    />
  );
}

function ResultTable({ items, loading, onOpen }: { items: IncomingItem[]; loading: boolean; onOpen: (id: string) => void }) {
  const { tx } = useIncomingText();
  return (
    <Table<IncomingItem>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={items}
      pagination={false}
      onRow={(d) => ({ onClick: () => onOpen(d.id), style: { cursor: 'pointer' }, 'data-testid': 'incoming-row' }) as never}
      columns={[
        { title: tx('registerNumber'), dataIndex: 'registerNumber', width: 90 },
        { title: tx('numberNotation'), render: (_, d) => code(d), width: 150 },
        { title: tx('issueDate'), render: (_, d) => dmy(d.issueDate), width: 110 },
        { title: tx('sender'), dataIndex: 'senderName', width: 220 },
        {
          title: tx('subject'),
          render: (_, d) => (
            <Space direction="vertical" size={0}>
              <span>{d.subject}</span>
              <Space size={4}>
                <UrgencyTag urgency={d.urgency} />
                {d.senderRequest && <Tag color="orange">{tx('senderAsks')}</Tag>}
              </Space>
            </Space>
          ),
        },
        { title: tx('received'), render: (_, d) => vnDate(d.receivedAt), width: 110 },
        {
          title: tx('due'),
          width: 120,
          render: (_, d) => (d.dueDate ? <Typography.Text type={d.overdue ? 'danger' : undefined}>{dmy(d.dueDate)}</Typography.Text> : ''),
        },
        { title: tx('state'), render: (_, d) => <StateTag state={d.state} />, width: 140 },
      ]}
    />
  );
}
