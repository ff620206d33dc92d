import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, query, type Bilingual, type Page } from '../api';

/** One of the caller's notifications, as GET /api/notifications gives it. */
export interface Notice {
  id: string;
  kind: string;
  text: Bilingual;
  incomingId: string | null;
  outgoingId: string | null;
  dossierId: string | null;
  agencyId: string;
  createdAt: string;
  readAt: string | null;
}

const KEY = ['notifications'] as const;
// New notices come from other people's work and from the reminder job: look every half minute.
const POLL_MS = 30_000;

export function useUnreadCount() {
  return useQuery({
    queryKey: [...KEY, 'unread-count'],
    queryFn: () => api<{ count: number }>('GET', '/notifications/unread-count'),
    refetchInterval: POLL_MS,
  });
}

/** The latest notices, fetched only while someone looks at them. */
export function useLatestNotices(enabled: boolean, limit = 10) {
  return useQuery({
    queryKey: [...KEY, 'latest', limit],
    queryFn: () => api<Page<Notice>>('GET', `/notifications${query({ limit })}`),
    enabled,
    refetchInterval: enabled ? POLL_MS : false,
  });
}

export function useMarkRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<undefined>('POST', `/notifications/${id}/read`),
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useMarkAllRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<{ marked: number }>('POST', '/notifications/read-all'),
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}
