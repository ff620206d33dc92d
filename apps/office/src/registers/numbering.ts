import type { Kysely, Transaction } from 'kysely';
import type { OfficeSchema } from '../schema.js';

/**
 * The next number of a register for a year, taken inside the caller's
 * transaction. The counter row stays locked until that transaction ends, so
 * concurrent registrations queue for it: no two get the same number, and a
 * registration that rolls back gives its number back, so none is skipped.
 */
export async function takeNextNumber(
  tx: Transaction<OfficeSchema> | Kysely<OfficeSchema>,
  registerId: string,
  year: number,
): Promise<number> {
  const row = await tx
    .insertInto('register_counters')
    .values({ register_id: registerId, year, last_number: 1 })
    .onConflict((oc) =>
      oc.columns(['register_id', 'year']).doUpdateSet((eb) => ({ last_number: eb('register_counters.last_number', '+', 1) })),
    )
    .returning('last_number')
    .executeTakeFirstOrThrow();
  return row.last_number;
}

/** Register numbers are written with at least two digits: 01, 02, … 125 (Nghị định 30/2020). */
export function formatRegisterNumber(n: number): string {
  return String(n).padStart(2, '0');
}
