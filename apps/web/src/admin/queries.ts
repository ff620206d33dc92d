import { useQuery } from '@tanstack/react-query';
import { api, query, type Agency, type Department, type Level, type Page } from '../api';

export function useLevels() {
  return useQuery({ queryKey: ['levels'], queryFn: () => api<{ items: Level[] }>('GET', '/levels'), staleTime: Infinity });
}

export function useAgency(agencyId: string) {
  return useQuery({ queryKey: ['agency', agencyId], queryFn: () => api<Agency>('GET', `/agencies/${agencyId}`) });
}

export function useDepartments(agencyId: string) {
  return useQuery({
    queryKey: ['departments', agencyId],
    queryFn: () => api<{ items: Department[] }>('GET', `/agencies/${agencyId}/departments`),
  });
}

/** Every child of an agency, following the pages of the directory. */
export async function fetchChildren(parentId: string): Promise<Agency[]> {
  const all: Agency[] = [];
  let cursor: string | undefined;
  do {
    const page = await api<Page<Agency>>('GET', `/agencies${query({ parentId, cursor, limit: 200 })}`);
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}
