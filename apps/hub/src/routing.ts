import { validateAgencyCode } from '@vanban/edxml';

/**
 * Where a hub sends a package for one recipient agency: to a connected system
 * of its own, to the hub that serves the agency, or nowhere (unknown agency).
 * Routes to other hubs match agency codes by their last groups, the way mail
 * routes by domain: `*.H44` sends every agency of province H44 to that
 * province's hub; a longer, more specific route wins.
 */
export type Target = { kind: 'system'; systemId: string } | { kind: 'peer'; peerId: string } | { kind: 'unknown' };

export interface RoutingTable {
  /** Agencies served by this hub's own connected systems. */
  readonly localAgencies: ReadonlyMap<string, string>;
  /** Patterns `*.H44`, `*.24.H44`, `*.46.24.H44`, `*` (default route) to a peer hub. */
  readonly peerRoutes: readonly { readonly pattern: string; readonly peerId: string }[];
}

const PATTERN = /^\*(?:(?:\.\d{2}){0,2}\.[A-Z]\d{2})?$/;

export function isRoutePattern(pattern: string): boolean {
  return PATTERN.test(pattern);
}

function matches(pattern: string, code: string): boolean {
  if (pattern === '*') return true;
  return code.endsWith(pattern.slice(1));
}

export function route(table: RoutingTable, agencyCode: string): Target {
  const systemId = table.localAgencies.get(agencyCode);
  if (systemId) return { kind: 'system', systemId };
  if (!validateAgencyCode(agencyCode).ok) return { kind: 'unknown' };
  let best: { pattern: string; peerId: string } | undefined;
  for (const r of table.peerRoutes) {
    if (matches(r.pattern, agencyCode) && (!best || r.pattern.length > best.pattern.length)) best = r;
  }
  return best ? { kind: 'peer', peerId: best.peerId } : { kind: 'unknown' };
}

/** A package that already passed through this hub is coming round again: refuse it rather than loop. */
export function isLoop(trace: readonly { organId: string }[], hubCode: string): boolean {
  return trace.some((hop) => hop.organId === hubCode);
}
