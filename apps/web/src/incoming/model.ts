import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, query, type Page } from '../api';

export type IncomingState = 'awaiting' | 'refused' | 'registered' | 'submitted' | 'assigned' | 'in_progress' | 'completed' | 'withdrawn';
export type IncomingAction =
  | 'register'
  | 'refuse'
  | 'submit'
  | 'return'
  | 'assign'
  | 'report_progress'
  | 'give_input'
  | 'attach_file'
  | 'complete'
  | 'reopen'
  | 'forward'
  | 'agree_recall'
  | 'refuse_recall';
export type Urgency = 'normal' | 'urgent' | 'very_urgent' | 'express' | 'express_scheduled';
export type Verdict = 'valid' | 'invalid' | 'indeterminate';

/** One row of GET /agencies/:id/incoming. */
export interface IncomingItem {
  id: string;
  state: IncomingState;
  channel: 'hub' | 'internal' | 'paper';
  senderCode: string | null;
  senderName: string;
  number: string;
  notation: string;
  issueDate: string | null;
  documentType: string;
  subject: string;
  urgency: Urgency;
  replyDue: string | null;
  verdict: Verdict | null;
  receivedAt: string;
  registerNumber: string | null;
  registerYear: number | null;
  dueDate: string | null;
  overdue: boolean;
  senderRequest: 'recall' | 'amend' | 'replace' | null;
}

export interface Person {
  id: string;
  name: string;
}

export interface IncomingDetail extends IncomingItem {
  documentId: string | null;
  signerName: string | null;
  verification: { verdict: Verdict; reasons: { code: string; vi: string; en: string; detail?: string }[] } | null;
  files: { position: number; name: string; contentType: string; sha256: string; size: number; addedBy: string | null }[];
  refusalReason: string | null;
  possibleDuplicateOf: string | null;
  submittedTo: Person | null;
  returnReason: string | null;
  direction: string | null;
  directedBy: Person | null;
  directedAt: string | null;
  assignments: {
    part: 'lead' | 'co' | 'info';
    userId: string | null;
    departmentId: string | null;
    name: string;
    input: string | null;
    inputAt: string | null;
  }[];
  result: string | null;
  completedAt: string | null;
  replyDocumentId: string | null;
  replies: { id: string; state: string; number: string | null; notation: string | null; subject: string }[];
  forwardedFrom: string | null;
  senderRequestReason: string | null;
  senderRequestVersion: string | null;
  actions: IncomingAction[];
}

export interface TimelineEntry {
  seq: number;
  at: string;
  action: string;
  actor: Person | null;
  from: string | null;
  to: string | null;
  details: Record<string, unknown>;
}

export interface Assignable {
  people: { id: string; name: string; position: string | null; departmentId: string | null; leader: boolean }[];
  departments: { id: string; name: string }[];
}

export interface ListFilter {
  view?: 'all' | 'to_direct' | 'mine';
  state?: IncomingState;
  overdue?: 'true';
  sender?: string;
  urgency?: Urgency;
  registerId?: string;
  receivedFrom?: string;
  receivedTo?: string;
}

const base = (agencyId: string) => `/agencies/${agencyId}/incoming`;

export function useIncomingList(agencyId: string, filter: ListFilter) {
  return useInfiniteQuery({
    queryKey: ['incoming', agencyId, 'list', filter],
    queryFn: ({ pageParam }) => api<Page<IncomingItem>>('GET', `${base(agencyId)}${query({ ...filter, cursor: pageParam, limit: 30 })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // Documents arrive from the hub at any moment: a clerk watching the list sees them without reloading.
    refetchInterval: 15_000,
  });
}

export function useIncoming(agencyId: string, id: string, enabled = true) {
  return useQuery({
    queryKey: ['incoming', agencyId, id],
    queryFn: () => api<IncomingDetail>('GET', `${base(agencyId)}/${id}`),
    enabled,
  });
}

export function useTimeline(agencyId: string, id: string) {
  return useQuery({
    queryKey: ['incoming', agencyId, id, 'timeline'],
    queryFn: () => api<{ items: TimelineEntry[] }>('GET', `${base(agencyId)}/${id}/timeline`),
  });
}

export function useAssignable(agencyId: string) {
  return useQuery({
    queryKey: ['assignable', agencyId],
    queryFn: () => api<Assignable>('GET', `/agencies/${agencyId}/assignable`),
    staleTime: 60_000,
  });
}

export function useRegisters(agencyId: string) {
  return useQuery({
    queryKey: ['registers', agencyId, 'incoming'],
    queryFn: () =>
      api<{ items: { id: string; name: string; classified: boolean }[] }>('GET', `/agencies/${agencyId}/registers?kind=incoming`),
    staleTime: 60_000,
  });
}

/** One workflow action on a document; every incoming list and the document itself are fetched again after it. */
export function useIncomingAction(agencyId: string, id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ path, body }: { path: string; body?: unknown }) => api<unknown>('POST', `${base(agencyId)}/${id}/${path}`, body ?? {}),
    onSuccess: () => client.invalidateQueries({ queryKey: ['incoming', agencyId] }),
  });
}

export function fileUrl(agencyId: string, id: string, position: number, download = false): string {
  return `/api${base(agencyId)}/${id}/files/${position}${download ? '?download=1' : ''}`;
}
