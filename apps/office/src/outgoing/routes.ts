import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { CLASSIFICATIONS, URGENCIES } from '@vanban/edxml';
import { agencyParams } from '../directory/schemas.js';
import type { OfficeContext } from '../http/context.js';
import { AppError } from '../http/errors.js';
import { decodeCursor, pageOf, pageQuery, toPage } from '../http/paging.js';
import { uploadedNamedFile } from '../http/upload.js';
import { actorIn, errors, listView, members, seesWholeAgency } from '../http/members.js';
import { timelineOf } from '../journal/journal.js';
import { createDraft, saveDraft, type Drafter } from './drafting.js';
import { availableOutgoingActions, NO_OUTGOING_RELATION, OUTGOING_ACTIONS, OUTGOING_STATES } from './workflow.js';

const params = agencyParams.extend({ outgoingId: z.uuid() });
const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const recipientSchema = z.object({
  code: z.string().min(1).max(20).describe('Agency code (mã định danh)'),
  name: z.string().trim().max(300).optional().describe('Needed only for an agency outside this installation'),
});
const fieldsSchema = z.object({
  documentTypeId: z.uuid(),
  subject: z.string().trim().min(1).max(4000),
  urgency: z.enum(URGENCIES).default('normal'),
  classification: z.enum(CLASSIFICATIONS).default('none'),
  signerId: z.uuid().nullable().default(null),
  replyDue: DATE.nullable().default(null).describe('When an answer is expected from the recipients'),
  inReplyTo: z.uuid().nullable().default(null).describe('The incoming document this one answers'),
});
const itemSchema = z.object({
  id: z.uuid(),
  state: z.enum(OUTGOING_STATES),
  documentType: z.string(),
  subject: z.string(),
  urgency: z.enum(URGENCIES),
  classification: z.enum(CLASSIFICATIONS),
  version: z.number().int(),
  updatedAt: z.string(),
});
const fileSchema = z.object({
  position: z.number().int(),
  role: z.enum(['main', 'pdf', 'attachment']).describe('pdf: made from a Word main file, the one to be signed'),
  name: z.string(),
  contentType: z.string(),
  sha256: z.string(),
  size: z.number(),
});

/** The people a draft is visible to: its drafter and those who see the whole agency's documents. */
async function readable(ctx: OfficeContext, agencyId: string, outgoingId: string, drafter: Drafter) {
  const doc = await ctx.db
    .selectFrom('outgoing_documents')
    .selectAll()
    .where('id', '=', outgoingId)
    .where('agency_id', '=', agencyId)
    .executeTakeFirst();
  if (!doc || (doc.drafter_id !== drafter.userId && !seesWholeAgency(drafter.roles))) throw new AppError('not_found');
  return doc;
}

/** Drafting outgoing documents: create, save as new versions, read them and their history. */
export function outgoingRoutes(ctx: OfficeContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/agencies/:agencyId/outgoing',
      {
        config: members,
        schema: {
          tags: ['outgoing'],
          summary: 'Start a draft (version 1); its files are added with …/files',
          params: agencyParams,
          body: z.object({
            fields: fieldsSchema,
            recipients: z.array(recipientSchema).max(500).default([]),
            note: z.string().max(2000).optional(),
          }),
          response: { 201: z.object({ id: z.uuid(), documentId: z.string() }), ...errors },
        },
      },
      async (request, reply) => {
        const { agencyId } = request.params;
        const { fields, recipients, note } = request.body;
        const created = await createDraft(ctx.db, ctx.files, {
          agencyId,
          drafter: actorIn(request.caller, agencyId),
          fields,
          recipients,
          ...(note ? { note } : {}),
        });
        return reply.status(201).send(created);
      },
    );

    app.patch(
      '/agencies/:agencyId/outgoing/:outgoingId',
      {
        config: members,
        schema: {
          tags: ['outgoing'],
          summary: 'Save the draft again with changed fields, recipients or fewer files: a new version',
          params,
          body: z.object({
            fields: fieldsSchema.partial().optional(),
            recipients: z.array(recipientSchema).max(500).optional(),
            removeFiles: z.array(z.number().int().min(1)).max(100).optional(),
            note: z.string().max(2000).optional(),
          }),
          response: { 200: z.object({ version: z.number().int() }), ...errors },
        },
      },
      async (request) => {
        const { agencyId, outgoingId } = request.params;
        const { fields, recipients, removeFiles, note } = request.body;
        return saveDraft(ctx.db, ctx.files, {
          agencyId,
          outgoingId,
          drafter: actorIn(request.caller, agencyId),
          change: {
            ...(fields ? { fields } : {}),
            ...(recipients ? { recipients } : {}),
            ...(removeFiles ? { removeFiles } : {}),
            ...(note ? { note } : {}),
          },
        });
      },
    );

    app.post(
      '/agencies/:agencyId/outgoing/:outgoingId/files',
      {
        config: members,
        schema: {
          tags: ['outgoing'],
          summary:
            'Add a file (multipart field "file"): the main file (DOCX or PDF, replacing the previous one) or an attachment; a new version',
          params,
          querystring: z.object({ role: z.enum(['main', 'attachment']) }),
          consumes: ['multipart/form-data'],
          response: { 200: z.object({ version: z.number().int() }), ...errors },
        },
      },
      async (request) => {
        const { agencyId, outgoingId } = request.params;
        const file = await uploadedNamedFile(request);
        return saveDraft(ctx.db, ctx.files, {
          agencyId,
          outgoingId,
          drafter: actorIn(request.caller, agencyId),
          change: request.query.role === 'main' ? { main: file } : { addAttachments: [file] },
        });
      },
    );

    app.get(
      '/agencies/:agencyId/outgoing',
      {
        config: members,
        schema: {
          tags: ['outgoing'],
          summary: 'Outgoing documents, last changed first: mine (the default for officers) or the whole agency’s',
          params: agencyParams,
          querystring: pageQuery.extend({ view: z.enum(['mine', 'all']).optional(), state: z.enum(OUTGOING_STATES).optional() }),
          response: { 200: pageOf(itemSchema), ...errors },
        },
      },
      async (request) => {
        const { agencyId } = request.params;
        const q = request.query;
        const actor = actorIn(request.caller, agencyId);
        const view = listView(actor, q.view);
        const after = decodeCursor(q.cursor, 2);
        let query = ctx.db
          .selectFrom('outgoing_documents')
          .select([
            'id',
            'state',
            'document_type',
            'subject',
            'urgency',
            'classification',
            'version',
            'updated_at',
            sql<string>`updated_at::text`.as('updated'),
          ])
          .where('agency_id', '=', agencyId);
        if (view === 'mine') query = query.where('drafter_id', '=', actor.userId);
        if (q.state) query = query.where('state', '=', q.state);
        if (after) query = query.where(sql<boolean>`(updated_at, id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`);
        const rows = await query
          .orderBy('updated_at', 'desc')
          .orderBy('id', 'desc')
          .limit(q.limit + 1)
          .execute();
        const page = toPage(rows, q.limit, (r) => [r.updated, r.id]);
        return {
          items: page.items.map((r) => ({
            id: r.id,
            state: r.state,
            documentType: r.document_type,
            subject: r.subject,
            urgency: r.urgency,
            classification: r.classification,
            version: r.version,
            updatedAt: r.updated_at.toISOString(),
          })),
          nextCursor: page.nextCursor,
        };
      },
    );

    app.get(
      '/agencies/:agencyId/outgoing/:outgoingId',
      {
        config: members,
        schema: {
          tags: ['outgoing'],
          summary: 'One outgoing document: its fields, recipients, files, versions, timeline and what I may do',
          params,
          response: {
            200: itemSchema.extend({
              documentId: z.string(),
              typeAbbreviation: z.string().nullable(),
              drafterId: z.uuid(),
              signerId: z.uuid().nullable(),
              replyDue: z.string().nullable(),
              inReplyTo: z.uuid().nullable(),
              recipients: z.array(z.object({ code: z.string(), name: z.string() })),
              files: z.array(fileSchema),
              versions: z.array(
                z.object({ version: z.number().int(), savedBy: z.string(), savedAt: z.string(), note: z.string().nullable() }),
              ),
              timeline: z.array(
                z.object({ at: z.string(), action: z.string(), actor: z.string().nullable(), details: z.record(z.string(), z.unknown()) }),
              ),
              actions: z.array(z.enum(OUTGOING_ACTIONS)),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const { agencyId, outgoingId } = request.params;
        const actor = actorIn(request.caller, agencyId);
        const doc = await readable(ctx, agencyId, outgoingId, actor);
        const [recipients, files, versions, timeline] = await Promise.all([
          ctx.db
            .selectFrom('outgoing_recipients')
            .select(['agency_code as code', 'agency_name as name'])
            .where('outgoing_id', '=', outgoingId)
            .orderBy('position')
            .execute(),
          ctx.db
            .selectFrom('outgoing_files')
            .select(['position', 'role', 'name', 'content_type as contentType', 'sha256', 'size'])
            .where('outgoing_id', '=', outgoingId)
            .orderBy('position')
            .execute(),
          ctx.db
            .selectFrom('outgoing_versions as v')
            .innerJoin('users as u', 'u.id', 'v.saved_by')
            .select(['v.version', 'u.full_name', 'v.saved_at', 'v.note'])
            .where('v.outgoing_id', '=', outgoingId)
            .orderBy('v.version', 'desc')
            .execute(),
          timelineOf(ctx.db, agencyId, { kind: 'outgoing', id: outgoingId }),
        ]);
        return {
          id: doc.id,
          state: doc.state,
          documentType: doc.document_type,
          subject: doc.subject,
          urgency: doc.urgency,
          classification: doc.classification,
          version: doc.version,
          updatedAt: doc.updated_at.toISOString(),
          documentId: doc.document_id,
          typeAbbreviation: doc.type_abbreviation,
          drafterId: doc.drafter_id,
          signerId: doc.signer_id,
          replyDue: doc.reply_due,
          inReplyTo: doc.in_reply_to,
          recipients,
          files: files.map((f) => ({ ...f, size: Number(f.size) })),
          versions: versions.map((v) => ({ version: v.version, savedBy: v.full_name, savedAt: v.saved_at.toISOString(), note: v.note })),
          timeline: timeline.map((e) => ({ at: e.at.toISOString(), action: e.action, actor: e.actor?.name ?? null, details: e.details })),
          actions: availableOutgoingActions(doc.state, actor.roles, {
            ...NO_OUTGOING_RELATION,
            drafter: doc.drafter_id === actor.userId,
            drafterIsLeader: doc.drafter_id === actor.userId && actor.roles.some((r) => r === 'agency_leader' || r === 'department_leader'),
          }),
        };
      },
    );

    app.get(
      '/agencies/:agencyId/outgoing/:outgoingId/versions/:version',
      {
        config: members,
        schema: {
          tags: ['outgoing'],
          summary: 'One saved version as it was: fields, recipients and files (to compare two versions)',
          params: params.extend({ version: z.coerce.number().int().min(1) }),
          response: { 200: z.object({ version: z.number().int(), content: z.record(z.string(), z.unknown()) }), ...errors },
        },
      },
      async (request) => {
        const { agencyId, outgoingId, version } = request.params;
        await readable(ctx, agencyId, outgoingId, actorIn(request.caller, agencyId));
        const row = await ctx.db
          .selectFrom('outgoing_versions')
          .select(['version', 'content'])
          .where('outgoing_id', '=', outgoingId)
          .where('version', '=', version)
          .executeTakeFirst();
        if (!row) throw new AppError('not_found');
        return { version: row.version, content: row.content as Record<string, unknown> };
      },
    );
  };
}
