import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { agencyParams } from '../directory/schemas.js';
import type { OfficeContext } from '../http/context.js';
import { AppError, errorBodySchema } from '../http/errors.js';
import { decodeCursor, pageOf, pageQuery, toPage } from '../http/paging.js';
import { timelineOf } from '../journal/journal.js';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };
const readers = { access: { roles: ['clerk', 'department_leader', 'agency_leader'] as const } };

const statusSchema = z.object({ status: z.string(), description: z.string().nullable(), at: z.string() });
const recipientSchema = z.object({
  code: z.string(),
  name: z.string(),
  latest: statusSchema.nullable().describe('The last status this recipient sent back; null: none yet'),
});
const sentSchema = z.object({
  documentId: z.string(),
  number: z.string(),
  notation: z.string(),
  subject: z.string(),
  sentAt: z.string(),
  hubState: z.enum(['queued', 'sent', 'refused']).describe('queued: not yet accepted by the hub; refused: see the detail'),
  recipients: z.array(recipientSchema),
});

interface Summary {
  number?: string;
  notation?: string;
  subject?: string;
}

/** Latest status of each recipient of some documents of one agency, by document. */
async function latestStatuses(ctx: OfficeContext, agencyId: string, documentIds: string[]) {
  if (documentIds.length === 0) return new Map<string, Map<string, { name: string; status: z.infer<typeof statusSchema> }>>();
  const rows = await ctx.db
    .selectFrom('sent_statuses')
    .select(['document_id', 'recipient_code', 'recipient_name', 'status', 'description', 'status_at'])
    .distinctOn(['document_id', 'recipient_code'])
    .where('agency_id', '=', agencyId)
    .where('document_id', 'in', documentIds)
    .orderBy('document_id')
    .orderBy('recipient_code')
    .orderBy('status_at', 'desc')
    .orderBy('received_at', 'desc')
    // Timestamps have whole seconds: within one, the later step of the workflow has the higher code.
    .orderBy('status', 'desc')
    .execute();
  const byDocument = new Map<string, Map<string, { name: string; status: z.infer<typeof statusSchema> }>>();
  for (const r of rows) {
    const recipients = byDocument.get(r.document_id) ?? new Map();
    recipients.set(r.recipient_code, {
      name: r.recipient_name,
      status: { status: r.status, description: r.description, at: r.status_at.toISOString() },
    });
    byDocument.set(r.document_id, recipients);
  }
  return byDocument;
}

/** Tracking of what an agency sent through the hub: where each document is at each recipient. */
export function trackingRoutes(ctx: OfficeContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/agencies/:agencyId/sent',
      {
        config: readers,
        schema: {
          tags: ['tracking'],
          summary: 'Documents the agency sent through the hub, newest first, with each recipient’s latest status',
          params: agencyParams,
          querystring: pageQuery,
          response: { 200: pageOf(sentSchema), ...errors },
        },
      },
      async (request) => {
        const { agencyId } = request.params;
        const agency = await ctx.db.selectFrom('agencies').select('code').where('id', '=', agencyId).executeTakeFirstOrThrow();
        const after = decodeCursor(request.query.cursor, 2);
        let query = ctx.db
          .selectFrom('hub_outbox')
          .select(['id', 'document_id', 'to_codes', 'state', sql<string>`created_at::text`.as('created'), 'created_at'])
          .where('kind', '=', 'document')
          .where('from_code', '=', agency.code);
        if (after) query = query.where(sql<boolean>`(created_at, id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`);
        const rows = await query
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(request.query.limit + 1)
          .execute();
        const page = toPage(rows, request.query.limit, (r) => [r.created, r.id]);
        const ids = page.items.map((r) => r.document_id);
        const summaries = new Map<string, Summary>();
        if (ids.length > 0) {
          const sends = await ctx.db
            .selectFrom('office_journal')
            .select([sql<string>`body ->> 'subject'`.as('document_id'), sql<Summary>`body -> 'details'`.as('details')])
            .where(sql<string>`body ->> 'subject'`, 'in', ids)
            .where('chain', '=', agencyId)
            .where(sql<string>`body ->> 'action'`, '=', 'send')
            .execute();
          for (const s of sends) summaries.set(s.document_id, s.details);
        }
        const statuses = await latestStatuses(ctx, agencyId, ids);
        return {
          items: page.items.map((r) => {
            const summary = summaries.get(r.document_id) ?? {};
            const answered = statuses.get(r.document_id);
            return {
              documentId: r.document_id,
              number: summary.number ?? '',
              notation: summary.notation ?? '',
              subject: summary.subject ?? '',
              sentAt: r.created_at.toISOString(),
              hubState: r.state,
              recipients: r.to_codes.map((code) => {
                const got = answered?.get(code);
                return { code, name: got?.name ?? code, latest: got?.status ?? null };
              }),
            };
          }),
          nextCursor: page.nextCursor,
        };
      },
    );

    app.get(
      '/agencies/:agencyId/sent/:documentId',
      {
        config: readers,
        schema: {
          tags: ['tracking'],
          summary: 'One sent document: every status from every recipient, and its timeline from the agency’s journal',
          params: agencyParams.extend({ documentId: z.string().min(1).max(200) }),
          response: {
            200: z.object({
              documentId: z.string(),
              hubState: z.enum(['queued', 'sent', 'refused']),
              refusal: z.unknown().nullable(),
              statuses: z.array(statusSchema.extend({ recipientCode: z.string(), recipientName: z.string() })),
              timeline: z.array(
                z.object({
                  seq: z.number().int(),
                  at: z.string(),
                  action: z.string(),
                  actor: z.object({ id: z.uuid(), name: z.string() }).nullable(),
                  details: z.record(z.string(), z.unknown()),
                }),
              ),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const { agencyId, documentId } = request.params;
        const agency = await ctx.db.selectFrom('agencies').select('code').where('id', '=', agencyId).executeTakeFirstOrThrow();
        const sent = await ctx.db
          .selectFrom('hub_outbox')
          .select(['state', 'refusal'])
          .where('kind', '=', 'document')
          .where('from_code', '=', agency.code)
          .where('document_id', '=', documentId)
          .orderBy('created_at', 'desc')
          .executeTakeFirst();
        if (!sent) throw new AppError('not_found');
        const statuses = await ctx.db
          .selectFrom('sent_statuses')
          .select(['recipient_code', 'recipient_name', 'status', 'description', 'status_at'])
          .where('agency_id', '=', agencyId)
          .where('document_id', '=', documentId)
          .orderBy('status_at')
          .orderBy('received_at')
          .orderBy('status')
          .execute();
        const timeline = await timelineOf(ctx.db, agencyId, { kind: 'sent', id: documentId });
        return {
          documentId,
          hubState: sent.state,
          refusal: sent.refusal ?? null,
          statuses: statuses.map((s) => ({
            recipientCode: s.recipient_code,
            recipientName: s.recipient_name,
            status: s.status,
            description: s.description,
            at: s.status_at.toISOString(),
          })),
          timeline: timeline.map((e) => ({ seq: e.seq, at: e.at.toISOString(), action: e.action, actor: e.actor, details: e.details })),
        };
      },
    );
  };
}
