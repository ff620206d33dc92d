import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ancestorsFromPath, mayActFor } from '../auth/access-rules.js';
import { hashPassword } from '../auth/passwords.js';
import type { OfficeContext } from '../http/context.js';
import { requireCaller } from '../http/context.js';
import { AppError, errorBodySchema } from '../http/errors.js';
import { uploadedFile } from '../http/upload.js';
import { readCsv } from './csv.js';
import { AGENCY_COLUMNS, planAgencyImport, planUserImport, USER_COLUMNS, type ExistingAgency } from './import-plan.js';
import { normalizeAgencyCode } from './agency-rules.js';
import { insertAgency, isUniqueViolation, listLevels } from './store.js';

const reportSchema = z.object({ imported: z.number().int() }).describe('ImportReport');
const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  409: errorBodySchema,
  413: errorBodySchema,
  415: errorBodySchema,
  422: errorBodySchema.describe('import_rejected: details.rejected lists each bad line with its errors'),
};
const admin = { access: { roles: ['administrator'] as const } };

function rejectFile(vi: string, en: string): never {
  throw new AppError('invalid_file', undefined, { vi, en });
}

export function importRoutes(ctx: OfficeContext): FastifyPluginAsyncZod {
  const { db } = ctx;
  return async (app) => {
    app.post(
      '/agencies/:agencyId/imports/agencies',
      {
        config: admin,
        schema: {
          tags: ['directory'],
          summary: 'Import agencies from CSV (code,name,short_name,level,parent_code); all rows or none',
          consumes: ['multipart/form-data'],
          params: z.object({ agencyId: z.uuid() }),
          response: { 200: reportSchema, ...errors },
        },
      },
      async (request) => {
        const caller = requireCaller(request.caller);
        const csv = readCsv(await uploadedFile(request), AGENCY_COLUMNS);
        if (!csv.ok) rejectFile(csv.vi, csv.en);
        const codes = [
          ...new Set(
            csv.rows
              .flatMap((r) => [r.values.code ?? '', r.values.parent_code ?? ''])
              .map(normalizeAgencyCode)
              .filter(Boolean),
          ),
        ];
        const found = codes.length
          ? await db.selectFrom('agencies').select(['id', 'code', 'level', 'path']).where('code', 'in', codes).execute()
          : [];
        const existing = new Map<string, ExistingAgency>(found.map((a) => [a.code, a]));
        const administers = (a: ExistingAgency) =>
          mayActFor(caller.memberships, { agencyId: a.id, ancestorIds: ancestorsFromPath(a.path), roles: ['administrator'] });
        const plan = planAgencyImport(csv.rows, await listLevels(db), existing, administers);
        if (!plan.ok) throw new AppError('import_rejected', { rejected: plan.rejected });
        await db
          .transaction()
          .execute(async (tx) => {
            const paths = new Map<string, { id: string; path: string }>();
            for (const a of plan.items) {
              const parent = 'existing' in a.parent ? a.parent.existing : paths.get(a.parent.code)!;
              const id = randomUUID();
              await insertAgency(tx, { ...a, id, parentId: parent.id, parentPath: parent.path });
              paths.set(a.code, { id, path: `${parent.path}${id}/` });
            }
          })
          .catch((err: unknown) => {
            if (isUniqueViolation(err)) throw new AppError('duplicate_agency_code');
            throw err;
          });
        return { imported: plan.items.length };
      },
    );

    app.post(
      '/agencies/:agencyId/imports/users',
      {
        config: admin,
        schema: {
          tags: ['directory'],
          summary:
            'Import users of this agency from CSV (username,full_name,email,password,department_code,roles,position); all rows or none',
          consumes: ['multipart/form-data'],
          params: z.object({ agencyId: z.uuid() }),
          response: { 200: reportSchema, ...errors },
        },
      },
      async (request) => {
        const { agencyId } = request.params;
        const csv = readCsv(await uploadedFile(request), USER_COLUMNS);
        if (!csv.ok) rejectFile(csv.vi, csv.en);
        const departments = await db.selectFrom('departments').select(['id', 'code']).where('agency_id', '=', agencyId).execute();
        const usernames = [...new Set(csv.rows.map((r) => (r.values.username ?? '').trim().toLowerCase()).filter(Boolean))];
        const taken = usernames.length ? await db.selectFrom('users').select('username').where('username', 'in', usernames).execute() : [];
        const plan = planUserImport(
          csv.rows,
          new Map(departments.map((d) => [d.code.toLowerCase(), d.id])),
          new Set(taken.map((t) => t.username)),
        );
        if (!plan.ok) throw new AppError('import_rejected', { rejected: plan.rejected });
        const hashes: string[] = [];
        for (const u of plan.items) hashes.push(await hashPassword(u.password));
        await db
          .transaction()
          .execute(async (tx) => {
            for (const [i, u] of plan.items.entries()) {
              const { id } = await tx
                .insertInto('users')
                .values({ username: u.username, full_name: u.fullName, email: u.email, password_hash: hashes[i]! })
                .returning('id')
                .executeTakeFirstOrThrow();
              await tx
                .insertInto('memberships')
                .values({ user_id: id, agency_id: agencyId, department_id: u.departmentId, roles: u.roles, position: u.position })
                .execute();
            }
          })
          .catch((err: unknown) => {
            if (isUniqueViolation(err)) throw new AppError('duplicate_username');
            throw err;
          });
        return { imported: plan.items.length };
      },
    );
  };
}
