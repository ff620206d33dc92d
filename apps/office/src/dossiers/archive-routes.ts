import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { vietnamDay } from '../calendar/working-days.js';
import { agencyParams } from '../directory/schemas.js';
import type { OfficeContext } from '../http/context.js';
import { AppError } from '../http/errors.js';
import { actorIn, errors } from '../http/members.js';
import { decodeCursor, pageOf, pageQuery, toPage } from '../http/paging.js';
import { sendStoredFile } from '../http/stored-file.js';
import { appraiseDossier, transferDossiers } from './archive.js';
import { filePlanRoutes } from './plan-routes.js';
import { dossierList, dossierParams, dossierRoutes, dossierSchema, toDossier } from './routes.js';

/** The clerk keeps the agency archive; the agency leader oversees it and decides appraisals. */
const archiveKeepers = { access: { roles: ['clerk', 'agency_leader'] as const } };
const clerks = { access: { roles: ['clerk'] as const } };
const leaders = { access: { roles: ['agency_leader'] as const } };

const transferSchema = z.object({
  id: z.uuid(),
  at: z.string(),
  by: z.string(),
  fileName: z.string(),
  sha256: z.string().describe('SHA-256 of the package (the ZIP) as written'),
  size: z.number(),
  dossierCount: z.number().int(),
});

function archiveRoutes(ctx: OfficeContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/agencies/:agencyId/archive/to-transfer',
      {
        config: archiveKeepers,
        schema: {
          tags: ['dossiers'],
          summary: 'Closed dossiers waiting for transfer to the agency archive, the nearest deadline first',
          params: agencyParams,
          querystring: pageQuery,
          response: { 200: pageOf(dossierSchema), ...errors },
        },
      },
      async (request) => {
        const { agencyId } = request.params;
        const q = request.query;
        const after = decodeCursor(q.cursor, 2);
        let query = dossierList(ctx).where('d.agency_id', '=', agencyId).where('d.state', '=', 'closed');
        if (after) query = query.where(sql<boolean>`(d.end_date, d.id) > (${after[0]}::date, ${after[1]}::uuid)`);
        const rows = await query
          .orderBy('d.end_date')
          .orderBy('d.id')
          .limit(q.limit + 1)
          .execute();
        const page = toPage(rows, q.limit, (r) => [r.end_date!, r.id]);
        return { items: page.items.map(toDossier), nextCursor: page.nextCursor };
      },
    );

    app.post(
      '/agencies/:agencyId/archive/transfers',
      {
        config: clerks,
        schema: {
          tags: ['dossiers'],
          summary: 'The clerk transfers closed dossiers to the agency archive: one package (ZIP with SHA256SUMS) is written and recorded',
          params: agencyParams,
          body: z.object({ dossierIds: z.array(z.uuid()).min(1).max(100) }),
          response: { 201: z.object({ id: z.uuid(), sha256: z.string(), size: z.number(), fileName: z.string() }), ...errors },
        },
      },
      async (request, reply) => {
        const { agencyId } = request.params;
        const done = await transferDossiers(ctx.db, ctx.files, agencyId, actorIn(request.caller, agencyId), request.body.dossierIds);
        return reply.status(201).send(done);
      },
    );

    app.get(
      '/agencies/:agencyId/archive/transfers',
      {
        config: archiveKeepers,
        schema: {
          tags: ['dossiers'],
          summary: 'Transfers to the agency archive, newest first',
          params: agencyParams,
          querystring: pageQuery,
          response: { 200: pageOf(transferSchema), ...errors },
        },
      },
      async (request) => {
        const { agencyId } = request.params;
        const q = request.query;
        const after = decodeCursor(q.cursor, 2);
        let query = ctx.db
          .selectFrom('archive_transfers as t')
          .innerJoin('users as u', 'u.id', 't.transferred_by')
          .select([
            't.id',
            't.transferred_at',
            sql<string>`t.transferred_at::text`.as('at_key'),
            'u.full_name',
            't.file_name',
            't.sha256',
            't.size',
            't.dossier_count',
          ])
          .where('t.agency_id', '=', agencyId);
        if (after) query = query.where(sql<boolean>`(t.transferred_at, t.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`);
        const rows = await query
          .orderBy('t.transferred_at', 'desc')
          .orderBy('t.id', 'desc')
          .limit(q.limit + 1)
          .execute();
        const page = toPage(rows, q.limit, (r) => [r.at_key, r.id]);
        return {
          items: page.items.map((r) => ({
            id: r.id,
            at: r.transferred_at.toISOString(),
            by: r.full_name,
            fileName: r.file_name,
            sha256: r.sha256,
            size: Number(r.size),
            dossierCount: r.dossier_count,
          })),
          nextCursor: page.nextCursor,
        };
      },
    );

    app.get(
      '/agencies/:agencyId/archive/transfers/:transferId/package',
      {
        config: archiveKeepers,
        schema: {
          tags: ['dossiers'],
          summary: 'Downloads a transfer’s package again, byte for byte as written',
          params: agencyParams.extend({ transferId: z.uuid() }),
        },
      },
      async (request, reply) => {
        const { agencyId, transferId } = request.params;
        const t = await ctx.db
          .selectFrom('archive_transfers')
          .select(['file_name', 'sha256', 'size'])
          .where('id', '=', transferId)
          .where('agency_id', '=', agencyId)
          .executeTakeFirst();
        if (!t || !(await ctx.files.has(t.sha256))) throw new AppError('not_found');
        return sendStoredFile(
          reply,
          ctx.files,
          { name: t.file_name, content_type: 'application/zip', sha256: t.sha256, size: t.size },
          true,
        );
      },
    );

    app.get(
      '/agencies/:agencyId/archive/appraisal',
      {
        config: archiveKeepers,
        schema: {
          tags: ['dossiers'],
          summary: 'Transferred dossiers whose retention period has run out: due for appraisal (never the permanent ones)',
          params: agencyParams,
          querystring: pageQuery,
          response: { 200: pageOf(dossierSchema), ...errors },
        },
      },
      async (request) => {
        const { agencyId } = request.params;
        const q = request.query;
        const after = decodeCursor(q.cursor, 2);
        const thisYear = Number(vietnamDay(new Date()).slice(0, 4));
        let query = dossierList(ctx)
          .where('d.agency_id', '=', agencyId)
          .where('d.state', '=', 'transferred')
          .where('d.keep_until_year', 'is not', null)
          .where('d.keep_until_year', '<', thisYear);
        if (after) query = query.where(sql<boolean>`(d.keep_until_year, d.id) > (${Number(after[0])}, ${after[1]}::uuid)`);
        const rows = await query
          .orderBy('d.keep_until_year')
          .orderBy('d.id')
          .limit(q.limit + 1)
          .execute();
        const page = toPage(rows, q.limit, (r) => [String(r.keep_until_year), r.id]);
        return { items: page.items.map(toDossier), nextCursor: page.nextCursor };
      },
    );

    app.post(
      '/agencies/:agencyId/dossiers/:dossierId/appraisal',
      {
        config: leaders,
        schema: {
          tags: ['dossiers'],
          summary:
            'The agency leader decides on a dossier due for appraisal: keep it N more years, or destroy it (its files are removed, its record stays)',
          params: dossierParams,
          body: z.discriminatedUnion('decision', [
            z.object({
              decision: z.literal('keep'),
              extraYears: z.number().int().min(1).max(100),
              reason: z.string().trim().min(1).max(2000),
              legalBasis: z.string().trim().min(1).max(2000),
            }),
            z.object({
              decision: z.literal('destroy'),
              reason: z.string().trim().min(1).max(2000),
              legalBasis: z.string().trim().min(1).max(2000),
            }),
          ]),
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        const { agencyId, dossierId } = request.params;
        await appraiseDossier(ctx.db, ctx.files, agencyId, dossierId, actorIn(request.caller, agencyId), request.body);
        return reply.status(204).send(null);
      },
    );
  };
}

/** Every route of the dossiers feature: the file plan, dossiers, and the agency archive. */
export function dossiersFeature(ctx: OfficeContext): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(filePlanRoutes(ctx));
    await app.register(dossierRoutes(ctx));
    await app.register(archiveRoutes(ctx));
  };
}
