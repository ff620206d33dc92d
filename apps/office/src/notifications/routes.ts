import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { requireCaller, type OfficeContext } from '../http/context.js';
import { AppError, errorBodySchema } from '../http/errors.js';
import { decodeCursor, pageOf, pageQuery, toPage } from '../http/paging.js';

// Every route here is for any logged-in user (no `config.access`) and reads or changes only the caller's own rows.
const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema };

const notificationSchema = z.object({
  id: z.uuid(),
  kind: z.string().describe('What it is about, for programs and icons: due_soon, overdue, assigned…'),
  text: z.object({ vi: z.string(), en: z.string() }),
  incomingId: z.uuid().nullable().describe('The incoming document it is about, if any'),
  outgoingId: z.uuid().nullable().describe('The outgoing document it is about, if any'),
  dossierId: z.uuid().nullable().describe('The dossier it is about, if any'),
  agencyId: z.uuid().describe('The agency it happened in (a person may work in several)'),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});

export function notificationRoutes(ctx: OfficeContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/notifications',
      {
        schema: {
          tags: ['notifications'],
          summary: 'The caller’s notifications, newest first',
          querystring: pageQuery.extend({
            unread: z.enum(['true', 'false']).optional().describe('true: only those not read yet'),
          }),
          response: { 200: pageOf(notificationSchema), ...errors },
        },
      },
      async (request) => {
        const caller = requireCaller(request.caller);
        const { cursor, limit, unread } = request.query;
        const after = decodeCursor(cursor, 2);
        let query = ctx.db
          .selectFrom('notifications')
          // The exact time as text for the cursor: a JavaScript Date would drop the microseconds and skip rows.
          .select([
            'id',
            'kind',
            'text_vi',
            'text_en',
            'incoming_id',
            'outgoing_id',
            'dossier_id',
            'agency_id',
            'created_at',
            'read_at',
            sql<string>`to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('at'),
          ])
          .where('user_id', '=', caller.userId);
        if (unread === 'true') query = query.where('read_at', 'is', null);
        if (after) {
          const [at, id] = after as [string, string];
          query = query.where(sql<boolean>`(created_at, id) < (${at}::timestamptz, ${id}::uuid)`);
        }
        const rows = await query
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(limit + 1)
          .execute();
        const page = toPage(rows, limit, (r) => [r.at, r.id]);
        return {
          items: page.items.map((r) => ({
            id: r.id,
            kind: r.kind,
            text: { vi: r.text_vi, en: r.text_en },
            incomingId: r.incoming_id,
            outgoingId: r.outgoing_id,
            dossierId: r.dossier_id,
            agencyId: r.agency_id,
            createdAt: r.created_at.toISOString(),
            readAt: r.read_at?.toISOString() ?? null,
          })),
          nextCursor: page.nextCursor,
        };
      },
    );

    app.get(
      '/notifications/unread-count',
      {
        schema: {
          tags: ['notifications'],
          summary: 'How many of the caller’s notifications are not read yet (the number on the bell)',
          response: { 200: z.object({ count: z.number().int() }), ...errors },
        },
      },
      async (request) => {
        const caller = requireCaller(request.caller);
        const row = await ctx.db
          .selectFrom('notifications')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where('user_id', '=', caller.userId)
          .where('read_at', 'is', null)
          .executeTakeFirstOrThrow();
        return { count: Number(row.count) };
      },
    );

    app.post(
      '/notifications/:notificationId/read',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Mark one of the caller’s notifications read (again: no change)',
          params: z.object({ notificationId: z.uuid() }),
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        const caller = requireCaller(request.caller);
        // Another person's notification is "not found", the same as one that does not exist.
        const row = await ctx.db
          .updateTable('notifications')
          .set({ read_at: sql<Date>`COALESCE(read_at, now())` })
          .where('id', '=', request.params.notificationId)
          .where('user_id', '=', caller.userId)
          .returning('id')
          .executeTakeFirst();
        if (!row) throw new AppError('not_found');
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/notifications/read-all',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Mark every unread notification of the caller read',
          response: { 200: z.object({ marked: z.number().int() }), ...errors },
        },
      },
      async (request) => {
        const caller = requireCaller(request.caller);
        const result = await ctx.db
          .updateTable('notifications')
          .set({ read_at: sql<Date>`now()` })
          .where('user_id', '=', caller.userId)
          .where('read_at', 'is', null)
          .executeTakeFirst();
        return { marked: Number(result.numUpdatedRows) };
      },
    );
  };
}
