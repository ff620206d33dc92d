import { sql, type Kysely } from 'kysely';
import type { OfficeSchema } from '../schema.js';
import type { Role } from './roles.js';

/** The active people holding a role in an agency, or in one of its departments: whom to ask or tell. */
export async function roleHolders(db: Kysely<OfficeSchema>, agencyId: string, role: Role, departmentId?: string | null): Promise<string[]> {
  let query = db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select('m.user_id')
    .where('m.agency_id', '=', agencyId)
    .where('u.active', '=', true)
    .where(sql<boolean>`${role} = ANY(m.roles)`);
  if (departmentId) query = query.where('m.department_id', '=', departmentId);
  const rows = await query.orderBy('u.username').execute();
  return rows.map((r) => r.user_id);
}
