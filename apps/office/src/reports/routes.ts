import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { vietnamDay } from '../calendar/working-days.js';
import { agencyParams } from '../directory/schemas.js';
import { requireCaller } from '../http/context.js';
import type { OfficeContext } from '../http/context.js';
import { AppError } from '../http/errors.js';
import { actorIn, errors, members } from '../http/members.js';
import { mayReadAgencyReport, mayReadProvinceReport } from './access.js';
import { resolvePeriod, type PeriodRequest } from './period.js';
import { agencyReportPdf, provinceReportPdf } from './pdf.js';
import { agencyReport, personalReport, provinceReport } from './report.js';
import { agencyReportXlsx, provinceReportXlsx } from './xlsx.js';

const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const periodQuery = z.object({
  kind: z.enum(['month', 'quarter', 'year', 'range']).default('month').describe('Default: the current month in Vietnam'),
  year: z.coerce.number().int().min(2000).max(2100).optional().describe('Default: the current year'),
  month: z.coerce.number().int().min(1).max(12).optional().describe('With kind month; default: the current month'),
  quarter: z.coerce.number().int().min(1).max(4).optional().describe('With kind quarter; default: the current quarter'),
  from: DATE.optional().describe('With kind range: the first day (Vietnam date)'),
  to: DATE.optional().describe('With kind range: the last day, included'),
});
const fileQuery = periodQuery.extend({ format: z.enum(['xlsx', 'pdf']) });

/** The period asked for, defaults filled from today in Vietnam; a period that cannot be is refused. */
function periodRequestOf(q: z.infer<typeof periodQuery>, now: Date): PeriodRequest {
  const [year, month] = vietnamDay(now).split('-').map(Number) as [number, number];
  const request: PeriodRequest =
    q.kind === 'month'
      ? { kind: 'month', year: q.year ?? year, month: q.month ?? month }
      : q.kind === 'quarter'
        ? { kind: 'quarter', year: q.year ?? year, quarter: q.quarter ?? Math.ceil(month / 3) }
        : q.kind === 'year'
          ? { kind: 'year', year: q.year ?? year }
          : { kind: 'range', from: q.from ?? '', to: q.to ?? '' };
  try {
    resolvePeriod(request);
  } catch {
    throw new AppError('invalid_period');
  }
  return request;
}

const count = z.number().int();
const figuresSchema = z.object({
  received: count.describe('Received in the period, refused and withdrawn ones excluded'),
  receivedHub: count,
  receivedInternal: count,
  receivedPaper: count,
  receivedNational: count.describe('Through the hub from an agency outside this installation’s directory (national axis)'),
  receivedProvince: count.describe('From an agency of this installation: delivered inside, or through the hub'),
  receivedSigned: count.describe('Arrived with a valid digital signature (checked when taken in)'),
  refused: count,
  withdrawn: count,
  onTime: count.describe('Of those received in the period: completed on or before the due date (or without one)'),
  late: count.describe('Completed after the due date (Vietnam dates)'),
  overdue: count.describe('Being handled, past the due date, now'),
  completed: count,
  handlingDays: z.number().describe('Days from receipt to completion, summed over the completed ones'),
  averageHandlingDays: z.number().nullable().describe('Average days from receipt to completion'),
  issued: count.describe('Issued in the period (every one digitally signed)'),
  sentProvince: count.describe('Issued with a recipient in this installation (delivered inside)'),
  sentNational: count.describe('Issued with a recipient outside it (through the hub, the national axis)'),
  sameDayCompliant: count.describe('Signed in the period and issued the same day or the next working morning'),
  sameDayLate: count.describe('Signed in the period and issued later, or not issued past that morning'),
  sameDayPending: count.describe('Signed, not issued, still within time'),
  sameDayPercent: z.number().nullable(),
});
const rowSchema = figuresSchema.extend({ id: z.string(), name: z.string() });
const periodRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('month'), year: z.number().int(), month: z.number().int() }),
  z.object({ kind: z.literal('quarter'), year: z.number().int(), quarter: z.number().int() }),
  z.object({ kind: z.literal('year'), year: z.number().int() }),
  z.object({ kind: z.literal('range'), from: DATE, to: DATE }),
]);
const periodSchema = z.object({
  request: periodRequestSchema.describe('The period as asked for, its defaults filled in'),
  from: z.string(),
  to: z.string(),
  labelVi: z.string(),
  labelEn: z.string(),
  bucket: z.enum(['day', 'month']),
});
const seriesSchema = z.array(figuresSchema.extend({ bucket: z.string() }));
const agencyReportSchema = z
  .object({
    agency: z.object({ id: z.uuid(), code: z.string(), name: z.string() }),
    period: periodSchema,
    generatedAt: z.string(),
    totals: figuresSchema,
    previous: figuresSchema.describe('The period before, of the same kind'),
    byDepartment: z.array(rowSchema).describe('Incoming: by the lead handler’s department; outgoing: by the drafting unit'),
    byPerson: z.array(rowSchema).describe('Incoming: lead handler; issued: drafter; same-day issue: signer'),
    series: seriesSchema,
  })
  .describe('AgencyReport');
const provinceReportSchema = z
  .object({
    period: periodSchema,
    generatedAt: z.string(),
    totals: figuresSchema,
    previous: figuresSchema,
    byLevel: z.array(rowSchema.extend({ agencies: count })),
    byAgency: z.array(rowSchema.extend({ code: z.string(), level: z.string() })),
    series: seriesSchema,
  })
  .describe('ProvinceReport');

const TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const;

function sendFile(reply: FastifyReply, format: 'xlsx' | 'pdf', name: string, bytes: Buffer) {
  // Vietnamese in filename*, a plain ASCII fallback for clients that do not read it.
  const clean = name.replace(/[\\/:*?"<>|]/g, '-');
  return reply
    .header('content-type', TYPES[format])
    .header('content-disposition', `attachment; filename="bao-cao.${format}"; filename*=UTF-8''${encodeURIComponent(`${clean}.${format}`)}`)
    .header('x-content-type-options', 'nosniff')
    .send(bytes);
}

/** The agency's and the province's reports, as figures for the dashboard and as XLSX and PDF files. */
export function reportRoutes(ctx: OfficeContext): FastifyPluginAsyncZod {
  return async (app) => {
    const agencyAllowed = (caller: Parameters<typeof actorIn>[0], agencyId: string) => {
      if (!mayReadAgencyReport(actorIn(caller, agencyId).roles)) throw new AppError('forbidden');
    };
    const provinceAllowed = async (caller: Parameters<typeof requireCaller>[0]) => {
      if (!(await mayReadProvinceReport(ctx.db, requireCaller(caller)))) throw new AppError('forbidden');
    };
    const installationName = async () => {
      const tops = await ctx.db.selectFrom('agencies').select('name').where('parent_id', 'is', null).orderBy('name').execute();
      return tops.map((t) => t.name).join(', ');
    };

    app.get(
      '/reports/access',
      {
        schema: {
          tags: ['reports'],
          summary: 'Which reports the caller may read besides their agencies’',
          response: { 200: z.object({ province: z.boolean() }), ...errors },
        },
      },
      async (request) => ({ province: await mayReadProvinceReport(ctx.db, requireCaller(request.caller)) }),
    );

    app.get(
      '/agencies/:agencyId/reports',
      {
        config: members,
        schema: {
          tags: ['reports'],
          summary: 'The agency’s report for a period: its leaders, department leaders and clerks',
          params: agencyParams,
          querystring: periodQuery,
          response: { 200: agencyReportSchema, ...errors },
        },
      },
      async (request) => {
        const { agencyId } = request.params;
        agencyAllowed(request.caller, agencyId);
        const now = new Date();
        return agencyReport(ctx.db, agencyId, periodRequestOf(request.query, now), now);
      },
    );

    app.get(
      '/agencies/:agencyId/reports/mine',
      {
        config: members,
        schema: {
          tags: ['reports'],
          summary: 'The caller’s own work in the agency: led, drafted and signed; any member, officers included',
          params: agencyParams,
          querystring: periodQuery,
          response: {
            200: z
              .object({
                person: z.object({ id: z.uuid(), name: z.string() }),
                period: periodSchema,
                generatedAt: z.string(),
                figures: figuresSchema,
                previous: figuresSchema,
              })
              .describe('PersonalReport'),
            ...errors,
          },
        },
      },
      async (request) => {
        const { agencyId } = request.params;
        const now = new Date();
        return personalReport(ctx.db, agencyId, requireCaller(request.caller).userId, periodRequestOf(request.query, now), now);
      },
    );

    app.get(
      '/agencies/:agencyId/reports/file',
      {
        config: members,
        schema: {
          tags: ['reports'],
          summary: 'The agency’s report as an XLSX workbook or a PDF',
          params: agencyParams,
          querystring: fileQuery,
          response: errors,
        },
      },
      async (request, reply) => {
        const { agencyId } = request.params;
        agencyAllowed(request.caller, agencyId);
        const now = new Date();
        const report = await agencyReport(ctx.db, agencyId, periodRequestOf(request.query, now), now);
        const format = request.query.format;
        const bytes = format === 'xlsx' ? await agencyReportXlsx(report) : await agencyReportPdf(report);
        return sendFile(reply, format, `Báo cáo văn bản - ${report.agency.name} - ${report.period.labelVi.replaceAll('/', '-')}`, bytes);
      },
    );

    app.get(
      '/reports/province',
      {
        schema: {
          tags: ['reports'],
          summary: 'The whole installation’s report: administrators and leaders of the top agency',
          querystring: periodQuery,
          response: { 200: provinceReportSchema, ...errors },
        },
      },
      async (request) => {
        await provinceAllowed(request.caller);
        const now = new Date();
        return provinceReport(ctx.db, periodRequestOf(request.query, now), now);
      },
    );

    app.get(
      '/reports/province/file',
      {
        schema: {
          tags: ['reports'],
          summary: 'The installation’s report as an XLSX workbook or a PDF',
          querystring: fileQuery,
          response: errors,
        },
      },
      async (request, reply) => {
        await provinceAllowed(request.caller);
        const now = new Date();
        const report = await provinceReport(ctx.db, periodRequestOf(request.query, now), now);
        const name = await installationName();
        const format = request.query.format;
        const bytes = format === 'xlsx' ? await provinceReportXlsx(report, name) : await provinceReportPdf(report, name);
        return sendFile(reply, format, `Báo cáo văn bản toàn tỉnh - ${report.period.labelVi.replaceAll('/', '-')}`, bytes);
      },
    );
  };
}
