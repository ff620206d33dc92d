import { appendEntry, verifyJournal, type ChainBreak, type Json } from '@vanban/db';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import type pg from 'pg';
import type { OfficeSchema } from '../schema.js';

export const JOURNAL = 'office_journal';

/**
 * What an event is about: an incoming or outgoing document (by its id here), or a document this
 * agency sent through the hub (by its edXML DocumentId, which the recipients' status messages name),
 * or a dossier.
 */
export type Subject = { readonly kind: 'incoming' | 'outgoing' | 'sent' | 'dossier'; readonly id: string };

export interface JournalEvent {
  readonly subject: Subject;
  /** What happened: the workflow action, or `received`, `status_received`… */
  readonly action: string;
  /** Who did it; null: the system on its own (an arrival, a status message). */
  readonly actorId: string | null;
  readonly from?: string | null;
  readonly to?: string | null;
  readonly details?: { readonly [key: string]: Json };
}

export interface TimelineEntry {
  readonly seq: number;
  readonly at: Date;
  readonly action: string;
  readonly actor: { readonly id: string; readonly name: string } | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly details: { readonly [key: string]: Json };
}

type Body = {
  subject: string;
  kind: Subject['kind'];
  action: string;
  actor: { id: string; name: string } | null;
  from: string | null;
  to: string | null;
  details: { [key: string]: Json };
};

/**
 * Records one event in the agency's chain, in the caller's transaction: the event is there if and
 * only if the change it describes committed. The actor's name is written as it is today, so the
 * record reads the same after a rename.
 */
export async function recordEvent(tx: Kysely<OfficeSchema>, agencyId: string, event: JournalEvent, at = new Date()): Promise<void> {
  const actor = event.actorId
    ? await tx.selectFrom('users').select(['id', 'full_name']).where('id', '=', event.actorId).executeTakeFirstOrThrow()
    : null;
  const body: Body = {
    subject: event.subject.id,
    kind: event.subject.kind,
    action: event.action,
    actor: actor ? { id: actor.id, name: actor.full_name } : null,
    from: event.from ?? null,
    to: event.to ?? null,
    details: { ...event.details },
  };
  await appendEntry(
    { query: async <R>({ text, values }: { text: string; values: unknown[] }) => tx.executeQuery<R>(CompiledQuery.raw(text, values)) },
    JOURNAL,
    agencyId,
    body,
    at,
  );
}

/** Every event about one subject in one agency's chain, oldest first. */
export async function timelineOf(db: Kysely<OfficeSchema>, agencyId: string, subject: Subject): Promise<TimelineEntry[]> {
  const rows = await db
    .selectFrom('office_journal')
    .select(['seq', 'at', 'body'])
    .where(sql<string>`body ->> 'subject'`, '=', subject.id)
    .where('chain', '=', agencyId)
    .orderBy('seq')
    .execute();
  return rows
    .map((r) => ({ seq: Number(r.seq), at: r.at, body: r.body as Body }))
    .filter((r) => r.body.kind === subject.kind)
    .map(({ seq, at, body }) => ({
      seq,
      at,
      action: body.action,
      actor: body.actor,
      from: body.from,
      to: body.to,
      details: body.details,
    }));
}

/** Checks every agency's chain: the first break of each, if any. */
export function verifyOfficeJournal(pool: pg.Pool): Promise<{ entries: number; breaks: ChainBreak[] }> {
  return verifyJournal(pool, JOURNAL);
}
