import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { vietnamDay } from '../calendar/working-days.js';
import { agencyParams } from '../directory/schemas.js';
import type { OfficeContext } from '../http/context.js';
import { AppError } from '../http/errors.js';
import { actorIn, errors, listView, members, seesWholeAgency } from '../http/members.js';
import { decodeCursor, pageOf, pageQuery, toPage } from '../http/paging.js';
import { sendStoredFile } from '../http/stored-file.js';
import { uploadedNamedFile } from '../http/upload.js';
import { timelineOf } from '../journal/journal.js';
import { formatRegisterNumber } from '../registers/numbering.js';
import { closeDossier, fileDocument, fileUpload, openDossier, removeItem, reopenDossier } from './keeping.js';
import { readableDossier } from './reading.js';
import { appraisalDue, DOSSIER_ACTIONS, DOSSIER_STATES, dossierActions, transferDeadline } from './rules.js';

const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const dossierParams = agencyParams.extend({ dossierId: z.uuid() });
const personSchema = z.object({ id: z.uuid(), name: z.string() });

export const dossierSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  title: z.string(),
  state: z.enum(DOSSIER_STATES),
  entryId: z.uuid(),
  planYear: z.number().int(),
  retentionYears: z.number().int().nullable().describe('null: permanent'),
  responsible: personSchema,
  startDate: z.string(),
  endDate: z.string().nullable(),
  transferDeadline: z.string().nullable().describe('Closed and not transferred: the last day to transfer it (a year after closing)'),
  keepUntilYear: z.number().int().nullable().describe('The last year it is kept; null: permanent or still open'),
  itemCount: z.number().int(),
});

const itemSchema = z.object({
  position: z.number().int(),
  kind: z.enum(['incoming', 'outgoing', 'file']),
  documentId: z.uuid().nullable().describe('The incoming or outgoing document'),
  label: z.string().describe('Number and notation, or the file name'),
  subject: z.string().nullable(),
  date: z.string().nullable(),
  size: z.number().nullable(),
  contentType: z.string().nullable(),
  addedBy: z.string(),
  addedAt: z.string(),
});

const detailSchema = dossierSchema.extend({
  entryTitle: z.string(),
  heading: z.string().nullable(),
  departmentName: z.string().nullable(),
  openedBy: personSchema,
  pageCount: z.number().int().nullable(),
  documentCount: z.number().int().nullable(),
  items: z.array(itemSchema),
  transfer: z.object({ id: z.uuid(), at: z.string(), by: z.string(), sha256: z.string() }).nullable(),
  appraisals: z.array(
    z.object({
      decision: z.enum(['keep', 'destroy']),
      extraYears: z.number().int().nullable(),
      reason: z.string(),
      legalBasis: z.string(),
      by: z.string(),
      at: z.string(),
    }),
  ),
  actions: z.array(z.enum(DOSSIER_ACTIONS)).describe('What the caller may do with it now'),
});

const actionBody = z.discriminatedUnion('action', [
  z.object({ action: z.literal('close'), endDate: DATE, pageCount: z.number().int().min(0).max(1_000_000) }),
  z.object({ action: z.literal('reopen'), reason: z.string().trim().min(1).max(2000) }),
]);

/** The columns every dossier list shows, with its plan year and keeper. */
export function dossierList(ctx: OfficeContext) {
  return ctx.db
    .selectFrom('dossiers as d')
    .innerJoin('file_plan_entries as e', 'e.id', 'd.entry_id')
    .innerJoin('users as r', 'r.id', 'd.responsible_id')
    .select([
      'd.id',
      'd.code',
      'd.title',
      'd.state',
      'd.entry_id',
      'e.year',
      'd.retention_years',
      'd.responsible_id',
      'r.full_name as responsible_name',
      'd.start_date',
      'd.end_date',
      'd.keep_until_year',
      'd.created_at',
      sql<string>`d.created_at::text`.as('created'),
    ])
    .select((eb) =>
      eb
        .selectFrom('dossier_items as i')
        .select(sql<string>`count(*)`.as('n'))
        .whereRef('i.dossier_id', '=', 'd.id')
        .as('item_count'),
    );
}

type ListRow = Awaited<ReturnType<ReturnType<typeof dossierList>['execute']>>[number];

export function toDossier(r: ListRow): z.infer<typeof dossierSchema> {
  return {
    id: r.id,
    code: r.code,
    title: r.title,
    state: r.state,
    entryId: r.entry_id,
    planYear: r.year,
    retentionYears: r.retention_years,
    responsible: { id: r.responsible_id, name: r.responsible_name },
    startDate: r.start_date,
    endDate: r.end_date,
    transferDeadline: r.state === 'closed' && r.end_date ? transferDeadline(r.end_date) : null,
    keepUntilYear: r.keep_until_year,
    itemCount: Number(r.item_count ?? 0),
  };
}

/** One page of a dossier list, the newest opened first (served by dossiers_newest). */
async function newestFirst(query: ReturnType<typeof dossierList>, q: { readonly cursor?: string | undefined; readonly limit: number }) {
  const after = decodeCursor(q.cursor, 2);
  const rows = await (after ? query.where(sql<boolean>`(d.created_at, d.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`) : query)
    .orderBy('d.created_at', 'desc')
    .orderBy('d.id', 'desc')
    .limit(q.limit + 1)
    .execute();
  const page = toPage(rows, q.limit, (r) => [r.created, r.id]);
  return { items: page.items.map(toDossier), nextCursor: page.nextCursor };
}

export function dossierRoutes(ctx: OfficeContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/agencies/:agencyId/dossiers',
      {
        config: members,
        schema: {
          tags: ['dossiers'],
          summary: 'Dossiers, newest first: mine (I keep them) or the whole agency’s (clerks and leaders)',
          params: agencyParams,
          querystring: pageQuery.extend({
            view: z.enum(['all', 'mine']).optional(),
            state: z.enum(DOSSIER_STATES).optional(),
            entryId: z.uuid().optional().describe('Only those opened from this file plan entry'),
          }),
          response: { 200: pageOf(dossierSchema), ...errors },
        },
      },
      async (request) => {
        const { agencyId } = request.params;
        const q = request.query;
        const actor = actorIn(request.caller, agencyId);
        const view = listView(actor, q.view);
        let query = dossierList(ctx).where('d.agency_id', '=', agencyId);
        if (view === 'mine') query = query.where('d.responsible_id', '=', actor.userId);
        if (q.state) query = query.where('d.state', '=', q.state);
        if (q.entryId) query = query.where('d.entry_id', '=', q.entryId);
        return newestFirst(query, q);
      },
    );

    app.post(
      '/agencies/:agencyId/dossiers',
      {
        config: members,
        schema: {
          tags: ['dossiers'],
          summary: 'Any member opens a dossier from an entry of the file plan; they keep it unless another member is named',
          params: agencyParams,
          body: z.object({
            entryId: z.uuid(),
            title: z.string().trim().max(1000).optional().describe('The entry’s title when left out'),
            responsibleId: z.uuid().optional(),
            startDate: DATE,
          }),
          response: { 201: z.object({ id: z.uuid() }), ...errors },
        },
      },
      async (request, reply) => {
        const { agencyId } = request.params;
        return reply.status(201).send(await openDossier(ctx.db, agencyId, actorIn(request.caller, agencyId), request.body));
      },
    );

    app.get(
      '/agencies/:agencyId/document-dossiers',
      {
        config: members,
        schema: {
          tags: ['dossiers'],
          summary: 'The dossiers holding one incoming or outgoing document, among those the caller may read',
          params: agencyParams,
          querystring: pageQuery.extend({ incomingId: z.uuid().optional(), outgoingId: z.uuid().optional() }),
          response: { 200: pageOf(dossierSchema), ...errors },
        },
      },
      async (request) => {
        const { agencyId } = request.params;
        const q = request.query;
        if ((q.incomingId === undefined) === (q.outgoingId === undefined)) {
          throw new AppError('validation_failed', [{ path: '/incomingId', message: 'name exactly one of incomingId and outgoingId' }]);
        }
        const actor = actorIn(request.caller, agencyId);
        let query = dossierList(ctx)
          .where('d.agency_id', '=', agencyId)
          .where((eb) =>
            eb.exists(
              eb
                .selectFrom('dossier_items as h')
                .select('h.position')
                .whereRef('h.dossier_id', '=', 'd.id')
                .$if(q.incomingId !== undefined, (s) => s.where('h.incoming_id', '=', q.incomingId!))
                .$if(q.outgoingId !== undefined, (s) => s.where('h.outgoing_id', '=', q.outgoingId!)),
            ),
          );
        if (!seesWholeAgency(actor.roles)) {
          query = query.where((eb) => eb.or([eb('d.responsible_id', '=', actor.userId), eb('d.opened_by', '=', actor.userId)]));
        }
        return newestFirst(query, q);
      },
    );

    app.get(
      '/agencies/:agencyId/dossiers/:dossierId',
      {
        config: members,
        schema: {
          tags: ['dossiers'],
          summary: 'One dossier: what it holds, its transfer and appraisal decisions, and what I may do',
          params: dossierParams,
          response: { 200: detailSchema, ...errors },
        },
      },
      async (request) => {
        const { agencyId, dossierId } = request.params;
        const actor = actorIn(request.caller, agencyId);
        const { dossier, standing } = await readableDossier(ctx.db, agencyId, dossierId, actor);
        const row = await dossierList(ctx)
          .innerJoin('users as o', 'o.id', 'd.opened_by')
          .leftJoin('departments as dep', 'dep.id', 'e.department_id')
          .select([
            'e.title as entry_title',
            'e.heading',
            'dep.name as department_name',
            'o.full_name as opened_by_name',
            'd.opened_by',
            'd.page_count',
            'd.document_count',
          ])
          .where('d.id', '=', dossierId)
          .executeTakeFirstOrThrow();
        const items = await ctx.db
          .selectFrom('dossier_items as i')
          .innerJoin('users as u', 'u.id', 'i.added_by')
          .leftJoin('incoming_documents as inc', 'inc.id', 'i.incoming_id')
          .leftJoin('outgoing_documents as out', 'out.id', 'i.outgoing_id')
          .select([
            'i.position',
            'i.kind',
            'i.incoming_id',
            'i.outgoing_id',
            'i.name',
            'i.size',
            'i.content_type',
            'u.full_name as added_by',
            'i.added_at',
            'inc.number as in_number',
            'inc.notation as in_notation',
            'inc.subject as in_subject',
            'inc.issue_date as in_date',
            'out.number as out_number',
            'out.notation as out_notation',
            'out.subject as out_subject',
            'out.issue_date as out_date',
          ])
          .where('i.dossier_id', '=', dossierId)
          .orderBy('i.position')
          .execute();
        const transfer = dossier.transfer_id
          ? await ctx.db
              .selectFrom('archive_transfers as t')
              .innerJoin('users as u', 'u.id', 't.transferred_by')
              .select(['t.id', 't.transferred_at', 'u.full_name', 't.sha256'])
              .where('t.id', '=', dossier.transfer_id)
              .executeTakeFirstOrThrow()
          : null;
        const appraisals = await ctx.db
          .selectFrom('dossier_appraisals as a')
          .innerJoin('users as u', 'u.id', 'a.decided_by')
          .select(['a.decision', 'a.extra_years', 'a.reason', 'a.legal_basis', 'u.full_name', 'a.decided_at'])
          .where('a.dossier_id', '=', dossierId)
          .orderBy('a.decided_at')
          .execute();
        const due = appraisalDue(dossier.keep_until_year, vietnamDay(new Date()));
        return {
          ...toDossier(row),
          entryTitle: row.entry_title,
          heading: row.heading,
          departmentName: row.department_name,
          openedBy: { id: row.opened_by, name: row.opened_by_name },
          pageCount: row.page_count,
          documentCount: row.document_count,
          items: items.map((i) => ({
            position: i.position,
            kind: i.kind,
            documentId: i.incoming_id ?? i.outgoing_id,
            label:
              i.kind === 'file'
                ? i.name!
                : i.kind === 'incoming'
                  ? [i.in_number, i.in_notation].filter((s) => s && s.trim() !== '').join('/')
                  : i.out_number === null
                    ? ''
                    : `${formatRegisterNumber(i.out_number)}/${i.out_notation ?? ''}`,
            subject: i.in_subject ?? i.out_subject ?? null,
            date: i.in_date ?? i.out_date ?? null,
            size: i.size === null ? null : Number(i.size),
            contentType: i.content_type,
            addedBy: i.added_by,
            addedAt: i.added_at.toISOString(),
          })),
          transfer: transfer
            ? { id: transfer.id, at: transfer.transferred_at.toISOString(), by: transfer.full_name, sha256: transfer.sha256 }
            : null,
          appraisals: appraisals.map((a) => ({
            decision: a.decision,
            extraYears: a.extra_years,
            reason: a.reason,
            legalBasis: a.legal_basis,
            by: a.full_name,
            at: a.decided_at.toISOString(),
          })),
          actions: dossierActions(dossier.state, standing, due),
        };
      },
    );

    app.get(
      '/agencies/:agencyId/dossiers/:dossierId/timeline',
      {
        config: members,
        schema: {
          tags: ['dossiers'],
          summary: 'Everything that happened to the dossier, oldest first, read from the agency’s journal',
          params: dossierParams,
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  seq: z.number().int(),
                  at: z.string(),
                  action: z.string(),
                  actor: personSchema.nullable(),
                  from: z.string().nullable(),
                  to: z.string().nullable(),
                  details: z.record(z.string(), z.unknown()),
                }),
              ),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const { agencyId, dossierId } = request.params;
        await readableDossier(ctx.db, agencyId, dossierId, actorIn(request.caller, agencyId));
        const entries = await timelineOf(ctx.db, agencyId, { kind: 'dossier', id: dossierId });
        return { items: entries.map((e) => ({ ...e, at: e.at.toISOString() })) };
      },
    );

    app.post(
      '/agencies/:agencyId/dossiers/:dossierId/documents',
      {
        config: members,
        schema: {
          tags: ['dossiers'],
          summary: 'Files an incoming or outgoing document the caller may read into an open dossier they keep',
          params: dossierParams,
          body: z.object({ kind: z.enum(['incoming', 'outgoing']), documentId: z.uuid() }),
          response: { 201: z.object({ position: z.number().int() }), ...errors },
        },
      },
      async (request, reply) => {
        const { agencyId, dossierId } = request.params;
        const target = { agencyId, dossierId, actor: actorIn(request.caller, agencyId) };
        return reply.status(201).send(await fileDocument(ctx.db, target, { kind: request.body.kind, id: request.body.documentId }));
      },
    );

    app.post(
      '/agencies/:agencyId/dossiers/:dossierId/files',
      {
        config: members,
        schema: {
          tags: ['dossiers'],
          summary: 'Files another file (multipart field "file") into an open dossier',
          params: dossierParams,
          consumes: ['multipart/form-data'],
          response: { 201: z.object({ position: z.number().int() }), ...errors },
        },
      },
      async (request, reply) => {
        const { agencyId, dossierId } = request.params;
        const target = { agencyId, dossierId, actor: actorIn(request.caller, agencyId) };
        const file = await uploadedNamedFile(request);
        return reply.status(201).send(await fileUpload(ctx.db, ctx.files, target, file));
      },
    );

    app.get(
      '/agencies/:agencyId/dossiers/:dossierId/items/:position/file',
      {
        config: members,
        schema: {
          tags: ['dossiers'],
          summary: 'A file filed into the dossier, as stored',
          params: dossierParams.extend({ position: z.coerce.number().int().min(1) }),
          querystring: z.object({ download: z.enum(['1']).optional() }),
        },
      },
      async (request, reply) => {
        const { agencyId, dossierId, position } = request.params;
        const { dossier } = await readableDossier(ctx.db, agencyId, dossierId, actorIn(request.caller, agencyId));
        // A destroyed dossier's files are gone by decision; its record says so.
        if (dossier.state === 'destroyed') throw new AppError('not_found');
        const file = await ctx.db
          .selectFrom('dossier_items')
          .select(['name', 'content_type', 'sha256', 'size'])
          .where('dossier_id', '=', dossierId)
          .where('position', '=', position)
          .where('kind', '=', 'file')
          .executeTakeFirst();
        if (!file) throw new AppError('not_found');
        return sendStoredFile(
          reply,
          ctx.files,
          { name: file.name!, content_type: file.content_type!, sha256: file.sha256!, size: file.size! },
          request.query.download === '1',
        );
      },
    );

    app.delete(
      '/agencies/:agencyId/dossiers/:dossierId/items/:position',
      {
        config: members,
        schema: {
          tags: ['dossiers'],
          summary: 'Takes an item out of an open dossier (the journal keeps what it was)',
          params: dossierParams.extend({ position: z.coerce.number().int().min(1) }),
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        const { agencyId, dossierId, position } = request.params;
        await removeItem(ctx.db, { agencyId, dossierId, actor: actorIn(request.caller, agencyId) }, position);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/agencies/:agencyId/dossiers/:dossierId/actions',
      {
        config: members,
        schema: {
          tags: ['dossiers'],
          summary: 'Closes an open dossier (end date, page count) or reopens a closed, untransferred one (with a reason)',
          params: dossierParams,
          body: actionBody,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        const { agencyId, dossierId } = request.params;
        const target = { agencyId, dossierId, actor: actorIn(request.caller, agencyId) };
        const b = request.body;
        if (b.action === 'close') await closeDossier(ctx.db, target, b);
        else await reopenDossier(ctx.db, target, b.reason);
        return reply.status(204).send(null);
      },
    );
  };
}
