import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { OfficeContext } from '../http/context.js';
import { requireCaller } from '../http/context.js';
import { AppError, errorBodySchema } from '../http/errors.js';
import { roleSchema } from '../directory/roles.js';
import { afterFailure, afterSuccess, isLocked, type LoginState } from './lockout.js';
import { hashPassword, isStrongPassword, verifyPassword } from './passwords.js';
import { createSession, deleteSession, loadMemberships, SESSION_COOKIE, SESSION_HOURS } from './sessions.js';
import { checkTotp, newTotpSecret, totpUri } from './totp.js';

const meSchema = z
  .object({
    user: z.object({
      id: z.uuid(),
      username: z.string(),
      fullName: z.string(),
      email: z.string().nullable(),
      totpEnabled: z.boolean(),
    }),
    memberships: z.array(
      z.object({
        agencyId: z.uuid(),
        agencyCode: z.string(),
        agencyName: z.string(),
        departmentId: z.uuid().nullable(),
        departmentName: z.string().nullable(),
        roles: z.array(roleSchema),
        position: z.string().nullable(),
      }),
    ),
    currentAgencyId: z.uuid(),
  })
  .describe('Me');

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 423: errorBodySchema };
const open = { access: { public: true } } as const;

export function authRoutes(ctx: OfficeContext): FastifyPluginAsyncZod {
  const { db } = ctx;
  const dummyHash = hashPassword(randomUUID());

  async function me(userId: string, currentAgencyId: string): Promise<z.infer<typeof meSchema>> {
    const user = await db
      .selectFrom('users')
      .select(['id', 'username', 'full_name as fullName', 'email', 'totp_enabled as totpEnabled'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    return { user, memberships: await loadMemberships(db, userId), currentAgencyId };
  }

  function setCookie(reply: FastifyReply, token: string) {
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: ctx.settings.secureCookies,
      maxAge: SESSION_HOURS * 3600,
    });
  }

  async function recordFailure(userId: string, state: LoginState): Promise<never> {
    const next = afterFailure(state, new Date());
    await db
      .updateTable('users')
      .set({ failed_logins: next.failedLogins, locked_until: next.lockedUntil })
      .where('id', '=', userId)
      .execute();
    throw new AppError(next.lockedUntil ? 'account_locked' : 'invalid_credentials');
  }

  return async (app) => {
    app.post(
      '/auth/login',
      {
        config: open,
        schema: {
          tags: ['auth'],
          summary: 'Log in with username and password (and the two-factor code when enabled)',
          security: [],
          body: z.object({
            username: z.string().trim().toLowerCase().min(1).max(64),
            password: z.string().min(1).max(200),
            totpCode: z.string().trim().max(10).optional(),
          }),
          response: { 200: meSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { username, password, totpCode } = request.body;
        const user = await db
          .selectFrom('users')
          .select(['id', 'password_hash', 'totp_secret', 'totp_enabled', 'failed_logins', 'locked_until', 'active'])
          .where('username', '=', username)
          .executeTakeFirst();
        if (!user || !user.active) {
          // Spend the same time as a real check so that timing does not tell which usernames exist.
          await verifyPassword(await dummyHash, password);
          throw new AppError('invalid_credentials');
        }
        const state: LoginState = { failedLogins: user.failed_logins, lockedUntil: user.locked_until };
        if (isLocked(state, new Date())) throw new AppError('account_locked');
        if (!(await verifyPassword(user.password_hash, password))) return recordFailure(user.id, state);
        if (user.totp_enabled && user.totp_secret) {
          if (!totpCode) throw new AppError('totp_required');
          if (!(await checkTotp(user.totp_secret, totpCode))) return recordFailure(user.id, state);
        }
        const memberships = await loadMemberships(db, user.id);
        const first = memberships[0];
        if (!first) throw new AppError('forbidden');
        await db
          .updateTable('users')
          .set({ failed_logins: afterSuccess.failedLogins, locked_until: afterSuccess.lockedUntil })
          .where('id', '=', user.id)
          .execute();
        setCookie(reply, await createSession(db, user.id, first.agencyId));
        return me(user.id, first.agencyId);
      },
    );

    app.post(
      '/auth/logout',
      { schema: { tags: ['auth'], summary: 'End this session', response: { 204: z.null(), ...errors } } },
      async (request, reply) => {
        await deleteSession(db, requireCaller(request.caller).sessionId);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/auth/me',
      { schema: { tags: ['auth'], summary: 'The logged-in user, their agencies and roles', response: { 200: meSchema, ...errors } } },
      async (request) => {
        const caller = requireCaller(request.caller);
        return me(caller.userId, caller.currentAgencyId);
      },
    );

    app.post(
      '/auth/switch-agency',
      {
        schema: {
          tags: ['auth'],
          summary: 'Act for another agency the user works in',
          body: z.object({ agencyId: z.uuid() }),
          response: { 200: meSchema, ...errors },
        },
      },
      async (request) => {
        const caller = requireCaller(request.caller);
        const { agencyId } = request.body;
        if (!caller.memberships.some((m) => m.agencyId === agencyId)) throw new AppError('forbidden');
        await db.updateTable('sessions').set({ agency_id: agencyId }).where('id', '=', caller.sessionId).execute();
        return me(caller.userId, agencyId);
      },
    );

    app.post(
      '/auth/change-password',
      {
        schema: {
          tags: ['auth'],
          summary: 'Change one’s own password; other sessions of the user end',
          body: z.object({ currentPassword: z.string().max(200), newPassword: z.string().max(200) }),
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        const caller = requireCaller(request.caller);
        const user = await db.selectFrom('users').select('password_hash').where('id', '=', caller.userId).executeTakeFirstOrThrow();
        if (!(await verifyPassword(user.password_hash, request.body.currentPassword))) throw new AppError('invalid_credentials');
        if (!isStrongPassword(request.body.newPassword)) throw new AppError('weak_password');
        const passwordHash = await hashPassword(request.body.newPassword);
        await db.transaction().execute(async (tx) => {
          await tx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', caller.userId).execute();
          await tx.deleteFrom('sessions').where('user_id', '=', caller.userId).where('id', '!=', caller.sessionId).execute();
        });
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/auth/totp/setup',
      {
        schema: {
          tags: ['auth'],
          summary: 'Start enabling two-factor login: a new secret to put in an authenticator app',
          response: { 200: z.object({ secret: z.string(), otpauthUrl: z.string() }), ...errors },
        },
      },
      async (request) => {
        const caller = requireCaller(request.caller);
        const secret = newTotpSecret();
        // The secret is kept but not in force until a code from it is confirmed.
        await db.updateTable('users').set({ totp_secret: secret, totp_enabled: false }).where('id', '=', caller.userId).execute();
        return { secret, otpauthUrl: totpUri(secret, caller.username) };
      },
    );

    app.post(
      '/auth/totp/enable',
      {
        schema: {
          tags: ['auth'],
          summary: 'Confirm a code from the authenticator app: two-factor login is then required',
          body: z.object({ code: z.string().trim().max(10) }),
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        const caller = requireCaller(request.caller);
        const user = await db.selectFrom('users').select('totp_secret').where('id', '=', caller.userId).executeTakeFirstOrThrow();
        if (!user.totp_secret || !(await checkTotp(user.totp_secret, request.body.code))) throw new AppError('invalid_totp');
        await db.updateTable('users').set({ totp_enabled: true }).where('id', '=', caller.userId).execute();
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/auth/totp/disable',
      {
        schema: {
          tags: ['auth'],
          summary: 'Turn two-factor login off (needs the password)',
          body: z.object({ password: z.string().max(200) }),
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        const caller = requireCaller(request.caller);
        const user = await db.selectFrom('users').select('password_hash').where('id', '=', caller.userId).executeTakeFirstOrThrow();
        if (!(await verifyPassword(user.password_hash, request.body.password))) throw new AppError('invalid_credentials');
        await db.updateTable('users').set({ totp_secret: null, totp_enabled: false }).where('id', '=', caller.userId).execute();
        return reply.status(204).send(null);
      },
    );
  };
}
