import type { Kysely } from 'kysely';
import type { OfficeSchema } from '../schema.js';
import type { Caller } from './context.js';
import { AppError } from './errors.js';

/**
 * Settings that hold for the whole installation (the holiday calendar, the document types) are
 * changed only by an administrator of a top agency (one without a parent).
 */
export async function requireInstallationAdministrator(db: Kysely<OfficeSchema>, caller: Caller): Promise<void> {
  const agencyIds = caller.memberships.filter((m) => m.roles.includes('administrator')).map((m) => m.agencyId);
  const top = agencyIds.length
    ? await db.selectFrom('agencies').select('id').where('id', 'in', agencyIds).where('parent_id', 'is', null).executeTakeFirst()
    : undefined;
  if (!top) throw new AppError('forbidden');
}
