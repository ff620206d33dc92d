import { nextDay, vietnamDay, type IsoDate } from '../calendar/working-days.js';

/** What a report covers, as the caller asks for it: a month, a quarter, a year, or days from–to (Vietnam dates). */
export type PeriodRequest =
  | { readonly kind: 'month'; readonly year: number; readonly month: number }
  | { readonly kind: 'quarter'; readonly year: number; readonly quarter: number }
  | { readonly kind: 'year'; readonly year: number }
  | { readonly kind: 'range'; readonly from: IsoDate; readonly to: IsoDate };

/**
 * A report's period: Vietnam calendar days `from` to `to`, both included, and the instants that
 * bound them (midnight in Vietnam, UTC+7), so that a document received at 23:30 on the last day
 * counts and one received at 00:10 the day after does not, whatever the server's time zone.
 */
export interface Period {
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly start: Date;
  /** Midnight after `to`: the period is [start, end). */
  readonly end: Date;
  /** Days in the period: the charts count by day up to two months, by month beyond. */
  readonly days: number;
}

const DAY_MS = 86_400_000;
/** The longest period a range may ask for: five years of daily figures is already more than a report shows. */
export const MAX_PERIOD_DAYS = 5 * 366;

function iso(year: number, month: number, day: number): IsoDate {
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
}

function lastDayOfMonth(year: number, month: number): IsoDate {
  return iso(year, month + 1, 0);
}

export function vietnamMidnight(day: IsoDate): Date {
  return new Date(`${day}T00:00:00+07:00`);
}

export function periodOf(from: IsoDate, to: IsoDate): Period {
  const start = vietnamMidnight(from);
  const end = vietnamMidnight(nextDay(to));
  const days = Math.round((end.getTime() - start.getTime()) / DAY_MS);
  if (Number.isNaN(days) || days < 1) throw new RangeError(`the period ends before it starts: ${from} to ${to}`);
  if (days > MAX_PERIOD_DAYS) throw new RangeError(`the period is longer than ${MAX_PERIOD_DAYS} days`);
  return { from, to, start, end, days };
}

export function resolvePeriod(request: PeriodRequest): Period {
  switch (request.kind) {
    case 'month':
      return periodOf(iso(request.year, request.month, 1), lastDayOfMonth(request.year, request.month));
    case 'quarter': {
      const first = (request.quarter - 1) * 3 + 1;
      return periodOf(iso(request.year, first, 1), lastDayOfMonth(request.year, first + 2));
    }
    case 'year':
      return periodOf(iso(request.year, 1, 1), iso(request.year, 12, 31));
    case 'range':
      return periodOf(request.from, request.to);
  }
}

/** The current month in Vietnam: what a report shows when nothing is asked. */
export function currentMonth(now: Date): PeriodRequest {
  const [year, month] = vietnamDay(now).split('-').map(Number) as [number, number];
  return { kind: 'month', year, month };
}

/** The period just before, of the same kind (the month before, the quarter before…), or as many days before a range. */
export function previousPeriod(request: PeriodRequest): PeriodRequest {
  switch (request.kind) {
    case 'month':
      return request.month === 1 ? { kind: 'month', year: request.year - 1, month: 12 } : { ...request, month: request.month - 1 };
    case 'quarter':
      return request.quarter === 1 ? { kind: 'quarter', year: request.year - 1, quarter: 4 } : { ...request, quarter: request.quarter - 1 };
    case 'year':
      return { kind: 'year', year: request.year - 1 };
    case 'range': {
      const p = resolvePeriod(request);
      const to = vietnamDay(new Date(p.start.getTime() - DAY_MS));
      return { kind: 'range', from: vietnamDay(new Date(p.start.getTime() - p.days * DAY_MS)), to };
    }
  }
}

/** How the period is written in a title: "Tháng 11/2026", "Quý 4/2026", "Năm 2026", "01/11/2026 – 15/11/2026". */
export function periodLabel(request: PeriodRequest, lang: 'vi' | 'en'): string {
  const d = (day: IsoDate) => day.split('-').reverse().join('/');
  switch (request.kind) {
    case 'month':
      return `${lang === 'vi' ? 'Tháng' : 'Month'} ${request.month}/${request.year}`;
    case 'quarter':
      return `${lang === 'vi' ? 'Quý' : 'Quarter'} ${request.quarter}/${request.year}`;
    case 'year':
      return `${lang === 'vi' ? 'Năm' : 'Year'} ${request.year}`;
    case 'range':
      return `${d(request.from)} – ${d(request.to)}`;
  }
}

/** Charts count by day over two months or less, by month over longer periods. */
export function bucketOf(period: Period): 'day' | 'month' {
  return period.days <= 62 ? 'day' : 'month';
}
