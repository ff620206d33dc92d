import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql, type Selectable } from 'kysely';
import { z } from 'zod';
import { URGENCIES } from '@vanban/edxml';
import { agencyParams } from '../directory/schemas.js';
import type { OfficeContext } from '../http/context.js';
import { actorIn, errors, listView, members } from '../http/members.js';
import { sendStoredFile } from '../http/stored-file.js';
import { AppError } from '../http/errors.js';
import { decodeCursor, pageOf, pageQuery, toPage } from '../http/paging.js';
import { timelineOf } from '../journal/journal.js';
import { formatRegisterNumber } from '../registers/numbering.js';
import type { IncomingDocumentTable } from '../schema.js';
import { standingOn } from './reading.js';
import { availableActions, INCOMING_ACTIONS, INCOMING_STATES } from './workflow.js';

export const documentParams = agencyParams.extend({ incomingId: z.uuid() });
const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
// "Today" and "overdue" as people in Vietnam count days, whatever the server's time zone.
const TODAY = sql<string>`(now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date`;
// A document being handled without a due date is not overdue (false, not SQL's unknown).
const OVERDUE = sql<boolean>`(state IN ('assigned', 'in_progress') AND due_date IS NOT NULL AND due_date < ${TODAY})`;

const reasonSchema = z.object({ code: z.string(), vi: z.string(), en: z.string(), detail: z.string().optional() });
const verdictSchema = z.enum(['valid', 'invalid', 'indeterminate']);
const personSchema = z.object({ id: z.uuid(), name: z.string() });

const incomingSchema = z.object({
  id: z.uuid(),
  state: z.enum(INCOMING_STATES),
  channel: z.enum(['hub', 'internal', 'paper']),
  senderCode: z.string().nullable(),
  senderName: z.string(),
  number: z.string(),
  notation: z.string(),
  issueDate: z.string().nullable(),
  documentType: z.string(),
  subject: z.string(),
  urgency: z.enum(URGENCIES),
  replyDue: z.string().nullable().describe('The date by which the sender expects an answer'),
  verdict: verdictSchema.nullable().describe('The signature check made when the document arrived'),
  receivedAt: z.string(),
  registerNumber: z.string().nullable().describe('The number in the incoming register, e.g. "07"'),
  registerYear: z.number().int().nullable(),
  dueDate: z.string().nullable().describe('The handling due date set by the leader'),
  overdue: z.boolean().describe('Being handled and past its due date'),
  senderRequest: z
    .enum(['recall', 'amend', 'replace'])
    .nullable()
    .describe('The sender asks for it back or sent a new version, and no answer has gone yet'),
});

const assignmentSchema = z.object({
  part: z.enum(['lead', 'co', 'info']),
  userId: z.uuid().nullable(),
  departmentId: z.uuid().nullable(),
  name: z.string(),
  input: z.string().nullable(),
  inputAt: z.string().nullable(),
});

const detailSchema = incomingSchema.extend({
  documentId: z.string().nullable(),
  signerName: z.string().nullable(),
  verification: z.object({ verdict: verdictSchema, reasons: z.array(reasonSchema) }).nullable(),
  files: z.array(
    z.object({
      position: z.number(),
      name: z.string(),
      contentType: z.string(),
      sha256: z.string(),
      size: z.number(),
      addedBy: z.string().nullable().describe('Null: it came with the document'),
    }),
  ),
  refusalReason: z.string().nullable(),
  possibleDuplicateOf: z.uuid().nullable(),
  submittedTo: personSchema.nullable(),
  returnReason: z.string().nullable(),
  direction: z.string().nullable(),
  directedBy: personSchema.nullable(),
  directedAt: z.string().nullable(),
  assignments: z.array(assignmentSchema),
  result: z.string().nullable(),
  completedAt: z.string().nullable(),
  replyDocumentId: z.string().nullable(),
  replies: z
    .array(
      z.object({ id: z.uuid(), state: z.string(), number: z.string().nullable(), notation: z.string().nullable(), subject: z.string() }),
    )
    .describe('Outgoing documents of this agency drafted as answers to this one'),
  forwardedFrom: z.uuid().nullable(),
  senderRequestReason: z.string().nullable(),
  senderRequestVersion: z.uuid().nullable().describe('The amended or replacing version, itself an incoming document here'),
  actions: z.array(z.enum(INCOMING_ACTIONS)).describe('What the caller may do with it now'),
});

const timelineSchema = z.object({
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
});

const COLUMNS = [
  'id',
  'state',
  'channel',
  'sender_code',
  'sender_name',
  'number',
  'notation',
  'issue_date',
  'document_type',
  'subject',
  'urgency',
  'reply_due',
  'verdict',
  'received_at',
  'register_number',
  'register_year',
  'due_date',
  'sender_request',
  'sender_request_answer',
] as const;

type Row = Pick<Selectable<IncomingDocumentTable>, (typeof COLUMNS)[number]> & { overdue: boolean };

function toItem(r: Row): z.infer<typeof incomingSchema> {
  return {
    id: r.id,
    state: r.state,
    channel: r.channel,
    senderCode: r.sender_code,
    senderName: r.sender_name,
    number: r.number,
    notation: r.notation,
    issueDate: r.issue_date,
    documentType: r.document_type,
    subject: r.subject,
    urgency: r.urgency,
    replyDue: r.reply_due,
    verdict: r.verdict,
    receivedAt: r.received_at.toISOString(),
    registerNumber: r.register_number === null ? null : formatRegisterNumber(r.register_number),
    registerYear: r.register_year,
    dueDate: r.due_date,
    overdue: r.overdue,
    senderRequest: r.sender_request_answer === null ? r.sender_request : null,
  };
}

export function incomingRoutes(ctx: OfficeContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/agencies/:agencyId/incoming',
      {
        config: members,
        schema: {
          tags: ['incoming'],
          summary: 'Incoming documents, newest first: the whole agency’s, those submitted to me, or those I have a part in',
          params: agencyParams,
          querystring: pageQuery.extend({
            view: z
              .enum(['all', 'to_direct', 'mine'])
              .optional()
              .describe(
                'all (clerks and leaders; the default for them), to_direct (submitted to me), mine (I or my department have a part; the default for others)',
              ),
            part: z.enum(['lead', 'co', 'info']).optional().describe('With view=mine: only this part'),
            state: z
              .enum(INCOMING_STATES)
              .optional()
              .describe('awaiting: the clerk’s "Chờ tiếp nhận" list; withdrawn ones show only when asked for'),
            channel: z.enum(['hub', 'internal', 'paper']).optional(),
            registerId: z.uuid().optional(),
            sender: z.string().trim().min(1).max(100).optional().describe('Part of the sending agency’s name, or its code'),
            urgency: z.enum(URGENCIES).optional(),
            overdue: z.enum(['true', 'false']).optional().describe('true: being handled past the due date'),
            receivedFrom: DATE.optional().describe('Received on or after this day (Vietnam time)'),
            receivedTo: DATE.optional().describe('Received on or before this day (Vietnam time)'),
          }),
          response: { 200: pageOf(incomingSchema), ...errors },
        },
      },
      async (request) => {
        const { agencyId } = request.params;
        const q = request.query;
        const actor = actorIn(request.caller, agencyId);
        const view = listView(actor, q.view);
        const after = decodeCursor(q.cursor, 2);
        let query = ctx.db
          .selectFrom('incoming_documents')
          // The cursor keeps the timestamp to the microsecond: rows of one millisecond must not be skipped.
          .select([...COLUMNS, OVERDUE.as('overdue'), sql<string>`received_at::text`.as('received')])
          .where('agency_id', '=', agencyId);
        if (view === 'to_direct') query = query.where('submitted_to', '=', actor.userId).where('state', '=', 'submitted');
        if (view === 'mine') {
          query = query.where((eb) =>
            eb.exists(
              eb
                .selectFrom('incoming_assignments as p')
                .select('p.part')
                .whereRef('p.incoming_id', '=', 'incoming_documents.id')
                .where((inner) => {
                  const mine = [inner('p.user_id', '=', actor.userId)];
                  if (actor.departmentId) mine.push(inner('p.department_id', '=', actor.departmentId));
                  return inner.or(mine);
                })
                .$if(q.part !== undefined, (s) => s.where('p.part', '=', q.part!)),
            ),
          );
        }
        query = q.state ? query.where('state', '=', q.state) : query.where('state', '!=', 'withdrawn');
        if (q.channel) query = query.where('channel', '=', q.channel);
        if (q.registerId) query = query.where('register_id', '=', q.registerId);
        if (q.urgency) query = query.where('urgency', '=', q.urgency);
        if (q.overdue === 'true') query = query.where(OVERDUE);
        if (q.overdue === 'false') query = query.where(sql<boolean>`NOT ${OVERDUE}`);
        if (q.sender) {
          const like = `%${q.sender.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
          query = query.where((eb) => eb.or([eb('sender_name', 'ilike', like), eb('sender_code', '=', q.sender!)]));
        }
        if (q.receivedFrom)
          query = query.where(sql<boolean>`(received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date >= ${q.receivedFrom}::date`);
        if (q.receivedTo) query = query.where(sql<boolean>`(received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date <= ${q.receivedTo}::date`);
        if (after) {
          const [at, id] = after as [string, string];
          query = query.where(sql<boolean>`(received_at, id) < (${at}::timestamptz, ${id}::uuid)`);
        }
        const rows = await query
          .orderBy('received_at', 'desc')
          .orderBy('id', 'desc')
          .limit(q.limit + 1)
          .execute();
        const page = toPage(rows, q.limit, (r) => [r.received, r.id]);
        return { items: page.items.map(toItem), nextCursor: page.nextCursor };
      },
    );

    app.get(
      '/agencies/:agencyId/incoming/:incomingId',
      {
        config: members,
        schema: {
          tags: ['incoming'],
          summary: 'One incoming document: what it says, its signature verdict, files, direction, assignments and what I may do',
          params: documentParams,
          response: { 200: detailSchema, ...errors },
        },
      },
      async (request) => {
        const { agencyId, incomingId } = request.params;
        const actor = actorIn(request.caller, agencyId);
        const { relation } = await standingOn(ctx.db, agencyId, incomingId, actor);
        const row = await ctx.db
          .selectFrom('incoming_documents as d')
          .leftJoin('users as s', 's.id', 'd.submitted_to')
          .leftJoin('users as l', 'l.id', 'd.directed_by')
          .select([
            ...COLUMNS.map((c) => `d.${c}` as const),
            sql<boolean>`(d.state IN ('assigned', 'in_progress') AND d.due_date IS NOT NULL AND d.due_date < ${TODAY})`.as('overdue'),
            'd.document_id',
            'd.signer_name',
            'd.verification',
            'd.refusal_reason',
            'd.possible_duplicate_of',
            'd.submitted_to',
            's.full_name as submitted_to_name',
            'd.return_reason',
            'd.direction',
            'd.directed_by',
            'l.full_name as directed_by_name',
            'd.directed_at',
            'd.result',
            'd.completed_at',
            'd.reply_document_id',
            'd.forwarded_from',
            'd.sender_request_reason',
            'd.sender_request_version',
          ])
          .where('d.id', '=', incomingId)
          .executeTakeFirstOrThrow();
        const files = await ctx.db
          .selectFrom('incoming_files')
          .select(['position', 'name', 'content_type', 'sha256', 'size', 'added_by'])
          .where('incoming_id', '=', incomingId)
          .orderBy('position')
          .execute();
        const parts = await ctx.db
          .selectFrom('incoming_assignments as p')
          .leftJoin('users as u', 'u.id', 'p.user_id')
          .leftJoin('departments as dep', 'dep.id', 'p.department_id')
          .select(['p.part', 'p.user_id', 'p.department_id', 'u.full_name', 'dep.name as department_name', 'p.input', 'p.input_at'])
          .where('p.incoming_id', '=', incomingId)
          .orderBy(sql`array_position(ARRAY['lead','co','info'], p.part)`)
          .execute();
        const pending = row.sender_request !== null && row.sender_request_answer === null;
        const replies = await ctx.db
          .selectFrom('outgoing_documents')
          .select(['id', 'state', 'number', 'notation', 'subject'])
          .where('in_reply_to', '=', incomingId)
          .where('agency_id', '=', agencyId)
          .where('state', '!=', 'cancelled')
          .orderBy('created_at')
          .execute();
        return {
          ...toItem(row),
          documentId: row.document_id,
          signerName: row.signer_name,
          verification: (row.verification as z.infer<typeof detailSchema>['verification']) ?? null,
          files: files.map((f) => ({
            position: f.position,
            name: f.name,
            contentType: f.content_type,
            sha256: f.sha256,
            size: Number(f.size),
            addedBy: f.added_by,
          })),
          refusalReason: row.refusal_reason,
          possibleDuplicateOf: row.possible_duplicate_of,
          submittedTo: row.submitted_to ? { id: row.submitted_to, name: row.submitted_to_name ?? '' } : null,
          returnReason: row.return_reason,
          direction: row.direction,
          directedBy: row.directed_by ? { id: row.directed_by, name: row.directed_by_name ?? '' } : null,
          directedAt: row.directed_at?.toISOString() ?? null,
          assignments: parts.map((p) => ({
            part: p.part,
            userId: p.user_id,
            departmentId: p.department_id,
            name: p.full_name ?? p.department_name ?? '',
            input: p.input,
            inputAt: p.input_at?.toISOString() ?? null,
          })),
          result: row.result,
          completedAt: row.completed_at?.toISOString() ?? null,
          replyDocumentId: row.reply_document_id,
          replies: replies.map((r) => ({ ...r, number: r.number === null ? null : formatRegisterNumber(r.number) })),
          forwardedFrom: row.forwarded_from,
          senderRequestReason: row.sender_request_reason,
          senderRequestVersion: row.sender_request_version,
          actions: availableActions(row.state, actor.roles, relation, pending),
        };
      },
    );

    app.get(
      '/agencies/:agencyId/incoming/:incomingId/timeline',
      {
        config: members,
        schema: {
          tags: ['incoming'],
          summary: 'Everything that happened to the document here, oldest first, read from the agency’s journal',
          params: documentParams,
          response: { 200: timelineSchema, ...errors },
        },
      },
      async (request) => {
        const { agencyId, incomingId } = request.params;
        await standingOn(ctx.db, agencyId, incomingId, actorIn(request.caller, agencyId));
        const entries = await timelineOf(ctx.db, agencyId, { kind: 'incoming', id: incomingId });
        return { items: entries.map((e) => ({ ...e, at: e.at.toISOString() })) };
      },
    );

    app.get(
      '/agencies/:agencyId/incoming/:incomingId/files/:position',
      {
        config: members,
        schema: {
          tags: ['incoming'],
          summary: 'One file of the document, as stored (for the PDF viewer and downloads)',
          params: documentParams.extend({ position: z.coerce.number().int().min(1) }),
          querystring: z.object({ download: z.enum(['1']).optional() }),
        },
      },
      async (request, reply) => {
        const { agencyId, incomingId, position } = request.params;
        await standingOn(ctx.db, agencyId, incomingId, actorIn(request.caller, agencyId));
        const file = await ctx.db
          .selectFrom('incoming_files')
          .select(['name', 'content_type', 'sha256', 'size'])
          .where('incoming_id', '=', incomingId)
          .where('position', '=', position)
          .executeTakeFirst();
        if (!file) throw new AppError('not_found');
        return sendStoredFile(reply, ctx.files, file, request.query.download === '1');
      },
    );
  };
}
