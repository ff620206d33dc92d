import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql, type Selectable } from 'kysely';
import { z } from 'zod';
import { URGENCIES } from '@vanban/edxml';
import { agencyParams } from '../directory/schemas.js';
import { requireCaller, type Caller, type OfficeContext } from '../http/context.js';
import { AppError, errorBodySchema } from '../http/errors.js';
import { decodeCursor, pageOf, pageQuery, toPage } from '../http/paging.js';
import { refuseIncoming, registerIncoming, type Actor } from './registration.js';
import type { IncomingDocumentTable } from '../schema.js';
import { INCOMING_STATES } from './workflow.js';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
// Who sees an agency's incoming documents as a whole; officers will see theirs through assignments.
const readers = { access: { roles: ['clerk', 'department_leader', 'agency_leader'] as const } };
const clerks = { access: { roles: ['clerk'] as const } };
const documentParams = agencyParams.extend({ incomingId: z.uuid() });
const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const reasonSchema = z.object({ code: z.string(), vi: z.string(), en: z.string(), detail: z.string().optional() });
const verdictSchema = z.enum(['valid', 'invalid', 'indeterminate']);

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
});

const detailSchema = incomingSchema.extend({
  documentId: z.string().nullable(),
  signerName: z.string().nullable(),
  verification: z.object({ verdict: verdictSchema, reasons: z.array(reasonSchema) }).nullable(),
  files: z.array(z.object({ position: z.number(), name: z.string(), contentType: z.string(), sha256: z.string(), size: z.number() })),
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
] as const;

function toItem(r: Pick<Selectable<IncomingDocumentTable>, (typeof COLUMNS)[number]>): z.infer<typeof incomingSchema> {
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
  };
}

export function incomingRoutes(ctx: OfficeContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/agencies/:agencyId/incoming',
      {
        config: readers,
        schema: {
          tags: ['incoming'],
          summary: 'An agency’s incoming documents, newest first, by state and other filters',
          params: agencyParams,
          querystring: pageQuery.extend({
            state: z.enum(INCOMING_STATES).optional().describe('awaiting: the clerk’s "Chờ tiếp nhận" list'),
            channel: z.enum(['hub', 'internal', 'paper']).optional(),
            sender: z.string().trim().min(1).max(100).optional().describe('Part of the sending agency’s name, or its code'),
            urgency: z.enum(URGENCIES).optional(),
            receivedFrom: DATE.optional().describe('Received on or after this day (Vietnam time)'),
            receivedTo: DATE.optional().describe('Received on or before this day (Vietnam time)'),
          }),
          response: { 200: pageOf(incomingSchema), ...errors },
        },
      },
      async (request) => {
        const { agencyId } = request.params;
        const { state, channel, sender, urgency, receivedFrom, receivedTo, cursor, limit } = request.query;
        const after = decodeCursor(cursor, 2);
        let query = ctx.db.selectFrom('incoming_documents').select(COLUMNS).where('agency_id', '=', agencyId);
        if (state) query = query.where('state', '=', state);
        if (channel) query = query.where('channel', '=', channel);
        if (urgency) query = query.where('urgency', '=', urgency);
        if (sender) {
          const like = `%${sender.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
          query = query.where((eb) => eb.or([eb('sender_name', 'ilike', like), eb('sender_code', '=', sender)]));
        }
        // Days as people in Vietnam count them, whatever the server's time zone.
        if (receivedFrom) query = query.where(sql<boolean>`(received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date >= ${receivedFrom}::date`);
        if (receivedTo) query = query.where(sql<boolean>`(received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date <= ${receivedTo}::date`);
        if (after) {
          const [at, id] = after as [string, string];
          query = query.where(sql<boolean>`(received_at, id) < (${at}::timestamptz, ${id}::uuid)`);
        }
        const rows = await query
          .orderBy('received_at', 'desc')
          .orderBy('id', 'desc')
          .limit(limit + 1)
          .execute();
        const page = toPage(rows, limit, (r) => [r.received_at.toISOString(), r.id]);
        return { items: page.items.map(toItem), nextCursor: page.nextCursor };
      },
    );

    app.get(
      '/agencies/:agencyId/incoming/:incomingId',
      {
        config: readers,
        schema: {
          tags: ['incoming'],
          summary: 'One incoming document: what it says, how its signatures were judged, and its files',
          params: documentParams,
          response: { 200: detailSchema, ...errors },
        },
      },
      async (request) => {
        const { agencyId, incomingId } = request.params;
        const row = await ctx.db
          .selectFrom('incoming_documents')
          .select([...COLUMNS, 'document_id', 'signer_name', 'verification'])
          .where('agency_id', '=', agencyId)
          .where('id', '=', incomingId)
          .executeTakeFirst();
        if (!row) throw new AppError('not_found');
        const files = await ctx.db
          .selectFrom('incoming_files')
          .select(['position', 'name', 'content_type', 'sha256', 'size'])
          .where('incoming_id', '=', incomingId)
          .orderBy('position')
          .execute();
        return {
          ...toItem(row),
          documentId: row.document_id,
          signerName: row.signer_name,
          verification: (row.verification as z.infer<typeof detailSchema>['verification']) ?? null,
          files: files.map((f) => ({ position: f.position, name: f.name, contentType: f.content_type, sha256: f.sha256, size: f.size })),
        };
      },
    );

    app.post(
      '/agencies/:agencyId/incoming/:incomingId/register',
      {
        config: clerks,
        schema: {
          tags: ['incoming'],
          summary: 'Register (tiếp nhận) a document awaiting: the next number of an incoming register; status 03 goes to the sender',
          params: documentParams,
          body: z.object({ registerId: z.uuid() }),
          response: {
            200: z.object({
              registerNumber: z.string(),
              registerYear: z.number().int(),
              possibleDuplicateOf: z
                .uuid()
                .nullable()
                .describe('A document already registered with the same sender, number, notation and date'),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const { agencyId, incomingId } = request.params;
        return registerIncoming(ctx.db, ctx.files, {
          agencyId,
          incomingId,
          registerId: request.body.registerId,
          actor: actorIn(request.caller, agencyId),
        });
      },
    );

    app.post(
      '/agencies/:agencyId/incoming/:incomingId/refuse',
      {
        config: clerks,
        schema: {
          tags: ['incoming'],
          summary: 'Refuse a document awaiting, saying why; status 02 with the reason goes to the sender',
          params: documentParams,
          body: z.object({ reason: z.string().max(2000) }),
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        const { agencyId, incomingId } = request.params;
        await refuseIncoming(ctx.db, ctx.files, {
          agencyId,
          incomingId,
          reason: request.body.reason,
          actor: actorIn(request.caller, agencyId),
        });
        return reply.status(204).send(null);
      },
    );
  };
}

/** The caller's roles in the agency the route names. */
function actorIn(caller: Caller | null, agencyId: string): Actor {
  const c = requireCaller(caller);
  return { userId: c.userId, roles: c.memberships.find((m) => m.agencyId === agencyId)?.roles ?? [] };
}
