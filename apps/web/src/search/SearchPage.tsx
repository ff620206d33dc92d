import { Alert, Button, Card, Empty, Input, List, Select, Space, Spin, Tag, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import type { Me } from '../api';
import { errorText } from '../errors';
import { useI18n } from '../i18n';
import type { IncomingState, Urgency } from '../incoming/model';
import { UrgencyTag } from '../incoming/tags';
import { dmy, useIncomingText } from '../incoming/texts';
import type { OutgoingState } from '../outgoing/model';
import { useOutgoingText } from '../outgoing/texts';
import { FACETS, useSearch, type Facet, type FacetCounts, type SearchHit, type SearchParams, type Segment } from './model';
import { useSearchText } from './texts';

const INCOMING_STATES: readonly string[] = [
  'awaiting',
  'refused',
  'registered',
  'submitted',
  'assigned',
  'in_progress',
  'completed',
  'withdrawn',
];

/** The words of the query marked in a text, as the server cut it; never HTML from the server. */
function Marked({ segments }: { segments: Segment[] }) {
  return <>{segments.map((s, i) => (s.hit ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}</>;
}

/** How a facet's value reads, in the language chosen. */
function useFacetLabel() {
  const { tx } = useSearchText();
  const incoming = useIncomingText();
  const outgoing = useOutgoingText();
  return (facet: Facet, value: string): string => {
    if (facet === 'kind' || facet === 'channel') return tx(value as 'incoming' | 'outgoing' | 'hub' | 'internal' | 'paper');
    if (facet === 'urgency') return incoming.urgency(value as Urgency);
    if (facet === 'state')
      return INCOMING_STATES.includes(value) ? incoming.state(value as IncomingState) : outgoing.state(value as OutgoingState);
    return value;
  };
}

/** The search page: results of the words in its address, best first, with filters counted for them. */
export function SearchPage({ me }: { me: Me }) {
  const { tx } = useSearchText();
  const { pick } = useI18n();
  const [address, setAddress] = useSearchParams();
  const params: SearchParams = { q: address.get('q') ?? '' };
  for (const key of [...FACETS, 'from', 'to'] as const) {
    const value = address.get(key);
    if (value) params[key] = value;
  }
  const search = useSearch(me.currentAgencyId, params);
  const first = search.data?.pages[0];
  const facets = first?.facets ?? null;
  const hits = search.data?.pages.flatMap((p) => p.items) ?? [];
  // The kind facet counts under every other choice: its values, or the one chosen, add up to the results.
  const total = facets ? facets.kind.filter((f) => !params.kind || f.value === params.kind).reduce((n, f) => n + f.count, 0) : null;
  const choose = (key: Facet | 'from' | 'to', value: string | undefined) => {
    const next = new URLSearchParams(address);
    if (value) next.set(key, value);
    else next.delete(key);
    setAddress(next);
  };
  const filtered = [...FACETS, 'from', 'to'].some((k) => address.has(k));

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {tx('title')}
      </Typography.Title>
      <Card
        size="small"
        title={tx('filters')}
        extra={
          filtered && (
            <Button size="small" onClick={() => setAddress({ q: params.q })}>
              {tx('clear')}
            </Button>
          )
        }
      >
        <Filters params={params} facets={facets} choose={choose} />
      </Card>
      {search.isError && <Alert type="error" message={errorText(search.error, pick)} />}
      {search.isPending ? (
        <Spin />
      ) : (
        <>
          {total !== null && (
            <Typography.Text type="secondary" data-testid="search-total">
              {tx('results', { count: total })}
            </Typography.Text>
          )}
          {/* Says which query the list shows: a new one replaces it only once its answer has come. */}
          <div data-testid="search-results" data-query={params.q}>
            <List dataSource={hits} locale={{ emptyText: <Empty description={tx('empty')} /> }} renderItem={(hit) => <Hit hit={hit} />} />
          </div>
          {search.hasNextPage && (
            <Button onClick={() => void search.fetchNextPage()} loading={search.isFetchingNextPage}>
              {tx('loadMore')}
            </Button>
          )}
        </>
      )}
    </Space>
  );
}

function Filters({
  params,
  facets,
  choose,
}: {
  params: SearchParams;
  facets: FacetCounts | null;
  choose: (key: Facet | 'from' | 'to', value: string | undefined) => void;
}) {
  const { tx } = useSearchText();
  const label = useFacetLabel();
  return (
    <Space wrap style={{ width: '100%' }}>
      {FACETS.map((facet) => {
        const counted = facets?.[facet] ?? [];
        const chosen = params[facet];
        // A chosen value stays listed even when it no longer counts anything.
        const values = chosen && !counted.some((c) => c.value === chosen) ? [...counted, { value: chosen, count: 0 }] : counted;
        if (values.length === 0) return null;
        return (
          <Select
            key={facet}
            aria-label={tx(facet)}
            data-testid={`facet-${facet}`}
            placeholder={tx(facet)}
            allowClear
            style={{ minWidth: 150 }}
            value={chosen}
            onChange={(value: string | undefined) => choose(facet, value)}
            options={values.map((v) => ({ value: v.value, label: `${label(facet, v.value)} (${v.count})` }))}
          />
        );
      })}
      <Input
        type="date"
        aria-label={tx('from')}
        addonBefore={tx('from')}
        value={params.from ?? ''}
        onChange={(e) => choose('from', e.target.value || undefined)}
        style={{ width: 240 }}
      />
      <Input
        type="date"
        aria-label={tx('to')}
        addonBefore={tx('to')}
        value={params.to ?? ''}
        onChange={(e) => choose('to', e.target.value || undefined)}
        style={{ width: 240 }}
      />
    </Space>
  );
}

function Hit({ hit }: { hit: SearchHit }) {
  const { tx } = useSearchText();
  const label = useFacetLabel();
  return (
    <List.Item data-testid="search-hit">
      <Space direction="vertical" size={2} style={{ width: '100%', minWidth: 0 }}>
        <Space wrap size={4}>
          <Tag color={hit.kind === 'incoming' ? 'blue' : 'green'}>{tx(hit.kind)}</Tag>
          {hit.reference && <Typography.Text strong>{hit.reference}</Typography.Text>}
          <Typography.Text type="secondary">{dmy(hit.date)}</Typography.Text>
          <Tag>{label('state', hit.state)}</Tag>
          <UrgencyTag urgency={hit.urgency as Urgency} />
        </Space>
        <Link to={hit.link} data-testid="search-hit-title" style={{ overflowWrap: 'anywhere' }}>
          <Marked segments={hit.title} />
        </Link>
        <Typography.Text type="secondary" style={{ overflowWrap: 'anywhere' }}>
          {hit.kind === 'incoming' ? tx('sender') : tx('recipients')}: {hit.party || '—'}
          {hit.signer && ` · ${tx('signer')}: ${hit.signer}`}
          {hit.documentType && ` · ${hit.documentType}`}
        </Typography.Text>
        {hit.snippet && (
          <Typography.Paragraph type="secondary" style={{ margin: 0, overflowWrap: 'anywhere' }} data-testid="search-snippet">
            {tx('inText')}: <Marked segments={hit.snippet} />
          </Typography.Paragraph>
        )}
      </Space>
    </List.Item>
  );
}
