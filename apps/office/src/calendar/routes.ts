import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { OfficeContext } from '../http/context.js';
import { requireCaller } from '../http/context.js';
import { requireInstallationAdministrator } from '../http/installation-admin.js';
import { AppError, errorBodySchema } from '../http/errors.js';
import { loadCalendar } from './store.js';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };
const isoDate = z.iso.date().describe('yyyy-mm-dd');
const daySchema = z
  .object({ day: isoDate, working: z.boolean(), nameVi: z.string(), nameEn: z.string(), source: z.enum(['statutory', 'administrator']) })
  .describe('CalendarDay');

export function calendarRoutes(ctx: OfficeContext): FastifyPluginAsyncZod {
  const { db } = ctx;

  /** The calendar serves the whole installation: only administrators of a top agency change it. */
  return async (app) => {
    app.get(
      '/calendar',
      {
        schema: {
          tags: ['calendar'],
          summary: 'Holidays and worked weekend days of one year (the exceptions to Monday–Friday)',
          querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100) }),
          response: { 200: z.object({ items: z.array(daySchema) }), ...errors },
        },
      },
      async (request) => {
        const { year } = request.query;
        const items = await db
          .selectFrom('calendar_days')
          .select(['day', 'working', 'name_vi as nameVi', 'name_en as nameEn', 'source'])
          .where(sql<boolean>`day BETWEEN ${`${year}-01-01`}::date AND ${`${year}-12-31`}::date`)
          .orderBy('day')
          .execute();
        return { items };
      },
    );

    app.get(
      '/calendar/working-days',
      {
        schema: {
          tags: ['calendar'],
          summary: 'The date a number of working days after a start date (how due dates are counted)',
          querystring: z.object({ from: isoDate, days: z.coerce.number().int().min(0).max(365) }),
          response: { 200: z.object({ from: isoDate, days: z.number().int(), due: isoDate }), ...errors },
        },
      },
      async (request) => {
        const { from, days } = request.query;
        const end = new Date(`${from}T00:00:00Z`);
        end.setUTCDate(end.getUTCDate() + days * 2 + 60);
        const calendar = await loadCalendar(db, from, end.toISOString().slice(0, 10));
        return { from, days, due: calendar.addWorkingDays(from, days) };
      },
    );

    app.put(
      '/calendar/days/:day',
      {
        config: { access: { roles: ['administrator'] } },
        schema: {
          tags: ['calendar'],
          summary: 'Record a holiday or a worked weekend day (administrators of a top agency)',
          params: z.object({ day: isoDate }),
          body: z.object({ working: z.boolean(), nameVi: z.string().trim().min(1).max(200), nameEn: z.string().trim().min(1).max(200) }),
          response: { 200: daySchema, ...errors },
        },
      },
      async (request) => {
        await requireInstallationAdministrator(db, requireCaller(request.caller));
        const { day } = request.params;
        const row = {
          day,
          working: request.body.working,
          name_vi: request.body.nameVi,
          name_en: request.body.nameEn,
          source: 'administrator' as const,
        };
        return db
          .insertInto('calendar_days')
          .values(row)
          .onConflict((oc) => oc.column('day').doUpdateSet({ ...row, updated_at: new Date() }))
          .returning(['day', 'working', 'name_vi as nameVi', 'name_en as nameEn', 'source'])
          .executeTakeFirstOrThrow();
      },
    );

    app.delete(
      '/calendar/days/:day',
      {
        config: { access: { roles: ['administrator'] } },
        schema: {
          tags: ['calendar'],
          summary: 'Make a day ordinary again (administrators of a top agency)',
          params: z.object({ day: isoDate }),
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        await requireInstallationAdministrator(db, requireCaller(request.caller));
        const { numDeletedRows } = await db.deleteFrom('calendar_days').where('day', '=', request.params.day).executeTakeFirst();
        if (numDeletedRows === 0n) throw new AppError('not_found');
        return reply.status(204).send(null);
      },
    );
  };
}
