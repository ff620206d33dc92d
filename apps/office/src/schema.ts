import type { Generated } from 'kysely';
import type { Classification, Urgency } from '@vanban/edxml';
import type { IncomingState } from './incoming/workflow.js';
import type { OutgoingState } from './outgoing/workflow.js';
import type { DossierState } from './dossiers/rules.js';

/** The office database as Kysely sees it; one interface per table. */
export interface OfficeSchema {
  agency_levels: AgencyLevelTable;
  agencies: AgencyTable;
  departments: DepartmentTable;
  users: UserTable;
  memberships: MembershipTable;
  sessions: SessionTable;
  calendar_days: CalendarDayTable;
  calendar_years: CalendarYearTable;
  registers: RegisterTable;
  register_counters: RegisterCounterTable;
  signing_credentials: SigningCredentialTable;
  agency_seals: AgencySealTable;
  hub_outbox: HubOutboxTable;
  hub_inbox: HubInboxTable;
  incoming_documents: IncomingDocumentTable;
  incoming_files: IncomingFileTable;
  office_journal: OfficeJournalTable;
  incoming_assignments: IncomingAssignmentTable;
  notifications: NotificationTable;
  sent_statuses: SentStatusTable;
  document_types: DocumentTypeTable;
  outgoing_documents: OutgoingDocumentTable;
  outgoing_recipients: OutgoingRecipientTable;
  outgoing_files: OutgoingFileTable;
  outgoing_versions: OutgoingVersionTable;
  approval_steps: ApprovalStepTable;
  outgoing_approvals: OutgoingApprovalTable;
  outgoing_consultations: OutgoingConsultationTable;
  file_plan_entries: FilePlanEntryTable;
  dossiers: DossierTable;
  dossier_items: DossierItemTable;
  archive_transfers: ArchiveTransferTable;
  dossier_appraisals: DossierAppraisalTable;
  search_texts: SearchTextTable;
  search_entries: SearchEntryTable;
  search_vocabulary: SearchVocabularyTable;
}

export interface OutgoingDocumentTable {
  id: Generated<string>;
  agency_id: string;
  state: Generated<OutgoingState>;
  document_id: Generated<string>;
  document_type: string;
  type_abbreviation: string | null;
  subject: string;
  urgency: Generated<Urgency>;
  classification: Generated<Classification>;
  drafter_id: string;
  department_id: string | null;
  signer_id: string | null;
  reply_due: string | null;
  in_reply_to: string | null;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  approval_round: Generated<number>;
  approval_step: number | null;
  signed_at: Date | null;
  signed_by: string | null;
  register_id: string | null;
  register_year: number | null;
  number: number | null;
  notation: string | null;
  issue_date: string | null;
  numbered_at: Date | null;
  issued_at: Date | null;
  amends_id: string | null;
  amend_kind: 'amend' | 'replace' | null;
  amend_reason: string | null;
  recall_requested_at: Date | null;
  completes_incoming: Generated<boolean>;
}

export interface ApprovalStepTable {
  agency_id: string;
  position: number;
  department_id: string;
}

export interface OutgoingApprovalTable {
  outgoing_id: string;
  round: number;
  position: number;
  department_id: string | null;
  signer_id: string | null;
  decision: 'approved' | 'returned' | 'signed' | null;
  decided_by: string | null;
  decided_at: Date | null;
  comment: string | null;
}

export interface OutgoingConsultationTable {
  id: Generated<string>;
  outgoing_id: string;
  version: number;
  department_id: string | null;
  consulted_agency_id: string | null;
  question: string;
  due: string;
  asked_by: string;
  asked_at: Generated<Date>;
  answer: string | null;
  answered_by: string | null;
  answered_at: Date | null;
}

export interface OutgoingRecipientTable {
  outgoing_id: string;
  position: number;
  agency_code: string;
  agency_name: string;
}

export interface OutgoingFileTable {
  outgoing_id: string;
  position: number;
  role: 'main' | 'pdf' | 'attachment' | 'signed' | 'issued';
  name: string;
  content_type: string;
  sha256: string;
  size: number;
}

export interface OutgoingVersionTable {
  outgoing_id: string;
  version: number;
  content: unknown;
  note: string | null;
  saved_by: string;
  saved_at: Generated<Date>;
}

export interface DocumentTypeTable {
  id: Generated<string>;
  name: string;
  abbreviation: string | null;
  position: number;
  active: Generated<boolean>;
  updated_at: Generated<Date>;
}

export interface SentStatusTable {
  package_id: string;
  agency_id: string;
  document_id: string;
  recipient_code: string;
  recipient_name: string;
  status: string;
  description: string | null;
  status_at: Date;
  received_at: Generated<Date>;
}

/** packages/db's hash-chain layout; `seq` is a bigint, read as text. */
export interface OfficeJournalTable {
  chain: string;
  seq: string;
  at: Date;
  body: unknown;
  prev_hash: string;
  hash: string;
}

export interface IncomingDocumentTable {
  id: Generated<string>;
  agency_id: string;
  channel: 'hub' | 'internal' | 'paper';
  state: Generated<IncomingState>;
  document_id: string | null;
  sender_code: string | null;
  sender_name: string;
  number: string;
  notation: Generated<string>;
  issue_date: string | null;
  document_type: Generated<string>;
  subject: string;
  urgency: Generated<Urgency>;
  signer_name: string | null;
  reply_due: string | null;
  hub_package_id: string | null;
  hub_recipient_code: string | null;
  package_sha256: string | null;
  verdict: 'valid' | 'invalid' | 'indeterminate' | null;
  verification: unknown;
  received_at: Generated<Date>;
  register_id: string | null;
  register_year: number | null;
  register_number: number | null;
  registered_at: Date | null;
  registered_by: string | null;
  refusal_reason: string | null;
  possible_duplicate_of: string | null;
  submitted_to: string | null;
  submitted_at: Date | null;
  return_reason: string | null;
  direction: string | null;
  directed_by: string | null;
  directed_at: Date | null;
  due_date: string | null;
  result: string | null;
  completed_at: Date | null;
  reply_document_id: string | null;
  forwarded_from: string | null;
  sender_request: 'recall' | 'amend' | 'replace' | null;
  sender_request_reason: string | null;
  sender_request_at: Date | null;
  sender_request_version: string | null;
  sender_request_answer: 'agreed' | 'refused' | null;
}

export type AssignmentPart = 'lead' | 'co' | 'info';

export interface IncomingAssignmentTable {
  incoming_id: string;
  part: AssignmentPart;
  user_id: string | null;
  department_id: string | null;
  assigned_by: string;
  assigned_at: Date;
  input: string | null;
  input_at: Date | null;
}

export interface NotificationTable {
  id: Generated<string>;
  user_id: string;
  agency_id: string;
  incoming_id: string | null;
  outgoing_id: string | null;
  kind: string;
  text_vi: string;
  text_en: string;
  once_key: string | null;
  created_at: Generated<Date>;
  read_at: Date | null;
  emailed_at: Date | null;
  dossier_id: Generated<string | null>;
}

export interface IncomingFileTable {
  incoming_id: string;
  position: number;
  name: string;
  content_type: string;
  sha256: string;
  size: number;
  added_by: string | null;
  added_at: Date | null;
}

export interface HubOutboxTable {
  id: Generated<string>;
  kind: 'document' | 'status';
  document_id: string;
  from_code: string;
  to_codes: string[];
  sha256: string;
  size: number;
  state: Generated<'queued' | 'sent' | 'refused'>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  last_error: string | null;
  hub_package_id: string | null;
  refusal: unknown;
  created_at: Generated<Date>;
  sent_at: Date | null;
}

export interface HubInboxTable {
  package_id: string;
  recipient_code: string;
  kind: 'document' | 'status';
  document_id: string;
  from_code: string;
  sha256: string;
  size: number;
  received_at: Generated<Date>;
  taken_at: Date | null;
  arrival_reported_at: Date | null;
  unplaced: string | null;
}

export interface SigningCredentialTable {
  id: Generated<string>;
  agency_id: string;
  /** Null: the agency's own certificate. */
  user_id: string | null;
  backend: 'file';
  key_ref: string;
  certificate_chain: string;
  serial: string;
  subject: string;
  not_before: Date;
  not_after: Date;
  created_at: Generated<Date>;
}

export interface AgencySealTable {
  agency_id: string;
  sha256: string;
  media_type: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
  size: number;
  updated_by: string;
  updated_at: Generated<Date>;
}

export interface RegisterTable {
  id: Generated<string>;
  agency_id: string;
  kind: 'incoming' | 'outgoing';
  name: string;
  classified: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface RegisterCounterTable {
  register_id: string;
  year: number;
  last_number: number;
}

export interface CalendarDayTable {
  /** yyyy-mm-dd (the date type parser keeps dates as text). */
  day: string;
  working: boolean;
  name_vi: string;
  name_en: string;
  source: 'statutory' | 'administrator';
  updated_at: Generated<Date>;
}

export interface CalendarYearTable {
  year: number;
  preloaded_at: Generated<Date>;
}

export interface AgencyLevelTable {
  code: string;
  name_vi: string;
  name_en: string;
  rank: number;
}

export interface AgencyTable {
  id: Generated<string>;
  code: string;
  name: string;
  short_name: string;
  notation_abbreviation: Generated<string | null>;
  level: string;
  parent_id: string | null;
  path: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface DepartmentTable {
  id: Generated<string>;
  agency_id: string;
  code: string;
  name: string;
  created_at: Generated<Date>;
}

export interface UserTable {
  id: Generated<string>;
  username: string;
  full_name: string;
  email: string | null;
  password_hash: string;
  totp_secret: string | null;
  totp_enabled: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  active: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface MembershipTable {
  user_id: string;
  agency_id: string;
  department_id: string | null;
  roles: string[];
  position: string | null;
}

export interface SessionTable {
  id: string;
  user_id: string;
  agency_id: string;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Date;
}

export interface FilePlanEntryTable {
  id: Generated<string>;
  agency_id: string;
  year: number;
  code: string;
  title: string;
  heading: string | null;
  retention_years: number | null;
  department_id: string | null;
  note: string | null;
  position: number;
  created_at: Generated<Date>;
}

export interface DossierTable {
  id: Generated<string>;
  agency_id: string;
  entry_id: string;
  code: string;
  title: string;
  retention_years: number | null;
  state: Generated<DossierState>;
  responsible_id: string;
  opened_by: string;
  start_date: string;
  end_date: string | null;
  page_count: number | null;
  document_count: number | null;
  transfer_id: string | null;
  keep_until_year: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface DossierItemTable {
  dossier_id: string;
  position: number;
  kind: 'incoming' | 'outgoing' | 'file';
  incoming_id: string | null;
  outgoing_id: string | null;
  name: string | null;
  content_type: string | null;
  sha256: string | null;
  size: number | string | null;
  added_by: string;
  added_at: Generated<Date>;
}

export interface ArchiveTransferTable {
  id: string;
  agency_id: string;
  transferred_by: string;
  transferred_at: Date;
  file_name: string;
  sha256: string;
  size: number | string;
  dossier_count: number;
}

export interface DossierAppraisalTable {
  id: Generated<string>;
  dossier_id: string;
  decision: 'keep' | 'destroy';
  extra_years: number | null;
  reason: string;
  legal_basis: string;
  decided_by: string;
  decided_at: Generated<Date>;
}

/** The text of a document's PDF for search; filled by the text worker or a bulk load. */
export interface SearchTextTable {
  document_id: string;
  kind: 'incoming' | 'outgoing';
  sha256: string | null;
  body: string | null;
  folded: Generated<string | null>;
  body_terms: Generated<string | null>;
  source: 'text_layer' | 'ocr' | null;
  problem: string | null;
  extracted_at: Date | null;
}

/** One searchable document, kept by triggers (migration 0020). */
export interface SearchEntryTable {
  document_id: string;
  kind: 'incoming' | 'outgoing';
  agency_id: string;
  title: string;
  reference: string;
  reference_key: string;
  party: string;
  signer: string | null;
  doc_date: string;
  year: number;
  sorted_at: Date;
  document_type: string;
  urgency: string;
  state: string;
  channel: string | null;
  drafter_id: string | null;
  signer_id: string | null;
  terms: string;
}

/** Every word of the documents' metadata, for correcting a mistyped query. */
export interface SearchVocabularyTable {
  word: string;
}
