import type { BlobStore } from '@vanban/db';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Role } from '../directory/roles.js';
import { queueForHub } from '../hub-connector/connector.js';
import { outgoingStatus, statusReply } from '../hub-connector/status-replies.js';
import { vietnamDay } from '../calendar/working-days.js';
import { AppError } from '../http/errors.js';
import { formatRegisterNumber, takeNextNumber } from '../registers/numbering.js';
import { recordEvent } from '../journal/journal.js';
import type { Json } from '@vanban/db';
import type { OfficeSchema } from '../schema.js';
import { decide, type IncomingAction, type StatusCode } from './workflow.js';

export interface Actor {
  readonly userId: string;
  /** The actor's roles in the receiving agency. */
  readonly roles: readonly Role[];
}

interface Target {
  readonly agencyId: string;
  readonly incomingId: string;
  readonly actor: Actor;
  readonly now?: Date;
}

/** The incoming document, locked for the rest of the transaction, and the decision on the action. */
async function lockAndDecide(tx: Transaction<OfficeSchema>, target: Target, action: IncomingAction, reason?: string) {
  const doc = await tx
    .selectFrom('incoming_documents as d')
    .innerJoin('agencies as a', 'a.id', 'd.agency_id')
    .select([
      'd.id',
      'd.state',
      'd.channel',
      'd.document_id',
      'd.sender_code',
      'd.number',
      'd.notation',
      'd.issue_date',
      'a.code as agency_code',
      'a.name as agency_name',
    ])
    .where('d.id', '=', target.incomingId)
    .where('d.agency_id', '=', target.agencyId)
    .forUpdate('d')
    .executeTakeFirst();
  if (!doc) throw new AppError('not_found');
  const decision = decide({ action, state: doc.state, roles: target.actor.roles, isLeadHandler: false, ...(reason ? { reason } : {}) });
  if (!decision.ok) throw new AppError(decision.problem === 'not_allowed' ? 'forbidden' : decision.problem);
  return { doc, decision };
}

/** Writes the action into the agency's journal, from which the document's timeline is read. */
function journal(
  tx: Transaction<OfficeSchema>,
  target: Target,
  from: string,
  action: IncomingAction,
  to: string,
  at: Date,
  details: { [key: string]: Json } = {},
): Promise<void> {
  return recordEvent(
    tx,
    target.agencyId,
    { subject: { kind: 'incoming', id: target.incomingId }, action, actorId: target.actor.userId, from, to, details },
    at,
  );
}

/** Tells the sender, through the hub, what this agency did with its document (STANDARDS.md status codes). */
async function reportToSender(
  tx: Transaction<OfficeSchema>,
  files: BlobStore,
  doc: Awaited<ReturnType<typeof lockAndDecide>>['doc'],
  status: StatusCode,
  at: Date,
  description?: string,
): Promise<void> {
  if (doc.channel !== 'hub' || !doc.sender_code || !doc.document_id) return;
  const document = {
    senderCode: doc.sender_code,
    number: doc.number,
    notation: doc.notation,
    issueDate: doc.issue_date ?? '',
    documentId: doc.document_id,
  };
  const from = { agencyCode: doc.agency_code, name: doc.agency_name };
  await queueForHub(tx, files, outgoingStatus(statusReply(document, from, status, at, description)));
}

export interface Registered {
  readonly registerNumber: string;
  readonly registerYear: number;
  /** An earlier document of this agency with the same sender, number, notation and date. */
  readonly possibleDuplicateOf: string | null;
}

/**
 * The clerk accepts a document: it takes the next number of the chosen incoming register for the
 * year (Vietnam time), is flagged when it looks like one already received, and status 03 goes back.
 */
export async function registerIncoming(
  db: Kysely<OfficeSchema>,
  files: BlobStore,
  target: Target & { readonly registerId: string },
): Promise<Registered> {
  const now = target.now ?? new Date();
  return db.transaction().execute(async (tx) => {
    const { doc, decision } = await lockAndDecide(tx, target, 'register');
    const register = await tx
      .selectFrom('registers')
      .select('id')
      .where('id', '=', target.registerId)
      .where('agency_id', '=', target.agencyId)
      .where('kind', '=', 'incoming')
      .executeTakeFirst();
    if (!register) throw new AppError('invalid_register');
    const year = Number(vietnamDay(now).slice(0, 4));
    const number = await takeNextNumber(tx, register.id, year);
    const duplicate = await tx
      .selectFrom('incoming_documents')
      .select('id')
      .where('agency_id', '=', target.agencyId)
      .where('id', '!=', doc.id)
      .where('state', 'not in', ['awaiting', 'refused', 'withdrawn'])
      .where(sql<boolean>`sender_code IS NOT DISTINCT FROM ${doc.sender_code}`)
      .where('number', '=', doc.number)
      .where('notation', '=', doc.notation)
      .where(sql<boolean>`issue_date IS NOT DISTINCT FROM ${doc.issue_date}::date`)
      .orderBy('registered_at')
      .executeTakeFirst();
    await tx
      .updateTable('incoming_documents')
      .set({
        state: decision.next,
        register_id: register.id,
        register_year: year,
        register_number: number,
        registered_at: now,
        registered_by: target.actor.userId,
        possible_duplicate_of: duplicate?.id ?? null,
      })
      .where('id', '=', doc.id)
      .execute();
    await journal(tx, target, doc.state, 'register', decision.next, now, {
      registerId: register.id,
      registerYear: year,
      registerNumber: number,
      possibleDuplicateOf: duplicate?.id ?? null,
    });
    if (decision.status) await reportToSender(tx, files, doc, decision.status, now);
    return { registerNumber: formatRegisterNumber(number), registerYear: year, possibleDuplicateOf: duplicate?.id ?? null };
  });
}

/** The clerk refuses a document, saying why: the reason goes back to the sender with status 02. */
export async function refuseIncoming(
  db: Kysely<OfficeSchema>,
  files: BlobStore,
  target: Target & { readonly reason: string },
): Promise<void> {
  const now = target.now ?? new Date();
  const reason = target.reason.trim();
  await db.transaction().execute(async (tx) => {
    const { doc, decision } = await lockAndDecide(tx, target, 'refuse', reason);
    await tx.updateTable('incoming_documents').set({ state: decision.next, refusal_reason: reason }).where('id', '=', doc.id).execute();
    await journal(tx, target, doc.state, 'refuse', decision.next, now, { reason });
    if (decision.status) await reportToSender(tx, files, doc, decision.status, now, reason);
  });
}
