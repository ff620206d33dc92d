import type { Kysely } from 'kysely';
import { nextDay } from '../calendar/working-days.js';
import type { OfficeSchema } from '../schema.js';
import {
  incomingCounts,
  issuedCounts,
  sameDayCounts,
  type Grouping,
  type IncomingCounts,
  type IssuedCounts,
  type SameDayCounts,
  type Scope,
} from './figures.js';
import { provinceCounts } from './rollup.js';
import { bucketOf, periodLabel, previousPeriod, resolvePeriod, type PeriodRequest } from './period.js';
import { compliancePercent } from './rules.js';

export type Counts = IncomingCounts & IssuedCounts & SameDayCounts;

/** A report's figures: the counts, and what follows from them. */
export type Figures = Counts & {
  /** Days from receipt to completion, on average over the documents completed; null when none was. */
  averageHandlingDays: number | null;
  /** Issued on the signing day or the next working morning, in percent of those judged; null when none was. */
  sameDayPercent: number | null;
};

export type Row = Figures & { readonly id: string; readonly name: string };
export type SeriesPoint = Figures & { readonly bucket: string };

export interface ReportPeriod {
  readonly request: PeriodRequest;
  readonly from: string;
  readonly to: string;
  readonly labelVi: string;
  readonly labelEn: string;
  readonly bucket: 'day' | 'month';
}

export interface AgencyReport {
  readonly agency: { readonly id: string; readonly code: string; readonly name: string };
  readonly period: ReportPeriod;
  readonly generatedAt: string;
  readonly totals: Figures;
  readonly previous: Figures;
  readonly byDepartment: Row[];
  readonly byPerson: Row[];
  readonly series: SeriesPoint[];
}

export interface ProvinceReport {
  readonly period: ReportPeriod;
  readonly generatedAt: string;
  readonly totals: Figures;
  readonly previous: Figures;
  readonly byLevel: (Row & { readonly agencies: number })[];
  readonly byAgency: (Row & { readonly code: string; readonly level: string })[];
  readonly series: SeriesPoint[];
}

const ZERO: Counts = {
  received: 0,
  receivedHub: 0,
  receivedInternal: 0,
  receivedPaper: 0,
  receivedNational: 0,
  receivedProvince: 0,
  receivedSigned: 0,
  refused: 0,
  withdrawn: 0,
  onTime: 0,
  late: 0,
  overdue: 0,
  completed: 0,
  handlingDays: 0,
  issued: 0,
  sentProvince: 0,
  sentNational: 0,
  sameDayCompliant: 0,
  sameDayLate: 0,
  sameDayPending: 0,
};
const COUNT_KEYS = Object.keys(ZERO) as (keyof Counts)[];

function add(a: Counts, b: Partial<Counts>): Counts {
  const sum = { ...a };
  for (const k of COUNT_KEYS) sum[k] = a[k] + (b[k] ?? 0);
  return sum;
}

export function figuresOf(c: Counts): Figures {
  return {
    ...c,
    averageHandlingDays: c.completed === 0 ? null : Math.round((c.handlingDays / c.completed) * 10) / 10,
    sameDayPercent: compliancePercent(c.sameDayCompliant, c.sameDayLate),
  };
}

/** The three counts of a scope, grouped alike, merged by group key. */
async function countsBy(db: Kysely<OfficeSchema>, scope: Scope, grouping: Grouping): Promise<Map<string | null, Counts>> {
  const parts = await Promise.all([
    incomingCounts(db, scope, grouping),
    issuedCounts(db, scope, grouping),
    sameDayCounts(db, scope, grouping),
  ]);
  const merged = new Map<string | null, Counts>();
  for (const rows of parts) {
    for (const { key, ...counts } of rows) merged.set(key, add(merged.get(key) ?? ZERO, counts));
  }
  return merged;
}

function reportPeriod(request: PeriodRequest) {
  const period = resolvePeriod(request);
  return {
    period,
    view: {
      request,
      from: period.from,
      to: period.to,
      labelVi: periodLabel(request, 'vi'),
      labelEn: periodLabel(request, 'en'),
      bucket: bucketOf(period),
    } satisfies ReportPeriod,
  };
}

/** Every bucket of the period, with zeros where nothing happened, so that charts show the gaps. */
function seriesOf(byBucket: Map<string | null, Counts>, view: ReportPeriod): SeriesPoint[] {
  const points: SeriesPoint[] = [];
  for (let day = view.from; day <= view.to; day = nextDay(day)) {
    const bucket = view.bucket === 'day' ? day : `${day.slice(0, 7)}-01`;
    if (points.at(-1)?.bucket === bucket) continue;
    points.push({ bucket, ...figuresOf(byBucket.get(bucket) ?? ZERO) });
  }
  return points;
}

async function totalsOf(db: Kysely<OfficeSchema>, scope: Scope): Promise<Figures> {
  return figuresOf((await countsBy(db, scope, 'none')).get(null) ?? ZERO);
}

export interface PersonalReport {
  readonly person: { readonly id: string; readonly name: string };
  readonly period: ReportPeriod;
  readonly generatedAt: string;
  readonly figures: Figures;
  readonly previous: Figures;
}

/**
 * One person's own work in an agency: documents they led (received in the period), drafted (issued
 * in it) and signed; what an officer, who does not see the whole agency, may read of the report.
 */
export async function personalReport(
  db: Kysely<OfficeSchema>,
  agencyId: string,
  userId: string,
  request: PeriodRequest,
  now: Date = new Date(),
): Promise<PersonalReport> {
  const person = await db.selectFrom('users').select(['id', 'full_name as name']).where('id', '=', userId).executeTakeFirstOrThrow();
  const { period, view } = reportPeriod(request);
  const scope: Scope = { agencyId, period, now, bucket: view.bucket };
  const [current, before] = await Promise.all([
    countsBy(db, scope, 'person'),
    countsBy(db, { ...scope, period: resolvePeriod(previousPeriod(request)) }, 'person'),
  ]);
  return {
    person,
    period: view,
    generatedAt: now.toISOString(),
    figures: figuresOf(current.get(userId) ?? ZERO),
    previous: figuresOf(before.get(userId) ?? ZERO),
  };
}

/**
 * One agency's report for a period: its totals (and the previous period's), by department (of the
 * lead handler, of the drafting unit), by person (lead handler, drafter, signer), and over time.
 */
export async function agencyReport(
  db: Kysely<OfficeSchema>,
  agencyId: string,
  request: PeriodRequest,
  now: Date = new Date(),
): Promise<AgencyReport> {
  const agency = await db.selectFrom('agencies').select(['id', 'code', 'name']).where('id', '=', agencyId).executeTakeFirstOrThrow();
  const { period, view } = reportPeriod(request);
  const scope: Scope = { agencyId, period, now, bucket: view.bucket };
  const previousScope: Scope = { ...scope, period: resolvePeriod(previousPeriod(request)) };
  const [totals, previous, byDepartment, byPerson, byBucket] = await Promise.all([
    totalsOf(db, scope),
    totalsOf(db, previousScope),
    countsBy(db, scope, 'department'),
    countsBy(db, scope, 'person'),
    countsBy(db, scope, 'bucket'),
  ]);
  const departments = await db.selectFrom('departments').select(['id', 'name']).where('agency_id', '=', agencyId).orderBy('name').execute();
  const personIds = [...byPerson.keys()].filter((k): k is string => k !== null);
  const people = personIds.length
    ? await db.selectFrom('users').select(['id', 'full_name']).where('id', 'in', personIds).orderBy('full_name').execute()
    : [];
  return {
    agency,
    period: view,
    generatedAt: now.toISOString(),
    totals,
    previous,
    byDepartment: departments.map((d) => ({ id: d.id, name: d.name, ...figuresOf(byDepartment.get(d.id) ?? ZERO) })),
    byPerson: people.map((p) => ({ id: p.id, name: p.full_name, ...figuresOf(byPerson.get(p.id) ?? ZERO) })),
    series: seriesOf(byBucket, view),
  };
}

/** The province's counts of a scope split by their keys (see provinceCounts). */
async function provinceCountsBy(db: Kysely<OfficeSchema>, scope: Scope) {
  const byAgency = new Map<string | null, Counts>();
  const byBucket = new Map<string | null, Counts>();
  let total = ZERO;
  for (const { key, ...part } of await provinceCounts(db, scope)) {
    if (key === 't') total = add(total, part);
    else if (key?.startsWith('a:')) byAgency.set(key.slice(2), add(byAgency.get(key.slice(2)) ?? ZERO, part));
    else if (key?.startsWith('b:')) byBucket.set(key.slice(2), add(byBucket.get(key.slice(2)) ?? ZERO, part));
  }
  return { byAgency, byBucket, total };
}

/**
 * The whole installation's report: by agency, by level (levels are configuration), in total and
 * over time; read from the daily rollup (rollup.ts), brought up to date first.
 */
export async function provinceReport(db: Kysely<OfficeSchema>, request: PeriodRequest, now: Date = new Date()): Promise<ProvinceReport> {
  const { period, view } = reportPeriod(request);
  const scope: Scope = { agencyId: null, period, now, bucket: view.bucket };
  const previousScope: Scope = { ...scope, period: resolvePeriod(previousPeriod(request)) };
  // The previous period's refresh would find nothing left to count: one at a time, not racing.
  const current = await provinceCountsBy(db, scope);
  const [before, agencies, levels] = await Promise.all([
    provinceCountsBy(db, previousScope),
    db.selectFrom('agencies').select(['id', 'code', 'name', 'level']).orderBy('path').execute(),
    db.selectFrom('agency_levels').select(['code', 'name_vi', 'name_en']).orderBy('rank').execute(),
  ]);
  const byAgencyCounts = current.byAgency;
  const byBucket = current.byBucket;
  const previous = figuresOf(before.total);
  let totals = ZERO;
  const levelCounts = new Map<string, { counts: Counts; agencies: number }>();
  const byAgency = agencies.map((a) => {
    const counts = byAgencyCounts.get(a.id) ?? ZERO;
    totals = add(totals, counts);
    const level = levelCounts.get(a.level) ?? { counts: ZERO, agencies: 0 };
    levelCounts.set(a.level, { counts: add(level.counts, counts), agencies: level.agencies + 1 });
    return { id: a.id, code: a.code, name: a.name, level: a.level, ...figuresOf(counts) };
  });
  const byLevel = levels.flatMap((l) => {
    const level = levelCounts.get(l.code);
    return level ? [{ id: l.code, name: l.name_vi, agencies: level.agencies, ...figuresOf(level.counts) }] : [];
  });
  return {
    period: view,
    generatedAt: now.toISOString(),
    totals: figuresOf(totals),
    previous,
    byLevel,
    byAgency,
    series: seriesOf(byBucket, view),
  };
}
