import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ancestorsFromPath, mayActFor } from '../auth/access-rules.js';
import { findSession, loadMemberships, SESSION_COOKIE } from '../auth/sessions.js';
import type { Role } from '../directory/roles.js';
import { AppError } from './errors.js';
import type { OfficeContext } from './context.js';

/**
 * The one place where every API route's caller is checked: logged in (unless
 * the route is public), and, for a route that names an agency (`:agencyId`),
 * allowed to act for that agency with one of the route's roles. A route that
 * names no agency but asks for roles acts for the session's current agency.
 */
export function installAccessCheck(app: FastifyInstance, ctx: OfficeContext): void {
  app.decorateRequest('caller', null);
  // onRequest, so that a caller without access is refused before any upload is read.
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    const access = request.routeOptions.config.access;
    if (access && 'public' in access) return;
    const token = request.cookies[SESSION_COOKIE];
    const session = token ? await findSession(ctx.db, token) : null;
    if (!session) throw new AppError('unauthenticated');
    const memberships = await loadMemberships(ctx.db, session.userId);
    request.caller = {
      sessionId: session.sessionId,
      userId: session.userId,
      username: session.username,
      currentAgencyId: session.agencyId,
      memberships,
    };
    const roles: readonly Role[] = access?.roles ?? [];
    const named = agencyParam(request);
    if (named === undefined && roles.length === 0) return;
    const agencyId = named ?? session.agencyId;
    const agency = await ctx.db.selectFrom('agencies').select('path').where('id', '=', agencyId).executeTakeFirst();
    if (!agency) throw new AppError('not_found');
    if (!mayActFor(memberships, { agencyId, ancestorIds: ancestorsFromPath(agency.path), roles })) {
      throw new AppError('forbidden');
    }
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function agencyParam(request: FastifyRequest): string | undefined {
  const params = request.params as Record<string, unknown> | undefined;
  const value = params?.agencyId;
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !UUID.test(value)) throw new AppError('not_found');
  return value;
}
