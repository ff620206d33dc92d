import type { Kysely } from 'kysely';
import type { OfficeSchema } from '../schema.js';

/** A person or a department given a part in handling a document. */
export type Assignee = { readonly userId: string } | { readonly departmentId: string };

/**
 * The people to tell about an assignment: each person named, and for each department its
 * department leaders (who share the work out), or every member when it has no leader.
 */
export async function peopleOf(
  db: Kysely<OfficeSchema>,
  agencyId: string,
  assignees: readonly { user_id: string | null; department_id: string | null }[],
): Promise<string[]> {
  const people = new Set(assignees.flatMap((a) => (a.user_id ? [a.user_id] : [])));
  const departments = assignees.flatMap((a) => (a.department_id ? [a.department_id] : []));
  if (departments.length > 0) {
    const members = await db
      .selectFrom('memberships')
      .select(['user_id', 'department_id', 'roles'])
      .where('agency_id', '=', agencyId)
      .where('department_id', 'in', departments)
      .execute();
    for (const department of departments) {
      const inIt = members.filter((m) => m.department_id === department);
      const leaders = inIt.filter((m) => m.roles.includes('department_leader'));
      for (const m of leaders.length > 0 ? leaders : inIt) people.add(m.user_id);
    }
  }
  return [...people];
}
