import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { hashPassword, isStrongPassword } from '../auth/passwords.js';
import type { OfficeContext } from '../http/context.js';
import { requireCaller } from '../http/context.js';
import { AppError, errorBodySchema } from '../http/errors.js';
import { decodeCursor, pageOf, pageQuery, toPage } from '../http/paging.js';
import { checkAgency, duplicateCode, normalizeAgencyCode } from './agency-rules.js';
import { checkDepartment } from './member-routes.js';
import { ROLES, roleSchema } from './roles.js';
import {
  agencyParams,
  agencySchema,
  agencyUserSchema,
  departmentCodeSchema,
  departmentSchema,
  levelSchema,
  usernameSchema,
} from './schemas.js';
import {
  findAgencyByCode,
  getAgency,
  getAgencyUser,
  insertAgency,
  isUniqueViolation,
  listAgencies,
  listAgencyUsers,
  listDepartments,
  listLevels,
} from './store.js';
import { ancestorsFromPath, mayActFor } from '../auth/access-rules.js';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const admin = { access: { roles: ['administrator'] as const } };
// Directory reads of one agency: its own members, and administrators above it.
const membersAndAdministrators = { access: { roles: ROLES } };

export function directoryRoutes(ctx: OfficeContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/levels',
      {
        schema: {
          tags: ['directory'],
          summary: 'The configured levels of agencies (central, province, district, commune by default)',
          response: { 200: z.object({ items: z.array(levelSchema) }), ...errors },
        },
      },
      async () => ({ items: await listLevels(ctx.db) }),
    );

    app.get(
      '/agencies',
      {
        schema: {
          tags: ['directory'],
          summary: 'The agency directory: children of one agency, the roots, or a search by code or name',
          querystring: pageQuery.extend({
            parentId: z.union([z.literal('root'), z.uuid()]).optional(),
            q: z.string().trim().max(100).optional(),
          }),
          response: { 200: pageOf(agencySchema), ...errors },
        },
      },
      async (request) => {
        const { parentId, q, cursor, limit } = request.query;
        const rows = await listAgencies(
          ctx.db,
          { parentId: parentId === 'root' ? null : parentId, q: q || undefined },
          decodeCursor(cursor, 2),
          limit,
        );
        return toPage(rows, limit, (r) => [r.name, r.id]);
      },
    );

    app.get(
      '/agencies/:agencyId',
      {
        schema: {
          tags: ['directory'],
          summary: 'One agency of the directory',
          params: agencyParams,
          response: { 200: agencySchema, ...errors },
        },
      },
      async (request) => {
        const agency = await getAgency(ctx.db, request.params.agencyId);
        if (!agency) throw new AppError('not_found');
        const { path: _path, ...view } = agency;
        return view;
      },
    );

    app.post(
      '/agencies',
      {
        config: admin,
        schema: {
          tags: ['directory'],
          summary: 'Add an agency under a parent the caller administers',
          body: z.object({
            code: z.string().trim().max(20),
            name: z.string().trim().min(1).max(300),
            shortName: z.string().trim().min(1).max(100),
            level: z.string(),
            parentId: z.uuid(),
          }),
          response: { 201: agencySchema, ...errors },
        },
      },
      async (request, reply) => {
        const caller = requireCaller(request.caller);
        const body = request.body;
        const parent = await getAgency(ctx.db, body.parentId);
        if (!parent) throw new AppError('invalid_parent');
        const parentScope = { agencyId: parent.id, ancestorIds: ancestorsFromPath(parent.path), roles: ['administrator'] as const };
        if (!mayActFor(caller.memberships, parentScope)) throw new AppError('forbidden');
        const problems = checkAgency(body, await listLevels(ctx.db), parent);
        const code = normalizeAgencyCode(body.code);
        if (problems.length === 0 && (await findAgencyByCode(ctx.db, code))) problems.push(duplicateCode(code));
        const first = problems[0];
        if (first) throw new AppError(first.code === 'required' ? 'validation_failed' : first.code, problems, first);
        const id = randomUUID();
        try {
          await insertAgency(ctx.db, { ...body, code, id, parentId: parent.id, parentPath: parent.path });
        } catch (err) {
          if (isUniqueViolation(err)) throw new AppError('duplicate_agency_code', [duplicateCode(code)]);
          throw err;
        }
        const { path: _path, ...view } = (await getAgency(ctx.db, id))!;
        return reply.status(201).send(view);
      },
    );

    app.patch(
      '/agencies/:agencyId',
      {
        config: admin,
        schema: {
          tags: ['directory'],
          summary: 'Rename an agency, change its level or the abbreviation its notations use',
          params: agencyParams,
          body: z.object({
            name: z.string().trim().min(1).max(300).optional(),
            shortName: z.string().trim().min(1).max(100).optional(),
            notationAbbreviation: z
              .string()
              .trim()
              .regex(/^[\p{L}\p{N}]{1,15}$/u)
              .optional(),
            level: z.string().optional(),
          }),
          response: { 200: agencySchema, ...errors },
        },
      },
      async (request) => {
        const { agencyId } = request.params;
        const current = await getAgency(ctx.db, agencyId);
        if (!current) throw new AppError('not_found');
        const next = { ...current, ...request.body };
        const parent = current.parentId ? await getAgency(ctx.db, current.parentId) : undefined;
        const problems = checkAgency(next, await listLevels(ctx.db), parent ?? null);
        const first = problems[0];
        if (first) throw new AppError(first.code === 'required' ? 'validation_failed' : first.code, problems, first);
        await ctx.db
          .updateTable('agencies')
          .set({
            name: next.name,
            short_name: next.shortName,
            level: next.level,
            ...(request.body.notationAbbreviation ? { notation_abbreviation: request.body.notationAbbreviation } : {}),
            updated_at: new Date(),
          })
          .where('id', '=', agencyId)
          .execute();
        const { path: _path, ...view } = (await getAgency(ctx.db, agencyId))!;
        return view;
      },
    );

    app.get(
      '/agencies/:agencyId/departments',
      {
        config: membersAndAdministrators,
        schema: {
          tags: ['directory'],
          summary: 'Departments of an agency (for its members and its administrators)',
          params: agencyParams,
          querystring: pageQuery,
          response: { 200: pageOf(departmentSchema), ...errors },
        },
      },
      async (request) => {
        const { cursor, limit } = request.query;
        const rows = await listDepartments(ctx.db, request.params.agencyId, decodeCursor(cursor, 2), limit);
        return toPage(rows, limit, (r) => [r.name, r.id]);
      },
    );

    app.post(
      '/agencies/:agencyId/departments',
      {
        config: admin,
        schema: {
          tags: ['directory'],
          summary: 'Add a department to an agency',
          params: agencyParams,
          body: z.object({ code: departmentCodeSchema, name: z.string().trim().min(1).max(300) }),
          response: { 201: departmentSchema, ...errors },
        },
      },
      async (request, reply) => {
        try {
          const row = await ctx.db
            .insertInto('departments')
            .values({ agency_id: request.params.agencyId, code: request.body.code, name: request.body.name })
            .returning(['id', 'agency_id as agencyId', 'code', 'name'])
            .executeTakeFirstOrThrow();
          return reply.status(201).send(row);
        } catch (err) {
          if (isUniqueViolation(err)) throw new AppError('duplicate_department');
          throw err;
        }
      },
    );

    app.patch(
      '/agencies/:agencyId/departments/:departmentId',
      {
        config: admin,
        schema: {
          tags: ['directory'],
          summary: 'Rename a department',
          params: agencyParams.extend({ departmentId: z.uuid() }),
          body: z.object({ name: z.string().trim().min(1).max(300) }),
          response: { 200: departmentSchema, ...errors },
        },
      },
      async (request) => {
        try {
          const row = await ctx.db
            .updateTable('departments')
            .set({ name: request.body.name })
            .where('id', '=', request.params.departmentId)
            .where('agency_id', '=', request.params.agencyId)
            .returning(['id', 'agency_id as agencyId', 'code', 'name'])
            .executeTakeFirst();
          if (!row) throw new AppError('not_found');
          return row;
        } catch (err) {
          if (isUniqueViolation(err)) throw new AppError('duplicate_department');
          throw err;
        }
      },
    );

    app.get(
      '/agencies/:agencyId/users',
      {
        config: admin,
        schema: {
          tags: ['directory'],
          summary: 'Users working in an agency, with their roles there',
          params: agencyParams,
          querystring: pageQuery.extend({ q: z.string().trim().max(100).optional() }),
          response: { 200: pageOf(agencyUserSchema), ...errors },
        },
      },
      async (request) => {
        const { cursor, limit, q } = request.query;
        const rows = await listAgencyUsers(ctx.db, request.params.agencyId, q || undefined, decodeCursor(cursor, 1), limit, new Date());
        return toPage(rows, limit, (r) => [r.username]);
      },
    );

    app.post(
      '/agencies/:agencyId/users',
      {
        config: admin,
        schema: {
          tags: ['directory'],
          summary: 'Create a user account working in this agency',
          params: agencyParams,
          body: z.object({
            username: usernameSchema,
            fullName: z.string().trim().min(1).max(200),
            email: z.email().optional(),
            password: z.string().max(200),
            departmentId: z.uuid().optional(),
            roles: z.array(roleSchema).min(1),
            position: z.string().trim().max(200).optional(),
          }),
          response: { 201: agencyUserSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { agencyId } = request.params;
        const body = request.body;
        if (!isStrongPassword(body.password)) throw new AppError('weak_password');
        await checkDepartment(ctx.db, agencyId, body.departmentId);
        const passwordHash = await hashPassword(body.password);
        const userId = await ctx.db
          .transaction()
          .execute(async (tx) => {
            const user = await tx
              .insertInto('users')
              .values({ username: body.username, full_name: body.fullName, email: body.email ?? null, password_hash: passwordHash })
              .returning('id')
              .executeTakeFirstOrThrow();
            await tx
              .insertInto('memberships')
              .values({
                user_id: user.id,
                agency_id: agencyId,
                department_id: body.departmentId ?? null,
                roles: [...new Set(body.roles)],
                position: body.position ?? null,
              })
              .execute();
            return user.id;
          })
          .catch((err: unknown) => {
            if (isUniqueViolation(err)) throw new AppError('duplicate_username');
            throw err;
          });
        return reply.status(201).send((await getAgencyUser(ctx.db, agencyId, userId, new Date()))!);
      },
    );
  };
}
