import type { BlobStore } from '@vanban/db';
import { sql, type Kysely } from 'kysely';
import { vietnamDay } from '../calendar/working-days.js';
import { AppError } from '../http/errors.js';
import { formatRegisterNumber, takeNextNumber } from '../registers/numbering.js';
import type { OfficeSchema } from '../schema.js';
import { act, type Target } from './acting.js';

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
export function registerIncoming(
  db: Kysely<OfficeSchema>,
  files: BlobStore,
  target: Target & { readonly registerId: string },
): Promise<Registered> {
  return act(db, files, target, 'register', undefined, async ({ tx, doc, now }) => {
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
    const possibleDuplicateOf = duplicate?.id ?? null;
    return {
      result: { registerNumber: formatRegisterNumber(number), registerYear: year, possibleDuplicateOf },
      set: {
        register_id: register.id,
        register_year: year,
        register_number: number,
        registered_at: now,
        registered_by: target.actor.userId,
        possible_duplicate_of: possibleDuplicateOf,
      },
      details: { registerId: register.id, registerYear: year, registerNumber: number, possibleDuplicateOf },
    };
  });
}

/** The clerk refuses a document, saying why: the reason goes back to the sender with status 02. */
export async function refuseIncoming(
  db: Kysely<OfficeSchema>,
  files: BlobStore,
  target: Target & { readonly reason: string },
): Promise<void> {
  const reason = target.reason.trim();
  await act(db, files, target, 'refuse', reason, async () => ({ result: undefined, set: { refusal_reason: reason }, statusText: reason }));
}
