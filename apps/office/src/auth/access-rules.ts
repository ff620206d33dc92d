import type { Role } from '../directory/roles.js';

export interface Membership {
  readonly agencyId: string;
  readonly roles: readonly Role[];
}

/** What a route asks of its caller for the agency it names. */
export interface AgencyRequirement {
  /** The agency the request acts for. */
  readonly agencyId: string;
  /** Its ancestors, nearest first (from the agency's path). */
  readonly ancestorIds: readonly string[];
  /** Any one of these roles suffices; empty means any membership. */
  readonly roles: readonly Role[];
}

/**
 * The one rule of who may act for an agency: a member of that agency holding
 * one of the required roles, or, where the route admits administrators, an
 * administrator of an agency above it (a province's IT team administers the
 * directory of the whole province). Nothing else passes down the tree.
 */
export function mayActFor(memberships: readonly Membership[], need: AgencyRequirement): boolean {
  const own = memberships.find((m) => m.agencyId === need.agencyId);
  if (own && (need.roles.length === 0 || need.roles.some((r) => own.roles.includes(r)))) return true;
  if (!need.roles.includes('administrator')) return false;
  return memberships.some((m) => m.roles.includes('administrator') && need.ancestorIds.includes(m.agencyId));
}

/** Ancestor ids, nearest first, from an agency path `/root/.../parent/self/`. */
export function ancestorsFromPath(path: string): string[] {
  return path.split('/').filter(Boolean).slice(0, -1).reverse();
}
