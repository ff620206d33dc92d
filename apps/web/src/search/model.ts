import { useInfiniteQuery } from '@tanstack/react-query';
import { api, query } from '../api';

export interface Segment {
  text: string;
  hit: boolean;
}

/** One result of GET /agencies/:id/search. */
export interface SearchHit {
  kind: 'incoming' | 'outgoing';
  id: string;
  title: Segment[];
  reference: string;
  date: string;
  party: string;
  signer: string | null;
  documentType: string;
  urgency: string;
  state: string;
  channel: string | null;
  snippet: Segment[] | null;
  link: string;
}

export const FACETS = ['kind', 'year', 'documentType', 'urgency', 'state', 'channel'] as const;
export type Facet = (typeof FACETS)[number];
export type FacetCounts = Record<Facet, { value: string; count: number }[]>;

export interface SearchPage {
  items: SearchHit[];
  nextCursor: string | null;
  facets: FacetCounts | null;
}

/** What the search page asks: the words and the chosen filter values, as in its address. */
export type SearchParams = { q: string } & Partial<Record<Facet | 'from' | 'to', string>>;

export function useSearch(agencyId: string, params: SearchParams) {
  return useInfiniteQuery({
    queryKey: ['search', agencyId, params],
    queryFn: ({ pageParam }) => api<SearchPage>('GET', `/agencies/${agencyId}/search${query({ ...params, cursor: pageParam, limit: 20 })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
