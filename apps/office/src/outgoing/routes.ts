import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql, type ExpressionBuilder } from 'kysely';
import { z } from 'zod';
import { CLASSIFICATIONS, URGENCIES } from '@vanban/edxml';
import { agencyParams } from '../directory/schemas.js';
import type { OfficeContext } from '../http/context.js';
import { AppError } from '../http/errors.js';
import { decodeCursor, pageOf, pageQuery, toPage } from '../http/paging.js';
import { uploadedNamedFile } from '../http/upload.js';
import { actorIn, errors, listView, members, type Actor } from '../http/members.js';
import type { OfficeSchema } from '../schema.js';
import { timelineOf } from '../journal/journal.js';
import { createDraft, saveDraft } from './drafting.js';
import { availableOutgoingActions, OUTGOING_ACTIONS, OUTGOING_STATES } from './workflow.js';
import { loadCalendar } from '../calendar/store.js';
import { vietnamDay } from '../calendar/working-days.js';
import { formatRegisterNumber } from '../registers/numbering.js';
import { readableOutgoing } from './reading.js';
import { recipientsByChannel } from './recipients.js';
import { issueTiming } from './same-day.js';
import { fileToSign } from './steps.js';

const DAY_MS = 24 * 3600_000;

/** Documents waiting for this person: to review, to check or sign at their step, and for a clerk to number and issue. */
function waitingFor(eb: ExpressionBuilder<OfficeSchema & { d: OfficeSchema['outgoing_documents'] }, 'd'>, actor: Actor) {
  const department = actor.roles.includes('department_leader') ? actor.departmentId : null;
  const atStep = eb.exists(
    eb
      .selectFrom('outgoing_approvals as s')
      .select('s.position')
      .whereRef('s.outgoing_id', '=', 'd.id')
      .whereRef('s.round', '=', 'd.approval_round')
      .whereRef('s.position', '=', 'd.approval_step')
      .where((e) => e.or([e('s.signer_id', '=', actor.userId), ...(department ? [e('s.department_id', '=', department)] : [])])),
  );
  return eb.or([
    ...(department
      ? [eb.and([eb('d.state', '=', 'in_review'), eb('d.department_id', '=', department), eb('d.drafter_id', '!=', actor.userId)])]
      : []),
    eb.and([eb('d.state', '=', 'in_approval'), atStep]),
    ...(actor.roles.includes('clerk') ? [eb('d.state', 'in', ['signed', 'numbered'] as const)] : []),
  ]);
}

/**
 * The same-day rule for documents signed and maybe issued, on the working calendar of the span
 * they were signed in (a month after the last signing day holds its next working morning).
 */
async function sameDayFlags(ctx: OfficeContext, docs: readonly { signed_at: Date | null; issued_at: Date | null }[]) {
  const signed = docs.flatMap((d) => (d.signed_at ? [d.signed_at.getTime()] : []));
  if (signed.length === 0) return () => null;
  const calendar = await loadCalendar(
    ctx.db,
    vietnamDay(new Date(Math.min(...signed))),
    vietnamDay(new Date(Math.max(...signed) + 31 * DAY_MS)),
  );
  const now = new Date();
  return (d: { signed_at: Date | null; issued_at: Date | null }) => {
    if (!d.signed_at) return null;
    const timing = issueTiming(d.signed_at, d.issued_at, now, calendar);
    return timing.issued ? timing.on : timing.flag;
  };
}
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
  completesIncoming: z.boolean().default(false).describe('Issuing this reply completes the incoming document it answers'),
});
const sameDaySchema = z
  .enum(['none', 'past_signing_day', 'late', 'same_day', 'next_morning'])
  .nullable()
  .describe('Issue on the signing day (QĐ 28/2018): a flag while waiting, how it went once issued; null before signature');
const itemSchema = z.object({
  id: z.uuid(),
  state: z.enum(OUTGOING_STATES),
  number: z.string().nullable(),
  notation: z.string().nullable(),
  signedAt: z.string().nullable(),
  sameDay: sameDaySchema,
  documentType: z.string(),
  subject: z.string(),
  urgency: z.enum(URGENCIES),
  classification: z.enum(CLASSIFICATIONS),
  version: z.number().int(),
  updatedAt: z.string(),
});
const fileSchema = z.object({
  position: z.number().int(),
  role: z
    .enum(['main', 'pdf', 'attachment', 'signed', 'issued'])
    .describe(
      'pdf: made from a Word main file, the one to be signed; signed: with the signer’s signature; issued: numbered, with the agency’s',
    ),
  name: z.string(),
  contentType: z.string(),
  sha256: z.string(),
  size: z.number(),
});

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
            amends: z
              .object({ outgoingId: z.uuid(), kind: z.enum(['amend', 'replace']), reason: z.string().trim().min(1).max(2000) })
              .optional()
              .describe('An issued document this one amends or replaces; its recipients are asked to answer 15 or 16'),
          }),
          response: { 201: z.object({ id: z.uuid(), documentId: z.string() }), ...errors },
        },
      },
      async (request, reply) => {
        const { agencyId } = request.params;
        const { fields, recipients, note, amends } = request.body;
        const created = await createDraft(ctx.db, ctx.files, {
          agencyId,
          drafter: actorIn(request.caller, agencyId),
          fields,
          recipients,
          ...(note ? { note } : {}),
          ...(amends ? { amends } : {}),
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
          querystring: pageQuery.extend({
            view: z
              .enum(['mine', 'waiting', 'all'])
              .optional()
              .describe('waiting: those waiting for me (to review, check, sign; for the clerk, to number and issue)'),
            state: z.enum(OUTGOING_STATES).optional(),
          }),
          response: { 200: pageOf(itemSchema), ...errors },
        },
      },
      async (request) => {
        const { agencyId } = request.params;
        const q = request.query;
        const actor = actorIn(request.caller, agencyId);
        const view = q.view === 'waiting' ? 'waiting' : listView(actor, q.view);
        const after = decodeCursor(q.cursor, 2);
        let query = ctx.db
          .selectFrom('outgoing_documents as d')
          .select([
            'd.id',
            'd.state',
            'd.document_type',
            'd.subject',
            'd.urgency',
            'd.classification',
            'd.version',
            'd.number',
            'd.notation',
            'd.signed_at',
            'd.issued_at',
            'd.updated_at',
            sql<string>`d.updated_at::text`.as('updated'),
          ])
          .where('d.agency_id', '=', agencyId);
        if (view === 'mine') query = query.where('d.drafter_id', '=', actor.userId);
        if (view === 'waiting') query = query.where((eb) => waitingFor(eb, actor));
        if (q.state) query = query.where('d.state', '=', q.state);
        if (after) query = query.where(sql<boolean>`(d.updated_at, d.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`);
        const rows = await query
          .orderBy('d.updated_at', 'desc')
          .orderBy('d.id', 'desc')
          .limit(q.limit + 1)
          .execute();
        const page = toPage(rows, q.limit, (r) => [r.updated, r.id]);
        const sameDay = await sameDayFlags(ctx, page.items);
        return {
          items: page.items.map((r) => ({
            number: r.number === null ? null : formatRegisterNumber(r.number),
            notation: r.notation,
            signedAt: r.signed_at?.toISOString() ?? null,
            sameDay: sameDay(r),
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
              completesIncoming: z.boolean(),
              recipients: z.array(
                z.object({
                  code: z.string(),
                  name: z.string(),
                  channel: z.enum(['internal', 'hub']).describe('Of this installation (delivered directly) or reached through the hub'),
                  statuses: z
                    .array(z.object({ status: z.string(), description: z.string().nullable(), at: z.string() }))
                    .describe('What the recipient answered (01–06, 15, 16), oldest first'),
                }),
              ),
              amends: z
                .object({ id: z.uuid(), kind: z.enum(['amend', 'replace']), reason: z.string() })
                .nullable()
                .describe('The issued document this one amends or replaces'),
              recallRequestedAt: z.string().nullable(),
              hubDelivery: z
                .object({ state: z.enum(['queued', 'sent', 'refused']), refusal: z.unknown().nullable() })
                .nullable()
                .describe('The package to the recipients outside: waiting for the hub, accepted by it, or refused (with why)'),
              files: z.array(fileSchema),
              versions: z.array(
                z.object({ version: z.number().int(), savedBy: z.string(), savedAt: z.string(), note: z.string().nullable() }),
              ),
              timeline: z.array(
                z.object({ at: z.string(), action: z.string(), actor: z.string().nullable(), details: z.record(z.string(), z.unknown()) }),
              ),
              actions: z.array(z.enum(OUTGOING_ACTIONS)),
              toSign: fileSchema
                .nullable()
                .describe('The PDF the signer signs (its sha256 goes with the signature), while the document is in the chain'),
              approvals: z
                .array(
                  z.object({
                    position: z.number().int(),
                    kind: z.enum(['check', 'sign']),
                    who: z.string().describe('The department whose leaders check, or the signer'),
                    decision: z.enum(['approved', 'returned', 'signed']).nullable(),
                    decidedBy: z.string().nullable(),
                    decidedAt: z.string().nullable(),
                    comment: z.string().nullable(),
                  }),
                )
                .describe('The approval chain of the latest submission for signature'),
              issueDate: z.string().nullable(),
              issuedAt: z.string().nullable(),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const { agencyId, outgoingId } = request.params;
        const actor = actorIn(request.caller, agencyId);
        const { doc, relation } = await readableOutgoing(ctx.db, agencyId, outgoingId, actor);
        const [recipients, files, versions, timeline, approvals, toSign, sameDay, statuses, hubDelivery] = await Promise.all([
          recipientsByChannel(ctx.db, outgoingId),
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
          ctx.db
            .selectFrom('outgoing_approvals as s')
            .leftJoin('departments as d', 'd.id', 's.department_id')
            .leftJoin('users as signer', 'signer.id', 's.signer_id')
            .leftJoin('users as by', 'by.id', 's.decided_by')
            .select([
              's.position',
              's.signer_id',
              'd.name as department',
              'signer.full_name as signerName',
              's.decision',
              'by.full_name as decidedBy',
              's.decided_at',
              's.comment',
            ])
            .where('s.outgoing_id', '=', outgoingId)
            .where('s.round', '=', doc.approval_round)
            .orderBy('s.position')
            .execute(),
          doc.state === 'in_approval' ? fileToSign(ctx.db, outgoingId) : null,
          sameDayFlags(ctx, [doc]),
          ctx.db
            .selectFrom('sent_statuses')
            .select(['recipient_code', 'status', 'description', 'status_at'])
            .where('agency_id', '=', agencyId)
            .where('document_id', '=', doc.document_id)
            .orderBy('status_at')
            .orderBy('received_at')
            .orderBy('status')
            .execute(),
          ctx.db
            .selectFrom('hub_outbox')
            .select(['state', 'refusal'])
            .where('kind', '=', 'document')
            .where('document_id', '=', doc.document_id)
            .orderBy('created_at', 'desc')
            .executeTakeFirst(),
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
          completesIncoming: doc.completes_incoming,
          recipients: recipients.all.map((r) => ({
            code: r.code,
            name: r.name,
            channel: r.agencyId ? ('internal' as const) : ('hub' as const),
            statuses: statuses
              .filter((s) => s.recipient_code === r.code)
              .map((s) => ({ status: s.status, description: s.description, at: s.status_at.toISOString() })),
          })),
          amends: doc.amends_id && doc.amend_kind ? { id: doc.amends_id, kind: doc.amend_kind, reason: doc.amend_reason ?? '' } : null,
          recallRequestedAt: doc.recall_requested_at?.toISOString() ?? null,
          hubDelivery: hubDelivery ? { state: hubDelivery.state, refusal: hubDelivery.refusal ?? null } : null,
          files: files.map((f) => ({ ...f, size: Number(f.size) })),
          versions: versions.map((v) => ({ version: v.version, savedBy: v.full_name, savedAt: v.saved_at.toISOString(), note: v.note })),
          timeline: timeline.map((e) => ({ at: e.at.toISOString(), action: e.action, actor: e.actor?.name ?? null, details: e.details })),
          actions: availableOutgoingActions(doc.state, actor.roles, relation),
          toSign: toSign ? { ...toSign, contentType: toSign.content_type, size: Number(toSign.size) } : null,
          approvals: approvals.map((a) => ({
            position: a.position,
            kind: a.signer_id ? ('sign' as const) : ('check' as const),
            who: a.signerName ?? a.department ?? '',
            decision: a.decision,
            decidedBy: a.decidedBy,
            decidedAt: a.decided_at?.toISOString() ?? null,
            comment: a.comment,
          })),
          signedAt: doc.signed_at?.toISOString() ?? null,
          number: doc.number === null ? null : formatRegisterNumber(doc.number),
          notation: doc.notation,
          issueDate: doc.issue_date,
          issuedAt: doc.issued_at?.toISOString() ?? null,
          sameDay: sameDay(doc),
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
        await readableOutgoing(ctx.db, agencyId, outgoingId, actorIn(request.caller, agencyId));
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
