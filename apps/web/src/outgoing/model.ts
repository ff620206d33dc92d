import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, query, type Page } from '../api';
import type { Urgency } from '../incoming/model';

export type OutgoingState = 'draft' | 'in_review' | 'reviewed' | 'in_approval' | 'signed' | 'numbered' | 'issued' | 'cancelled';
export type OutgoingAction =
  | 'save_version'
  | 'submit_review'
  | 'approve_review'
  | 'return_review'
  | 'submit_signature'
  | 'approve'
  | 'sign'
  | 'return_signature'
  | 'number'
  | 'issue'
  | 'recall'
  | 'cancel';
export type Classification = 'none' | 'confidential' | 'secret' | 'top_secret';
export type SameDay = 'none' | 'past_signing_day' | 'late' | 'same_day' | 'next_morning';

/** One row of GET /agencies/:id/outgoing. */
export interface OutgoingItem {
  id: string;
  state: OutgoingState;
  number: string | null;
  notation: string | null;
  signedAt: string | null;
  sameDay: SameDay | null;
  documentType: string;
  subject: string;
  urgency: Urgency;
  classification: Classification;
  version: number;
  updatedAt: string;
}

export interface OutgoingFile {
  position: number;
  role: 'main' | 'pdf' | 'attachment' | 'signed' | 'issued';
  name: string;
  contentType: string;
  sha256: string;
  size: number;
}

export interface OutgoingDetail extends OutgoingItem {
  documentId: string;
  typeAbbreviation: string | null;
  drafterId: string;
  signerId: string | null;
  replyDue: string | null;
  inReplyTo: string | null;
  completesIncoming: boolean;
  recipients: {
    code: string;
    name: string;
    channel: 'internal' | 'hub';
    statuses: { status: string; description: string | null; at: string }[];
  }[];
  amends: { id: string; kind: 'amend' | 'replace'; reason: string } | null;
  recallRequestedAt: string | null;
  hubDelivery: { state: 'queued' | 'sent' | 'refused'; refusal: unknown } | null;
  files: OutgoingFile[];
  versions: { version: number; savedBy: string; savedAt: string; note: string | null }[];
  timeline: { at: string; action: string; actor: string | null; details: Record<string, unknown> }[];
  actions: OutgoingAction[];
  toSign: OutgoingFile | null;
  approvals: {
    position: number;
    kind: 'check' | 'sign';
    who: string;
    decision: 'approved' | 'returned' | 'signed' | null;
    decidedBy: string | null;
    decidedAt: string | null;
    comment: string | null;
  }[];
  issueDate: string | null;
  issuedAt: string | null;
}

/** What a saved version held, as GET …/versions/:n gives it. */
export interface VersionContent {
  documentType: string;
  typeAbbreviation: string | null;
  subject: string;
  urgency: Urgency;
  classification: Classification;
  signerId: string | null;
  replyDue: string | null;
  inReplyTo: string | null;
  recipients: { code: string; name: string }[];
  files: { position: number; role: string; name: string; sha256: string; size: number }[];
}

export interface Consultation {
  id: string;
  outgoingId: string;
  draftingAgencyId: string;
  draftingAgency: string;
  subject: string;
  version: number;
  departmentId: string | null;
  consultedAgencyId: string | null;
  asked: string;
  question: string;
  due: string;
  askedBy: string;
  answer: string | null;
  answeredBy: string | null;
  answeredAt: string | null;
}

export interface DraftFields {
  documentTypeId: string;
  subject: string;
  urgency: Urgency;
  classification: Classification;
  signerId: string | null;
  replyDue: string | null;
  inReplyTo: string | null;
  completesIncoming: boolean;
}

export interface DocumentType {
  id: string;
  name: string;
  abbreviation: string | null;
}

export type OutgoingView = 'waiting' | 'mine' | 'all';

const base = (agencyId: string) => `/agencies/${agencyId}/outgoing`;

export function useOutgoingList(agencyId: string, view: OutgoingView) {
  return useInfiniteQuery({
    queryKey: ['outgoing', agencyId, 'list', view],
    queryFn: ({ pageParam }) => api<Page<OutgoingItem>>('GET', `${base(agencyId)}${query({ view, cursor: pageParam, limit: 30 })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useOutgoing(agencyId: string, id: string) {
  return useQuery({
    queryKey: ['outgoing', agencyId, id],
    queryFn: () => api<OutgoingDetail>('GET', `${base(agencyId)}/${id}`),
    // Once issued, the recipients' answers keep arriving: look again now and then.
    refetchInterval: (q) => (q.state.data?.state === 'issued' ? 10_000 : false),
  });
}

export function useVersion(agencyId: string, id: string, version: number | null) {
  return useQuery({
    queryKey: ['outgoing', agencyId, id, 'version', version],
    queryFn: () => api<{ version: number; content: VersionContent }>('GET', `${base(agencyId)}/${id}/versions/${version}`),
    enabled: version !== null,
    staleTime: Infinity,
  });
}

export function useConsultations(agencyId: string, id: string) {
  return useQuery({
    queryKey: ['outgoing', agencyId, id, 'consultations'],
    queryFn: () => api<{ items: Consultation[] }>('GET', `${base(agencyId)}/${id}/consultations`),
  });
}

/** Requests for comments addressed to me in this agency. */
export function useAskedOfMe(agencyId: string) {
  return useQuery({
    queryKey: ['outgoing', agencyId, 'asked'],
    queryFn: () => api<{ items: Consultation[] }>('GET', `/agencies/${agencyId}/consultations`),
  });
}

export function useDocumentTypes() {
  return useQuery({
    queryKey: ['document-types'],
    queryFn: () => api<{ items: DocumentType[] }>('GET', '/document-types'),
    staleTime: 300_000,
  });
}

/** Any change to outgoing documents refreshes every outgoing list and document of the agency. */
function useRefresh(agencyId: string) {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['outgoing', agencyId] });
}

export function useOutgoingAction(agencyId: string, id: string) {
  const refresh = useRefresh(agencyId);
  return useMutation({
    mutationFn: (body: { action: OutgoingAction; text?: string; sha256?: string; registerId?: string }) =>
      api<{ state: OutgoingState; number?: string; notation?: string }>('POST', `${base(agencyId)}/${id}/actions`, body),
    onSuccess: refresh,
  });
}

export function useCreateDraft(agencyId: string) {
  const refresh = useRefresh(agencyId);
  return useMutation({
    mutationFn: (body: {
      fields: DraftFields;
      recipients: { code: string; name?: string }[];
      note?: string;
      amends?: { outgoingId: string; kind: 'amend' | 'replace'; reason: string };
    }) => api<{ id: string; documentId: string }>('POST', base(agencyId), body),
    onSuccess: refresh,
  });
}

export function useSaveDraft(agencyId: string, id: string) {
  const refresh = useRefresh(agencyId);
  return useMutation({
    mutationFn: (body: {
      fields?: Partial<DraftFields>;
      recipients?: { code: string; name?: string }[];
      removeFiles?: number[];
      note?: string;
    }) => api<{ version: number }>('PATCH', `${base(agencyId)}/${id}`, body),
    onSuccess: refresh,
  });
}

export function useUploadDraftFile(agencyId: string) {
  const refresh = useRefresh(agencyId);
  return useMutation({
    mutationFn: ({ id, role, file }: { id: string; role: 'main' | 'attachment'; file: File }) => {
      const form = new FormData();
      form.append('file', file, file.name);
      return api<{ version: number }>('POST', `${base(agencyId)}/${id}/files${query({ role })}`, form);
    },
    onSuccess: refresh,
  });
}

export function useAskForComments(agencyId: string, id: string) {
  const refresh = useRefresh(agencyId);
  return useMutation({
    mutationFn: (body: { question: string; due: string } & ({ departmentId: string } | { agencyId: string })) =>
      api<{ id: string }>('POST', `${base(agencyId)}/${id}/consultations`, body),
    onSuccess: refresh,
  });
}

export function useAnswerConsultation(agencyId: string) {
  const refresh = useRefresh(agencyId);
  return useMutation({
    mutationFn: ({ id, answer }: { id: string; answer: string }) =>
      api<undefined>('POST', `/agencies/${agencyId}/consultations/${id}/answer`, { answer }),
    onSuccess: refresh,
  });
}

export function outgoingFileUrl(agencyId: string, id: string, position: number, download = false): string {
  return `/api${base(agencyId)}/${id}/files/${position}${download ? '?download=1' : ''}`;
}

export function consultationFileUrl(agencyId: string, consultationId: string): string {
  return `/api/agencies/${agencyId}/consultations/${consultationId}/file`;
}
