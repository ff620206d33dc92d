import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { agencyParams } from '../directory/schemas.js';
import type { OfficeContext } from '../http/context.js';
import { AppError } from '../http/errors.js';
import { errors, members } from '../http/members.js';
import { decodeCursor, pageOf, pageQuery, toPage } from '../http/paging.js';
import { codeForYear } from './rules.js';

/** The file plan is drafted by the clerk and approved by the agency's head (Nghị định 30/2020): they manage it. */
export const planManagers = { access: { roles: ['clerk', 'agency_leader'] as const } };

const YEAR = z.coerce.number().int().min(2000).max(2200);
const entryParams = agencyParams.extend({ entryId: z.uuid() });

const entryInput = z.object({
  year: YEAR,
  code: z.string().trim().min(1).max(50).describe('As the agency writes it, e.g. "01.VP.2026"'),
  title: z.string().trim().min(1).max(1000),
  heading: z.string().trim().max(300).nullish().describe('The group the plan lists it under'),
  retentionYears: z.number().int().min(1).max(100).nullable().describe('Whole years; null: permanent (Vĩnh viễn)'),
  departmentId: z.uuid().nullish().describe('The responsible department'),
  note: z.string().trim().max(2000).nullish(),
});

export const entrySchema = z.object({
  id: z.uuid(),
  year: z.number().int(),
  position: z.number().int(),
  code: z.string(),
  title: z.string(),
  heading: z.string().nullable(),
  retentionYears: z.number().int().nullable(),
  departmentId: z.uuid().nullable(),
  departmentName: z.string().nullable(),
  note: z.string().nullable(),
  dossierCount: z.number().int().describe('Dossiers opened from it'),
});

async function checkDepartment(ctx: OfficeContext, agencyId: string, departmentId: string | null | undefined): Promise<void> {
  if (!departmentId) return;
  const dep = await ctx.db
    .selectFrom('departments')
    .select('id')
    .where('id', '=', departmentId)
    .where('agency_id', '=', agencyId)
    .executeTakeFirst();
  if (!dep) throw new AppError('validation_failed', [{ path: '/departmentId', message: 'not a department of this agency' }]);
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === '23505';
}

export function filePlanRoutes(ctx: OfficeContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/agencies/:agencyId/file-plan',
      {
        config: members,
        schema: {
          tags: ['dossiers'],
          summary: 'The file plan (danh mục hồ sơ) of one year, in its order; every member reads it to open dossiers',
          params: agencyParams,
          querystring: pageQuery.extend({ year: YEAR }),
          response: { 200: pageOf(entrySchema), ...errors },
        },
      },
      async (request) => {
        const { agencyId } = request.params;
        const q = request.query;
        const after = decodeCursor(q.cursor, 2);
        let query = ctx.db
          .selectFrom('file_plan_entries as e')
          .leftJoin('departments as d', 'd.id', 'e.department_id')
          .select([
            'e.id',
            'e.year',
            'e.position',
            'e.code',
            'e.title',
            'e.heading',
            'e.retention_years',
            'e.department_id',
            'd.name as department_name',
            'e.note',
          ])
          .select((eb) =>
            eb
              .selectFrom('dossiers')
              .select(sql<string>`count(*)`.as('n'))
              .whereRef('dossiers.entry_id', '=', 'e.id')
              .as('dossier_count'),
          )
          .where('e.agency_id', '=', agencyId)
          .where('e.year', '=', q.year);
        if (after) query = query.where(sql<boolean>`(e.position, e.id) > (${Number(after[0])}, ${after[1]}::uuid)`);
        const rows = await query
          .orderBy('e.position')
          .orderBy('e.id')
          .limit(q.limit + 1)
          .execute();
        const page = toPage(rows, q.limit, (r) => [String(r.position), r.id]);
        return {
          items: page.items.map((r) => ({
            id: r.id,
            year: r.year,
            position: r.position,
            code: r.code,
            title: r.title,
            heading: r.heading,
            retentionYears: r.retention_years,
            departmentId: r.department_id,
            departmentName: r.department_name,
            note: r.note,
            dossierCount: Number(r.dossier_count ?? 0),
          })),
          nextCursor: page.nextCursor,
        };
      },
    );

    app.post(
      '/agencies/:agencyId/file-plan',
      {
        config: planManagers,
        schema: {
          tags: ['dossiers'],
          summary: 'The clerk or agency leader adds an entry at the end of a year’s file plan',
          params: agencyParams,
          body: entryInput,
          response: { 201: z.object({ id: z.uuid() }), ...errors },
        },
      },
      async (request, reply) => {
        const { agencyId } = request.params;
        const b = request.body;
        await checkDepartment(ctx, agencyId, b.departmentId);
        try {
          const row = await ctx.db
            .insertInto('file_plan_entries')
            .values((eb) => ({
              agency_id: agencyId,
              year: b.year,
              code: b.code,
              title: b.title,
              heading: b.heading || null,
              retention_years: b.retentionYears,
              department_id: b.departmentId ?? null,
              note: b.note || null,
              position: eb
                .selectFrom('file_plan_entries')
                .select(sql<number>`coalesce(max(position), 0) + 1`.as('p'))
                .where('agency_id', '=', agencyId)
                .where('year', '=', b.year),
            }))
            .returning('id')
            .executeTakeFirstOrThrow();
          return reply.status(201).send(row);
        } catch (error) {
          if (isUniqueViolation(error)) throw new AppError('duplicate_plan_entry');
          throw error;
        }
      },
    );

    app.patch(
      '/agencies/:agencyId/file-plan/:entryId',
      {
        config: planManagers,
        schema: {
          tags: ['dossiers'],
          summary: 'Changes an entry; dossiers already opened from it keep the code and retention they were opened with',
          params: entryParams,
          body: entryInput.omit({ year: true }),
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        const { agencyId, entryId } = request.params;
        const b = request.body;
        await checkDepartment(ctx, agencyId, b.departmentId);
        try {
          const done = await ctx.db
            .updateTable('file_plan_entries')
            .set({
              code: b.code,
              title: b.title,
              heading: b.heading || null,
              retention_years: b.retentionYears,
              department_id: b.departmentId ?? null,
              note: b.note || null,
            })
            .where('id', '=', entryId)
            .where('agency_id', '=', agencyId)
            .executeTakeFirst();
          if (done.numUpdatedRows === 0n) throw new AppError('not_found');
        } catch (error) {
          if (isUniqueViolation(error)) throw new AppError('duplicate_plan_entry');
          throw error;
        }
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/agencies/:agencyId/file-plan/copy',
      {
        config: planManagers,
        schema: {
          tags: ['dossiers'],
          summary:
            'Copies one year’s plan into another: codes ending in ".<fromYear>" get the new year; codes already there are left alone',
          params: agencyParams,
          body: z.object({ fromYear: YEAR, toYear: YEAR }).refine((b) => b.fromYear !== b.toYear, { message: 'the years must differ' }),
          response: { 200: z.object({ copied: z.number().int() }), ...errors },
        },
      },
      async (request) => {
        const { agencyId } = request.params;
        const { fromYear, toYear } = request.body;
        return ctx.db.transaction().execute(async (tx) => {
          // One copy at a time per agency and year, so positions do not collide.
          await sql`SELECT pg_advisory_xact_lock(hashtext(${`file-plan:${agencyId}:${toYear}`}))`.execute(tx);
          const source = await tx
            .selectFrom('file_plan_entries')
            .selectAll()
            .where('agency_id', '=', agencyId)
            .where('year', '=', fromYear)
            .orderBy('position')
            .execute();
          const existing = await tx
            .selectFrom('file_plan_entries')
            .select(['code', 'position'])
            .where('agency_id', '=', agencyId)
            .where('year', '=', toYear)
            .execute();
          const taken = new Set(existing.map((e) => e.code));
          let position = Math.max(0, ...existing.map((e) => e.position));
          const rows = source
            .map((e) => ({ ...e, code: codeForYear(e.code, fromYear, toYear) }))
            .filter((e) => !taken.has(e.code))
            .map((e) => ({
              agency_id: agencyId,
              year: toYear,
              code: e.code,
              title: e.title,
              heading: e.heading,
              retention_years: e.retention_years,
              department_id: e.department_id,
              note: e.note,
              position: ++position,
            }));
          if (rows.length > 0) await tx.insertInto('file_plan_entries').values(rows).execute();
          return { copied: rows.length };
        });
      },
    );
  };
}
