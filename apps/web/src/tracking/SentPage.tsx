import { Button, Card, Empty, List, Result, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, query, type Me, type Page } from '../api';
import { errorText } from '../errors';
import { useI18n } from '../i18n';
import { code, dateTime, useIncomingText } from '../incoming/texts';

interface Status {
  status: string;
  description: string | null;
  at: string;
}

interface Sent {
  documentId: string;
  number: string;
  notation: string;
  subject: string;
  sentAt: string;
  hubState: 'queued' | 'sent' | 'refused';
  recipients: { code: string; name: string; latest: Status | null }[];
}

interface Tracked {
  documentId: string;
  hubState: 'queued' | 'sent' | 'refused';
  statuses: (Status & { recipientCode: string; recipientName: string })[];
  timeline: { seq: number; at: string; action: string; actor: { id: string; name: string } | null; details: Record<string, unknown> }[];
}

const TEXT = {
  title: ['Văn bản đã gửi qua trục liên thông', 'Documents sent through the hub'],
  queued: ['Chờ trục nhận', 'Waiting for the hub'],
  sent: ['Trục đã nhận', 'Accepted by the hub'],
  refused: ['Trục từ chối', 'Refused by the hub'],
  noAnswer: ['Chưa có phản hồi', 'No answer yet'],
  statuses: ['Trạng thái từ các nơi nhận', 'Statuses from the recipients'],
} as const;

function useText() {
  const { lang } = useI18n();
  return (key: keyof typeof TEXT) => TEXT[key][lang === 'vi' ? 0 : 1];
}

const STATUS_COLOR: Record<string, string> = {
  '01': 'default',
  '02': 'red',
  '03': 'blue',
  '04': 'cyan',
  '05': 'geekblue',
  '06': 'green',
  '15': 'orange',
  '16': 'red',
};

function StatusTag({ status }: { status: string }) {
  const { status: label } = useIncomingText();
  return (
    <Tag color={STATUS_COLOR[status] ?? 'default'}>
      {status} · {label(status)}
    </Tag>
  );
}

/** What the agency sent through the hub and where each copy stands at each recipient. */
export function SentPage({ me }: { me: Me }) {
  const agencyId = me.currentAgencyId;
  const t = useText();
  const navigate = useNavigate();
  const list = useInfiniteQuery({
    queryKey: ['sent', agencyId],
    queryFn: ({ pageParam }) => api<Page<Sent>>('GET', `/agencies/${agencyId}/sent${query({ cursor: pageParam, limit: 30 })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 15_000,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('title')}
      </Typography.Title>
      {!list.isPending && items.length === 0 ? (
        <Empty />
      ) : (
        <List
          loading={list.isPending}
          dataSource={items}
          loadMore={list.hasNextPage ? <Button onClick={() => void list.fetchNextPage()}>…</Button> : null}
          renderItem={(d) => (
            <List.Item
              style={{ cursor: 'pointer' }}
              data-testid="sent-row"
              onClick={() => navigate(`/outgoing/sent/${encodeURIComponent(d.documentId)}`)}
            >
              <List.Item.Meta
                title={
                  <Space wrap>
                    <Typography.Text strong>{code(d)}</Typography.Text>
                    <Tag>{t(d.hubState)}</Tag>
                  </Space>
                }
                description={
                  <>
                    <div>{d.subject}</div>
                    <Space wrap size={4} style={{ marginTop: 4 }}>
                      {d.recipients.map((r) => (
                        <span key={r.code}>
                          {r.name}: {r.latest ? <StatusTag status={r.latest.status} /> : <Tag>{t('noAnswer')}</Tag>}
                        </span>
                      ))}
                    </Space>
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
    </Space>
  );
}

/** One sent document: every status from every recipient with its time, and the agency's own record. */
export function SentDetailPage({ me }: { me: Me }) {
  const { documentId = '' } = useParams();
  const agencyId = me.currentAgencyId;
  const t = useText();
  const { pick } = useI18n();
  const { event, tx } = useIncomingText();
  const tracked = useQuery({
    queryKey: ['sent', agencyId, documentId],
    queryFn: () => api<Tracked>('GET', `/agencies/${agencyId}/sent/${encodeURIComponent(documentId)}`),
    refetchInterval: 10_000,
  });
  if (tracked.isPending) return <Spin />;
  if (tracked.isError) return <Result status="warning" title={errorText(tracked.error, pick)} />;
  const d = tracked.data;
  // The sending event holds how the agency numbered and named the document.
  const sent = d.timeline.find((e) => e.action === 'send')?.details as { number?: string; notation?: string; subject?: string } | undefined;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Link to="/outgoing/sent">‹ {tx('back')}</Link>
      <Space wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {sent?.number ? code({ number: sent.number, notation: sent.notation ?? '' }) : d.documentId}
        </Typography.Title>
        <Tag>{t(d.hubState)}</Tag>
      </Space>
      {sent?.subject && <Typography.Paragraph style={{ fontSize: 16, margin: 0 }}>{sent.subject}</Typography.Paragraph>}
      <Typography.Text type="secondary" style={{ wordBreak: 'break-all' }}>
        {d.documentId}
      </Typography.Text>
      <Card size="small" title={tx('timeline')}>
        <Timeline
          items={d.timeline.map((e) => {
            const status = typeof e.details.status === 'string' ? e.details.status : null;
            const recipient = typeof e.details.recipientName === 'string' ? e.details.recipientName : null;
            const when = typeof e.details.statusAt === 'string' ? e.details.statusAt : e.at;
            return {
              children: (
                <div data-testid="sent-timeline-entry" data-status={status ?? ''}>
                  <Typography.Text strong>{event(e.action)}</Typography.Text> {status && <StatusTag status={status} />}
                  {recipient && <div>{recipient}</div>}
                  {typeof e.details.description === 'string' && <div>{e.details.description}</div>}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {dateTime(when)} · {e.actor?.name ?? tx('system')}
                  </Typography.Text>
                </div>
              ),
            };
          })}
        />
      </Card>
    </Space>
  );
}
