import type { Kysely } from 'kysely';
import type { OfficeSchema } from '../schema.js';

/** A person or a department given a part in handling a document. */
export type Assignee = { readonly userId: string } | { readonly departmentId: string };

export interface AssignedPart {
  readonly userId: string | null;
  readonly departmentId: string | null;
}

export interface DepartmentMember {
  readonly departmentId: string;
  readonly userId: string;
  readonly roles: readonly string[];
}

/**
 * The people an assignment reaches: each person named, and for each department its department
 * leaders (who share the work out), or every member when it has no leader (someone must hear of it).
 * `members` are the active members of the departments concerned, in the document's agency.
 */
export function peopleFor(parts: readonly AssignedPart[], members: readonly DepartmentMember[]): string[] {
  const people = new Set<string>();
  for (const part of parts) {
    if (part.userId) {
      people.add(part.userId);
      continue;
    }
    const inDepartment = members.filter((m) => m.departmentId === part.departmentId);
    const leaders = inDepartment.filter((m) => m.roles.includes('department_leader'));
    for (const m of leaders.length > 0 ? leaders : inDepartment) people.add(m.userId);
  }
  return [...people];
}

/** The active members of some departments of one agency, for `peopleFor`. */
export async function departmentMembers(
  db: Kysely<OfficeSchema>,
  agencyIds: readonly string[],
  departmentIds: readonly string[],
): Promise<(DepartmentMember & { agencyId: string })[]> {
  if (departmentIds.length === 0 || agencyIds.length === 0) return [];
  const rows = await db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.agency_id as agencyId', 'm.department_id as departmentId', 'm.user_id as userId', 'm.roles'])
    .where('u.active', '=', true)
    .where('m.agency_id', 'in', agencyIds)
    .where('m.department_id', 'in', departmentIds)
    .execute();
  return rows.map((r) => ({ ...r, departmentId: r.departmentId! }));
}

/** The people to tell about some parts of one document of `agencyId`: see `peopleFor`. */
export async function peopleOf(
  db: Kysely<OfficeSchema>,
  agencyId: string,
  assignees: readonly { user_id: string | null; department_id: string | null }[],
): Promise<string[]> {
  const parts = assignees.map((a) => ({ userId: a.user_id, departmentId: a.department_id }));
  const departments = parts.flatMap((p) => (p.departmentId ? [p.departmentId] : []));
  return peopleFor(parts, await departmentMembers(db, [agencyId], departments));
}
