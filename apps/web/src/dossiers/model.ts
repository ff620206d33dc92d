import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, query, type Page } from '../api';

export type DossierState = 'open' | 'closed' | 'transferred' | 'destroyed';
export type DossierAction = 'file' | 'remove' | 'close' | 'reopen' | 'transfer' | 'appraise';

/** One entry of a year's file plan. */
export interface PlanEntry {
  id: string;
  year: number;
  position: number;
  code: string;
  title: string;
  heading: string | null;
  retentionYears: number | null;
  departmentId: string | null;
  departmentName: string | null;
  note: string | null;
  dossierCount: number;
}

export interface DossierItem {
  id: string;
  code: string;
  title: string;
  state: DossierState;
  entryId: string;
  planYear: number;
  retentionYears: number | null;
  responsible: { id: string; name: string };
  startDate: string;
  endDate: string | null;
  transferDeadline: string | null;
  keepUntilYear: number | null;
  itemCount: number;
}

export interface DossierDetail extends DossierItem {
  entryTitle: string;
  heading: string | null;
  departmentName: string | null;
  openedBy: { id: string; name: string };
  pageCount: number | null;
  documentCount: number | null;
  items: {
    position: number;
    kind: 'incoming' | 'outgoing' | 'file';
    documentId: string | null;
    label: string;
    subject: string | null;
    date: string | null;
    size: number | null;
    contentType: string | null;
    addedBy: string;
    addedAt: string;
  }[];
  transfer: { id: string; at: string; by: string; sha256: string } | null;
  appraisals: { decision: 'keep' | 'destroy'; extraYears: number | null; reason: string; legalBasis: string; by: string; at: string }[];
  actions: DossierAction[];
}

export interface Transfer {
  id: string;
  at: string;
  by: string;
  fileName: string;
  sha256: string;
  size: number;
  dossierCount: number;
}

export interface TimelineItem {
  seq: number;
  at: string;
  action: string;
  actor: { id: string; name: string } | null;
  from: string | null;
  to: string | null;
  details: Record<string, unknown>;
}

export interface EntryInput {
  year: number;
  code: string;
  title: string;
  heading: string | null;
  retentionYears: number | null;
  departmentId: string | null;
  note: string | null;
}

const base = (agencyId: string) => `/agencies/${agencyId}`;

function usePaged<T>(key: unknown[], path: (cursor: string | undefined) => string, enabled = true) {
  return useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) => api<Page<T>>('GET', path(pageParam)),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

export function useFilePlan(agencyId: string, year: number) {
  return usePaged<PlanEntry>(
    ['dossiers', agencyId, 'plan', year],
    (cursor) => `${base(agencyId)}/file-plan${query({ year, cursor, limit: 200 })}`,
  );
}

export function useDossierList(agencyId: string, view: 'mine' | 'all', entryId?: string) {
  return usePaged<DossierItem>(
    ['dossiers', agencyId, 'list', view, entryId],
    (cursor) => `${base(agencyId)}/dossiers${query({ view, entryId, cursor, limit: 50 })}`,
  );
}

export function useToTransfer(agencyId: string, enabled: boolean) {
  return usePaged<DossierItem>(
    ['dossiers', agencyId, 'to-transfer'],
    (cursor) => `${base(agencyId)}/archive/to-transfer${query({ cursor, limit: 100 })}`,
    enabled,
  );
}

export function useTransfers(agencyId: string, enabled: boolean) {
  return usePaged<Transfer>(
    ['dossiers', agencyId, 'transfers'],
    (cursor) => `${base(agencyId)}/archive/transfers${query({ cursor, limit: 50 })}`,
    enabled,
  );
}

export function useAppraisalList(agencyId: string, enabled: boolean) {
  return usePaged<DossierItem>(
    ['dossiers', agencyId, 'appraisal'],
    (cursor) => `${base(agencyId)}/archive/appraisal${query({ cursor, limit: 50 })}`,
    enabled,
  );
}

/** The dossiers holding one document, for its page. */
export function useHoldingDossiers(agencyId: string, document: { incomingId: string } | { outgoingId: string }) {
  return useQuery({
    queryKey: ['dossiers', agencyId, 'holding', document],
    queryFn: () => api<Page<DossierItem>>('GET', `${base(agencyId)}/document-dossiers${query({ ...document, limit: 50 })}`),
  });
}

export function useDossier(agencyId: string, id: string) {
  return useQuery({
    queryKey: ['dossiers', agencyId, 'one', id],
    queryFn: () => api<DossierDetail>('GET', `${base(agencyId)}/dossiers/${id}`),
  });
}

export function useDossierTimeline(agencyId: string, id: string) {
  return useQuery({
    queryKey: ['dossiers', agencyId, 'one', id, 'timeline'],
    queryFn: () => api<{ items: TimelineItem[] }>('GET', `${base(agencyId)}/dossiers/${id}/timeline`),
  });
}

/** Any change refreshes every dossier list and page of the agency. */
function useChange<I, O>(agencyId: string, fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => client.invalidateQueries({ queryKey: ['dossiers', agencyId] }) });
}

export function useAddEntry(agencyId: string) {
  return useChange(agencyId, (input: EntryInput) => api<{ id: string }>('POST', `${base(agencyId)}/file-plan`, input));
}

export function useUpdateEntry(agencyId: string) {
  return useChange(agencyId, ({ id, ...input }: Omit<EntryInput, 'year'> & { id: string }) =>
    api<undefined>('PATCH', `${base(agencyId)}/file-plan/${id}`, input),
  );
}

export function useCopyPlan(agencyId: string) {
  return useChange(agencyId, (input: { fromYear: number; toYear: number }) =>
    api<{ copied: number }>('POST', `${base(agencyId)}/file-plan/copy`, input),
  );
}

export function useOpenDossier(agencyId: string) {
  return useChange(agencyId, (input: { entryId: string; title?: string; startDate: string }) =>
    api<{ id: string }>('POST', `${base(agencyId)}/dossiers`, input),
  );
}

export function useFileDocument(agencyId: string) {
  return useChange(agencyId, (input: { dossierId: string; kind: 'incoming' | 'outgoing'; documentId: string }) =>
    api<{ position: number }>('POST', `${base(agencyId)}/dossiers/${input.dossierId}/documents`, {
      kind: input.kind,
      documentId: input.documentId,
    }),
  );
}

export function useUploadToDossier(agencyId: string, id: string) {
  return useChange(agencyId, (file: File) => {
    const form = new FormData();
    form.append('file', file);
    return api<{ position: number }>('POST', `${base(agencyId)}/dossiers/${id}/files`, form);
  });
}

export function useRemoveItem(agencyId: string, id: string) {
  return useChange(agencyId, (position: number) => api<undefined>('DELETE', `${base(agencyId)}/dossiers/${id}/items/${position}`));
}

export function useDossierAction(agencyId: string, id: string) {
  return useChange(agencyId, (body: { action: 'close'; endDate: string; pageCount: number } | { action: 'reopen'; reason: string }) =>
    api<undefined>('POST', `${base(agencyId)}/dossiers/${id}/actions`, body),
  );
}

export function useTransfer(agencyId: string) {
  return useChange(agencyId, (dossierIds: string[]) =>
    api<{ id: string; sha256: string; fileName: string }>('POST', `${base(agencyId)}/archive/transfers`, { dossierIds }),
  );
}

export function useAppraise(agencyId: string, id: string) {
  return useChange(
    agencyId,
    (
      body:
        | { decision: 'keep'; extraYears: number; reason: string; legalBasis: string }
        | { decision: 'destroy'; reason: string; legalBasis: string },
    ) => api<undefined>('POST', `${base(agencyId)}/dossiers/${id}/appraisal`, body),
  );
}

export const packageUrl = (agencyId: string, transferId: string) => `/api${base(agencyId)}/archive/transfers/${transferId}/package`;
export const itemFileUrl = (agencyId: string, id: string, position: number) =>
  `/api${base(agencyId)}/dossiers/${id}/items/${position}/file?download=1`;
