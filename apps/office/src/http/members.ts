import { ROLES, type Role } from '../directory/roles.js';
import { requireCaller, type Caller } from './context.js';
import { AppError, errorBodySchema } from './errors.js';

/** The error answers document routes give. */
export const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };

/** Any member of the agency reaches a document route; what each sees is decided per document. */
export const members = { access: { roles: ROLES.filter((r) => r !== 'administrator') } };

/** The caller as a document's workflow sees them in the agency the route names. */
export interface Actor {
  readonly userId: string;
  /** Their roles in that agency, and the department they belong to there. */
  readonly roles: readonly Role[];
  readonly departmentId: string | null;
}

export function actorIn(caller: Caller | null, agencyId: string): Actor {
  const c = requireCaller(caller);
  const membership = c.memberships.find((m) => m.agencyId === agencyId);
  return { userId: c.userId, roles: membership?.roles ?? [], departmentId: membership?.departmentId ?? null };
}

/** Roles that see every document of their agency; others see those they have a part in. */
const WHOLE_AGENCY_READERS: readonly Role[] = ['clerk', 'agency_leader', 'department_leader'];

export function seesWholeAgency(roles: readonly Role[]): boolean {
  return roles.some((r) => WHOLE_AGENCY_READERS.includes(r));
}

/**
 * Which list a caller gets: the one asked for, else the whole agency's for those who see it and
 * their own for others; asking for the whole agency's without seeing it is refused.
 */
export function listView<V extends string>(actor: Actor, asked: V | 'all' | 'mine' | undefined): V | 'all' | 'mine' {
  const view = asked ?? (seesWholeAgency(actor.roles) ? 'all' : 'mine');
  if (view === 'all' && !seesWholeAgency(actor.roles)) throw new AppError('forbidden');
  return view;
}
