import type { Kysely } from 'kysely';
import type { Role } from '../directory/roles.js';
import type { Caller } from '../http/context.js';
import { seesWholeAgency } from '../http/members.js';
import type { OfficeSchema } from '../schema.js';

/**
 * An agency's report: those who see every document of the agency (its leaders, department leaders
 * and clerks) see its figures too; the figures say nothing they could not count themselves. An
 * officer sees only documents they have a part in, so not the agency's figures: their own work only
 * (the `mine` report, open to every member).
 */
export function mayReadAgencyReport(roles: readonly Role[]): boolean {
  return seesWholeAgency(roles);
}

/** The province's report: administrators and agency leaders of a top agency (one without a parent) of the installation. */
export async function mayReadProvinceReport(db: Kysely<OfficeSchema>, caller: Caller): Promise<boolean> {
  const agencyIds = caller.memberships
    .filter((m) => m.roles.includes('administrator') || m.roles.includes('agency_leader'))
    .map((m) => m.agencyId);
  if (agencyIds.length === 0) return false;
  const top = await db.selectFrom('agencies').select('id').where('id', 'in', agencyIds).where('parent_id', 'is', null).executeTakeFirst();
  return top !== undefined;
}
