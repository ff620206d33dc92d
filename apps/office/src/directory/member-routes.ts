import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { hashPassword, isStrongPassword } from '../auth/passwords.js';
import type { OfficeContext } from '../http/context.js';
import { AppError, errorBodySchema } from '../http/errors.js';
import type { OfficeSchema } from '../schema.js';
import { roleSchema } from './roles.js';
import { agencyParams, agencyUserSchema, usernameSchema } from './schemas.js';
import { getAgencyUser, isDepartmentOf, isUniqueViolation } from './store.js';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const admin = { access: { roles: ['administrator'] as const } };
const userParams = agencyParams.extend({ userId: z.uuid() });

export async function checkDepartment(db: Kysely<OfficeSchema>, agencyId: string, departmentId: string | null | undefined) {
  if (departmentId && !(await isDepartmentOf(db, agencyId, departmentId))) {
    throw new AppError('validation_failed', [{ path: '/departmentId', message: 'not a department of this agency' }]);
  }
}

/**
 * What an administrator does to the people of an agency: add an existing
 * person (concurrent posts), change their roles, remove them, unlock them
 * and set a new password. A person is only touched through an agency they work in.
 */
export function memberRoutes(ctx: OfficeContext): FastifyPluginAsyncZod {
  const { db } = ctx;

  async function memberOrNotFound(agencyId: string, userId: string) {
    const user = await getAgencyUser(db, agencyId, userId, new Date());
    if (!user) throw new AppError('not_found');
    return user;
  }

  return async (app) => {
    app.post(
      '/agencies/:agencyId/memberships',
      {
        config: admin,
        schema: {
          tags: ['directory'],
          summary: 'Let an existing user also work in this agency (concurrent posts)',
          params: agencyParams,
          body: z.object({
            username: usernameSchema,
            roles: z.array(roleSchema).min(1),
            departmentId: z.uuid().optional(),
            position: z.string().trim().max(200).optional(),
          }),
          response: { 201: agencyUserSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { agencyId } = request.params;
        const body = request.body;
        await checkDepartment(db, agencyId, body.departmentId);
        const user = await db.selectFrom('users').select('id').where('username', '=', body.username).executeTakeFirst();
        if (!user) throw new AppError('not_found');
        try {
          await db
            .insertInto('memberships')
            .values({
              user_id: user.id,
              agency_id: agencyId,
              department_id: body.departmentId ?? null,
              roles: [...new Set(body.roles)],
              position: body.position ?? null,
            })
            .execute();
        } catch (err) {
          if (isUniqueViolation(err)) throw new AppError('duplicate_username');
          throw err;
        }
        return reply.status(201).send(await memberOrNotFound(agencyId, user.id));
      },
    );

    app.patch(
      '/agencies/:agencyId/users/:userId',
      {
        config: admin,
        schema: {
          tags: ['directory'],
          summary: 'Change a user’s roles, department or position in this agency',
          params: userParams,
          body: z.object({
            roles: z.array(roleSchema).min(1).optional(),
            departmentId: z.uuid().nullable().optional(),
            position: z.string().trim().max(200).nullable().optional(),
          }),
          response: { 200: agencyUserSchema, ...errors },
        },
      },
      async (request) => {
        const { agencyId, userId } = request.params;
        const body = request.body;
        await memberOrNotFound(agencyId, userId);
        await checkDepartment(db, agencyId, body.departmentId);
        await db
          .updateTable('memberships')
          .set({
            ...(body.roles ? { roles: [...new Set(body.roles)] } : {}),
            ...(body.departmentId !== undefined ? { department_id: body.departmentId } : {}),
            ...(body.position !== undefined ? { position: body.position } : {}),
          })
          .where('agency_id', '=', agencyId)
          .where('user_id', '=', userId)
          .execute();
        return memberOrNotFound(agencyId, userId);
      },
    );

    app.delete(
      '/agencies/:agencyId/users/:userId',
      {
        config: admin,
        schema: {
          tags: ['directory'],
          summary: 'Remove a user from this agency (the account and its history stay)',
          params: userParams,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        const { agencyId, userId } = request.params;
        await memberOrNotFound(agencyId, userId);
        await db.transaction().execute(async (tx) => {
          await tx.deleteFrom('memberships').where('agency_id', '=', agencyId).where('user_id', '=', userId).execute();
          // Sessions acting for this agency end now; others go on.
          await tx.deleteFrom('sessions').where('agency_id', '=', agencyId).where('user_id', '=', userId).execute();
        });
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/agencies/:agencyId/users/:userId/unlock',
      {
        config: admin,
        schema: {
          tags: ['directory'],
          summary: 'Unlock an account locked after failed logins',
          params: userParams,
          response: { 200: agencyUserSchema, ...errors },
        },
      },
      async (request) => {
        const { agencyId, userId } = request.params;
        await memberOrNotFound(agencyId, userId);
        await db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', userId).execute();
        return memberOrNotFound(agencyId, userId);
      },
    );

    app.post(
      '/agencies/:agencyId/users/:userId/password',
      {
        config: admin,
        schema: {
          tags: ['directory'],
          summary: 'Set a new password for a user who forgot theirs; their sessions end',
          params: userParams,
          body: z.object({ password: z.string().max(200) }),
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        const { agencyId, userId } = request.params;
        await memberOrNotFound(agencyId, userId);
        if (!isStrongPassword(request.body.password)) throw new AppError('weak_password');
        const passwordHash = await hashPassword(request.body.password);
        await db.transaction().execute(async (tx) => {
          await tx
            .updateTable('users')
            .set({ password_hash: passwordHash, failed_logins: 0, locked_until: null })
            .where('id', '=', userId)
            .execute();
          await tx.deleteFrom('sessions').where('user_id', '=', userId).execute();
        });
        return reply.status(204).send(null);
      },
    );
  };
}
