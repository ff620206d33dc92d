import { createHash } from 'node:crypto';
import type { BlobStore, Json } from '@vanban/db';
import { buildStatus } from '@vanban/edxml';
import type { Kysely, Transaction, Updateable } from 'kysely';
import type { Actor } from '../http/members.js';
import { queueForHub } from '../hub-connector/connector.js';
import { outgoingStatus, statusReply } from '../hub-connector/status-replies.js';
import { AppError } from '../http/errors.js';
import { recordEvent } from '../journal/journal.js';
import { recordAnswer } from '../tracking/status-intake.js';
import type { IncomingDocumentTable, OfficeSchema } from '../schema.js';
import { decide, type IncomingAction, type IncomingState, type Relation, type StatusCode } from './workflow.js';

export interface Target {
  readonly agencyId: string;
  readonly incomingId: string;
  readonly actor: Actor;
  readonly now?: Date;
}

const LOCKED_COLUMNS = [
  'd.id',
  'd.agency_id',
  'd.state',
  'd.channel',
  'd.document_id',
  'd.sender_code',
  'd.number',
  'd.notation',
  'd.issue_date',
  'd.subject',
  'd.submitted_to',
  'd.registered_by',
  'd.directed_by',
  'd.sender_request',
  'd.sender_request_answer',
  'a.code as agency_code',
  'a.name as agency_name',
] as const;

async function lockDocument(tx: Transaction<OfficeSchema>, target: Target) {
  const doc = await tx
    .selectFrom('incoming_documents as d')
    .innerJoin('agencies as a', 'a.id', 'd.agency_id')
    .select(LOCKED_COLUMNS)
    .where('d.id', '=', target.incomingId)
    .where('d.agency_id', '=', target.agencyId)
    .forUpdate('d')
    .executeTakeFirst();
  if (!doc) throw new AppError('not_found');
  return doc;
}

export type LockedDocument = Awaited<ReturnType<typeof lockDocument>>;

/** How a person stands to a document: from its assignments and to whom it was submitted. */
export async function relationOf(
  db: Kysely<OfficeSchema>,
  doc: { id: string; submitted_to: string | null },
  actor: Actor,
): Promise<Relation> {
  const parts = await db
    .selectFrom('incoming_assignments')
    .select(['part', 'user_id', 'department_id'])
    .where('incoming_id', '=', doc.id)
    .execute();
  const mine = (p: { user_id: string | null; department_id: string | null }) =>
    p.user_id === actor.userId || (p.department_id !== null && p.department_id === actor.departmentId);
  const lead = parts.find((p) => p.part === 'lead');
  const leadDepartmentIsMine = lead?.department_id != null && lead.department_id === actor.departmentId;
  return {
    leadHandler: lead !== undefined && mine(lead),
    coHandler: parts.some((p) => p.part === 'co' && mine(p)),
    addressed: doc.submitted_to === actor.userId || (leadDepartmentIsMine && actor.roles.includes('department_leader')),
  };
}

/** What an action did, beyond moving the state: the journal details, columns to set, a text for the sender. */
export interface Outcome<T> {
  readonly result: T;
  readonly set?: Updateable<IncomingDocumentTable>;
  readonly details?: { readonly [key: string]: Json };
  /** Goes with the status message to the sender (a reason, a progress note). */
  readonly statusText?: string;
}

export interface Acting {
  readonly tx: Transaction<OfficeSchema>;
  readonly doc: LockedDocument;
  readonly next: IncomingState;
  readonly now: Date;
}

/**
 * Takes one action on an incoming document in one transaction: locks it, decides from the workflow
 * rules whether this person may take this action now, lets `apply` do the action's own work, moves
 * the state, writes the journal event and queues the status message for the sender. Either all of
 * it happens or none. Given a transaction, it acts inside it.
 */
export async function act<T>(
  db: Kysely<OfficeSchema>,
  files: BlobStore,
  target: Target,
  action: IncomingAction,
  text: string | undefined,
  apply: (acting: Acting) => Promise<Outcome<T>>,
): Promise<T> {
  const now = target.now ?? new Date();
  // Inside the caller's transaction when given one (a paper document is created and registered at once).
  const inTransaction = <R>(work: (tx: Transaction<OfficeSchema>) => Promise<R>): Promise<R> =>
    db.isTransaction ? work(db as Transaction<OfficeSchema>) : db.transaction().execute(work);
  return inTransaction(async (tx) => {
    const doc = await lockDocument(tx, target);
    const decision = decide({
      action,
      state: doc.state,
      roles: target.actor.roles,
      relation: await relationOf(tx, doc, target.actor),
      recallPending: doc.sender_request !== null && doc.sender_request_answer === null,
      ...(text === undefined ? {} : { text }),
    });
    if (!decision.ok) throw new AppError(decision.problem === 'not_allowed' ? 'forbidden' : decision.problem);
    const outcome = await apply({ tx, doc, next: decision.next, now });
    await tx
      .updateTable('incoming_documents')
      .set({ ...outcome.set, state: decision.next })
      .where('id', '=', doc.id)
      .execute();
    await recordEvent(
      tx,
      target.agencyId,
      {
        subject: { kind: 'incoming', id: doc.id },
        action,
        actorId: target.actor.userId,
        from: doc.state,
        to: decision.next,
        details: { ...(text?.trim() ? { text: text.trim() } : {}), ...outcome.details },
      },
      now,
    );
    if (decision.status) await reportToSender(tx, files, doc, decision.status, now, outcome.statusText);
    return outcome.result;
  });
}

/**
 * Tells the sender what this agency did with its document (STANDARDS.md status codes): through the
 * hub, or, for an agency of this installation, straight into its tracking.
 */
async function reportToSender(
  tx: Transaction<OfficeSchema>,
  files: BlobStore,
  doc: LockedDocument,
  status: StatusCode,
  at: Date,
  description?: string,
): Promise<void> {
  if ((doc.channel !== 'hub' && doc.channel !== 'internal') || !doc.sender_code || !doc.document_id) return;
  const document = {
    senderCode: doc.sender_code,
    number: doc.number,
    notation: doc.notation,
    issueDate: doc.issue_date ?? '',
    documentId: doc.document_id,
  };
  const from = { agencyCode: doc.agency_code, name: doc.agency_name };
  const message = statusReply(document, from, status, at, description);
  if (doc.channel === 'hub') {
    await queueForHub(tx, files, outgoingStatus(message));
    return;
  }
  const sender = await tx.selectFrom('agencies').select('id').where('code', '=', doc.sender_code).executeTakeFirst();
  // The message's own digest names it, as a package's names a status that came through the hub.
  if (sender) await recordAnswer(tx, sender.id, createHash('sha256').update(buildStatus(message)).digest('hex'), message, at);
}
