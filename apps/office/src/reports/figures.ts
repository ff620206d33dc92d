import { sql, type Kysely, type RawBuilder } from 'kysely';
import { loadCalendar } from '../calendar/store.js';
import { nextDay, type IsoDate } from '../calendar/working-days.js';
import { issueDeadlines } from '../outgoing/same-day.js';
import type { OfficeSchema } from '../schema.js';
import type { Period } from './period.js';

/**
 * The report's counts, in SQL: one pass over a period's documents per question, counted with
 * FILTER clauses, grouped as the report needs. The definitions are those of rules.ts.
 */

/** Counts about documents received in the period (by received_at). */
export interface IncomingCounts {
  received: number;
  receivedHub: number;
  receivedInternal: number;
  receivedPaper: number;
  /** Through the hub from an agency not in this installation's directory. */
  receivedNational: number;
  /** From an agency of this installation: delivered inside, or through the hub. */
  receivedProvince: number;
  /**
   * Came with a valid digital signature, as checked when taken in. Every hub arrival gets a verdict,
   * unsigned ones too ('invalid', or 'indeterminate' when nothing could be checked): only 'valid' counts.
   */
  receivedSigned: number;
  refused: number;
  withdrawn: number;
  onTime: number;
  late: number;
  overdue: number;
  completed: number;
  /** Days from receipt to completion, summed over the completed ones (the average is this over `completed`). */
  handlingDays: number;
}

/** Counts about documents issued in the period (by issued_at): every issued document is digitally signed. */
export interface IssuedCounts {
  issued: number;
  /** Issued with at least one recipient in this installation's directory (delivered inside). */
  sentProvince: number;
  /** Issued with at least one recipient outside it (through the hub, the national axis). */
  sentNational: number;
}

/** Issue on the signing day, for documents signed in the period (by signed_at). */
export interface SameDayCounts {
  sameDayCompliant: number;
  sameDayLate: number;
  sameDayPending: number;
}

export type Grouping = 'none' | 'department' | 'person' | 'bucket';

export interface Scope {
  /** One agency, or the whole installation. */
  readonly agencyId: string | null;
  readonly period: Period;
  readonly now: Date;
  /** Series are counted by day or by month. */
  readonly bucket: 'day' | 'month';
}

export type Keyed<T> = T & { key: string | null };

export const TZ = sql.lit('Asia/Ho_Chi_Minh');
export const vietnamDate = (column: RawBuilder<unknown>) => sql`(${column} AT TIME ZONE ${TZ})::date`;
export const vietnamToday = (now: Date) => sql`(${now}::timestamptz AT TIME ZONE ${TZ})::date`;

export function bucketKey(column: RawBuilder<unknown>, bucket: 'day' | 'month') {
  return sql<string>`to_char(date_trunc(${sql.lit(bucket)}, ${column}), 'YYYY-MM-DD')`;
}

function agencyFilter(column: RawBuilder<unknown>, agencyId: string | null) {
  return agencyId === null ? sql`true` : sql`${column} = ${agencyId}::uuid`;
}

/**
 * The counts of received documents that do not change with time, over `incoming_documents d` left
 * joined to `agencies s` (the sender, for hub arrivals): what the daily rollup keeps, in this order.
 */
export const RECEIVED_COUNTS = sql`
  count(*) FILTER (WHERE d.state NOT IN ('refused', 'withdrawn'))::int AS "received",
  count(*) FILTER (WHERE d.state NOT IN ('refused', 'withdrawn') AND d.channel = 'hub')::int AS "receivedHub",
  count(*) FILTER (WHERE d.state NOT IN ('refused', 'withdrawn') AND d.channel = 'internal')::int AS "receivedInternal",
  count(*) FILTER (WHERE d.state NOT IN ('refused', 'withdrawn') AND d.channel = 'paper')::int AS "receivedPaper",
  count(*) FILTER (WHERE d.state NOT IN ('refused', 'withdrawn') AND d.channel = 'hub' AND s.id IS NULL)::int AS "receivedNational",
  count(*) FILTER (
    WHERE d.state NOT IN ('refused', 'withdrawn') AND (d.channel = 'internal' OR (d.channel = 'hub' AND s.id IS NOT NULL))
  )::int AS "receivedProvince",
  count(*) FILTER (WHERE d.state NOT IN ('refused', 'withdrawn') AND d.verdict = 'valid')::int AS "receivedSigned",
  count(*) FILTER (WHERE d.state = 'refused')::int AS "refused",
  count(*) FILTER (WHERE d.state = 'withdrawn')::int AS "withdrawn",
  count(*) FILTER (WHERE d.state = 'completed' AND (d.due_date IS NULL OR ${vietnamDate(sql`d.completed_at`)} <= d.due_date))::int AS "onTime",
  count(*) FILTER (WHERE d.state = 'completed' AND ${vietnamDate(sql`d.completed_at`)} > d.due_date)::int AS "late",
  count(*) FILTER (WHERE d.state = 'completed')::int AS "completed",
  COALESCE(sum(extract(epoch FROM d.completed_at - d.received_at) / 86400) FILTER (WHERE d.state = 'completed'), 0)::float8 AS "handlingDays"`;
/** The rollup's columns for RECEIVED_COUNTS, in the same order. */
export const RECEIVED_COLUMNS = [
  'received',
  'received_hub',
  'received_internal',
  'received_paper',
  'received_national',
  'received_province',
  'received_signed',
  'refused',
  'withdrawn',
  'on_time',
  'late',
  'completed',
  'handling_days',
] as const;

/** Being handled past the due date on `now`'s Vietnam day: live, it changes every midnight. */
export const overdueCount = (now: Date) =>
  sql`count(*) FILTER (WHERE d.state IN ('assigned', 'in_progress') AND d.due_date < ${vietnamToday(now)})::int AS "overdue"`;

/** Over issued `outgoing_documents o`: in total, with a recipient in this installation, with one outside. */
export const ISSUED_COUNTS = sql`
  count(*)::int AS "issued",
  count(*) FILTER (WHERE EXISTS (
    SELECT 1 FROM outgoing_recipients r JOIN agencies a ON a.code = r.agency_code WHERE r.outgoing_id = o.id
  ))::int AS "sentProvince",
  count(*) FILTER (WHERE EXISTS (
    SELECT 1 FROM outgoing_recipients r WHERE r.outgoing_id = o.id
      AND NOT EXISTS (SELECT 1 FROM agencies a WHERE a.code = r.agency_code)
  ))::int AS "sentNational"`;
export const ISSUED_COLUMNS = ['issued', 'sent_province', 'sent_national'] as const;

/**
 * Over signed `outgoing_documents o` joined to their signing day's deadline `dl (day, deadline)`:
 * issued ones are judged once and for all; unissued ones by `now`, so live.
 */
const issuedOnTime = sql`(${vietnamDate(sql`o.issued_at`)} = dl.day OR o.issued_at <= dl.deadline)`;
export const SAME_DAY_ISSUED_COUNTS = sql`
  count(*) FILTER (WHERE o.issued_at IS NOT NULL AND ${issuedOnTime})::int AS "sameDayCompliant",
  count(*) FILTER (WHERE o.issued_at IS NOT NULL AND NOT ${issuedOnTime})::int AS "sameDayLate"`;
export const SAME_DAY_ISSUED_COLUMNS = ['same_day_compliant', 'same_day_late'] as const;
export const sameDayUnissuedCounts = (now: Date) => sql`
  count(*) FILTER (WHERE o.issued_at IS NULL AND ${now}::timestamptz > dl.deadline)::int AS "sameDayLate",
  count(*) FILTER (WHERE o.issued_at IS NULL AND ${now}::timestamptz <= dl.deadline)::int AS "sameDayPending"`;

/**
 * The deadline of issue for each signing day from `from` to `to` (end of the next working morning),
 * from the working calendar, as a relation `dl (day, deadline)`: the rule of outgoing/same-day.ts, per day.
 */
export async function issueDeadlinesRelation(db: Kysely<OfficeSchema>, from: IsoDate, to: IsoDate) {
  // The last signing day's next working morning may lie weeks later (Tết): the calendar covers it.
  const beyond = new Date(new Date(`${to}T00:00:00Z`).getTime() + 40 * 86_400_000).toISOString().slice(0, 10);
  const calendar = await loadCalendar(db, from, beyond);
  const days: IsoDate[] = [];
  const deadlines: string[] = [];
  for (let day = from; day <= to; day = nextDay(day)) {
    days.push(day);
    deadlines.push(issueDeadlines(new Date(`${day}T12:00:00+07:00`), calendar).endOfNextMorning.toISOString());
  }
  return sql`unnest(${days}::date[], ${deadlines}::timestamptz[]) AS dl (day, deadline)`;
}

export async function incomingCounts(db: Kysely<OfficeSchema>, scope: Scope, grouping: Grouping): Promise<Keyed<IncomingCounts>[]> {
  const key = {
    none: sql`null::text`,
    // A lead given to a person counts for the department that person belongs to in the agency.
    department: sql`COALESCE(l.department_id, m.department_id)::text`,
    person: sql`l.user_id::text`,
    bucket: bucketKey(sql`d.received_at AT TIME ZONE ${TZ}`, scope.bucket),
  }[grouping];
  const lead =
    grouping === 'department' || grouping === 'person'
      ? sql`JOIN incoming_assignments l ON l.incoming_id = d.id AND l.part = 'lead'
            LEFT JOIN memberships m ON m.user_id = l.user_id AND m.agency_id = d.agency_id`
      : sql``;
  const personOnly = grouping === 'person' ? sql`AND l.user_id IS NOT NULL` : sql``;
  const result = await sql<Keyed<IncomingCounts>>`
    SELECT ${key} AS key, ${RECEIVED_COUNTS}, ${overdueCount(scope.now)}
    FROM incoming_documents d
    LEFT JOIN agencies s ON d.channel = 'hub' AND s.code = d.sender_code
    ${lead}
    WHERE ${agencyFilter(sql`d.agency_id`, scope.agencyId)}
      AND d.received_at >= ${scope.period.start} AND d.received_at < ${scope.period.end} ${personOnly}
    GROUP BY 1`.execute(db);
  return result.rows;
}

export async function issuedCounts(db: Kysely<OfficeSchema>, scope: Scope, grouping: Grouping): Promise<Keyed<IssuedCounts>[]> {
  const key = {
    none: sql`null::text`,
    department: sql`o.department_id::text`,
    person: sql`o.drafter_id::text`,
    bucket: bucketKey(sql`o.issued_at AT TIME ZONE ${TZ}`, scope.bucket),
  }[grouping];
  const result = await sql<Keyed<IssuedCounts>>`
    SELECT ${key} AS key, ${ISSUED_COUNTS}
    FROM outgoing_documents o
    WHERE ${agencyFilter(sql`o.agency_id`, scope.agencyId)}
      AND o.issued_at >= ${scope.period.start} AND o.issued_at < ${scope.period.end}
    GROUP BY 1`.execute(db);
  return result.rows;
}

export async function sameDayCounts(db: Kysely<OfficeSchema>, scope: Scope, grouping: Grouping): Promise<Keyed<SameDayCounts>[]> {
  const key = {
    none: sql`null::text`,
    department: sql`o.department_id::text`,
    person: sql`o.signed_by::text`,
    bucket: bucketKey(sql`o.signed_at AT TIME ZONE ${TZ}`, scope.bucket),
  }[grouping];
  const deadlines = await issueDeadlinesRelation(db, scope.period.from, scope.period.to);
  const issued = await sql<Keyed<SameDayCounts>>`
    SELECT ${key} AS key, ${SAME_DAY_ISSUED_COUNTS}, 0 AS "sameDayPending"
    FROM outgoing_documents o JOIN ${deadlines} ON dl.day = ${vietnamDate(sql`o.signed_at`)}
    WHERE ${agencyFilter(sql`o.agency_id`, scope.agencyId)}
      AND o.signed_at IS NOT NULL AND o.state <> 'cancelled' AND o.issued_at IS NOT NULL
      AND o.signed_at >= ${scope.period.start} AND o.signed_at < ${scope.period.end}
    GROUP BY 1`.execute(db);
  return [...issued.rows, ...(await unissuedCounts(db, scope, key, deadlines))];
}

/** Signed, not issued: late past the next working morning, pending before it; read live. */
export async function unissuedCounts(
  db: Kysely<OfficeSchema>,
  scope: Scope,
  key: RawBuilder<unknown>,
  deadlines: RawBuilder<unknown>,
  groupBy: RawBuilder<unknown> = sql`1`,
): Promise<Keyed<SameDayCounts>[]> {
  const result = await sql<Keyed<SameDayCounts>>`
    SELECT ${key} AS key, 0 AS "sameDayCompliant", ${sameDayUnissuedCounts(scope.now)}
    FROM outgoing_documents o JOIN ${deadlines} ON dl.day = ${vietnamDate(sql`o.signed_at`)}
    WHERE ${agencyFilter(sql`o.agency_id`, scope.agencyId)}
      AND o.signed_at IS NOT NULL AND o.state <> 'cancelled' AND o.issued_at IS NULL
      AND o.signed_at >= ${scope.period.start} AND o.signed_at < ${scope.period.end}
    GROUP BY ${groupBy}`.execute(db);
  return result.rows;
}

/** Overdue now, live, for the documents received in the scope's period. */
export async function overdueCounts(
  db: Kysely<OfficeSchema>,
  scope: Scope,
  key: RawBuilder<unknown>,
  groupBy: RawBuilder<unknown> = sql`1`,
): Promise<Keyed<{ overdue: number }>[]> {
  const result = await sql<Keyed<{ overdue: number }>>`
    SELECT ${key} AS key, ${overdueCount(scope.now)}
    FROM incoming_documents d
    WHERE ${agencyFilter(sql`d.agency_id`, scope.agencyId)} AND d.state IN ('assigned', 'in_progress')
      AND d.received_at >= ${scope.period.start} AND d.received_at < ${scope.period.end}
    GROUP BY ${groupBy}`.execute(db);
  return result.rows;
}
