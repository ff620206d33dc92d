import { useState } from 'react';
import { Button, Drawer, Empty, List, Space, Tabs, Tag, Typography } from 'antd';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import type { Me } from '../api';
import { currentMembership } from '../session';
import { UrgencyTag } from '../incoming/tags';
import { vnDate } from '../incoming/texts';
import { AskedOfMe } from './Consultations';
import { DraftForm } from './DraftForm';
import { useOutgoingList, type OutgoingItem, type OutgoingView } from './model';
import { OutgoingStateTag, SameDayTag } from './tags';
import { useOutgoingText } from './texts';

type Tab = OutgoingView | 'asked';

/** The outgoing documents of the agency acted for: what waits for me, my drafts, the agency's, and comments asked of me. */
export function OutgoingPage({ me }: { me: Me }) {
  const agencyId = me.currentAgencyId;
  const roles = currentMembership(me)?.roles ?? [];
  const wholeAgency = roles.some((r) => r === 'clerk' || r === 'agency_leader' || r === 'department_leader');
  const { tx } = useOutgoingText();
  const navigate = useNavigate();
  const [tab, setTab] = useState<Tab>('waiting');
  // Coming from an incoming document's "draft a reply": the form opens answering it.
  const [search, setSearch] = useSearchParams();
  const replyTo = search.get('replyTo');
  const [drafting, setDrafting] = useState(replyTo !== null);
  const close = () => {
    setDrafting(false);
    if (replyTo) setSearch({}, { replace: true });
  };
  const tabs: Tab[] = ['waiting', 'mine', ...(wholeAgency ? (['all'] as const) : []), 'asked'];
  const labels: Record<Tab, string> = { waiting: tx('waiting'), mine: tx('mine'), all: tx('all'), asked: tx('asked') };
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {labels[tab]}
        </Typography.Title>
        <Space wrap>
          <Link to="/outgoing/sent">{tx('sentHub')}</Link>
          <Button type="primary" onClick={() => setDrafting(true)}>
            {tx('newDraft')}
          </Button>
        </Space>
      </Space>
      <Tabs activeKey={tab} onChange={(k) => setTab(k as Tab)} items={tabs.map((t) => ({ key: t, label: labels[t] }))} />
      {tab === 'asked' ? (
        <AskedOfMe agencyId={agencyId} />
      ) : (
        <Results agencyId={agencyId} view={tab} onOpen={(id) => navigate(`/outgoing/${id}`)} />
      )}
      <Drawer title={tx('newDraft')} open={drafting} onClose={close} width={760} destroyOnHidden>
        <DraftForm
          me={me}
          {...(replyTo ? { replyTo } : {})}
          onSaved={(id) => {
            setDrafting(false);
            navigate(`/outgoing/${id}`);
          }}
        />
      </Drawer>
    </Space>
  );
}

function Results({ agencyId, view, onOpen }: { agencyId: string; view: OutgoingView; onOpen: (id: string) => void }) {
  const { tx, classification } = useOutgoingText();
  const list = useOutgoingList(agencyId, view);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  if (!list.isPending && items.length === 0) return <Empty description={tx('empty')} />;
  return (
    <List<OutgoingItem>
      loading={list.isPending}
      dataSource={items}
      loadMore={
        list.hasNextPage ? (
          <Button block onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {tx('loadMore')}
          </Button>
        ) : null
      }
      renderItem={(d) => (
        <List.Item onClick={() => onOpen(d.id)} style={{ cursor: 'pointer' }} data-testid="outgoing-row">
          <List.Item.Meta
            title={
              <Space wrap size={4}>
                {d.number && <Typography.Text strong>{`${d.number}/${d.notation ?? ''}`}</Typography.Text>}
                <Typography.Text>{d.documentType}</Typography.Text>
                <OutgoingStateTag state={d.state} />
                <UrgencyTag urgency={d.urgency} />
                {d.classification !== 'none' && <Tag color="red">{classification(d.classification)}</Tag>}
                {d.sameDay && d.state !== 'issued' && <SameDayTag value={d.sameDay} />}
              </Space>
            }
            description={
              <>
                <div>{d.subject}</div>
                <Typography.Text type="secondary">
                  {tx('updated')}: {vnDate(d.updatedAt)} · v{d.version}
                </Typography.Text>
              </>
            }
          />
        </List.Item>
      )}
    />
  );
}
