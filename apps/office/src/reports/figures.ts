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

export type Grouping = 'none' | 'agency' | 'department' | 'person' | 'bucket';

export interface Scope {
  /** One agency, or the whole installation. */
  readonly agencyId: string | null;
  readonly period: Period;
  readonly now: Date;
  /** Series are counted by day or by month. */
  readonly bucket: 'day' | 'month';
}

type Keyed<T> = T & { key: string | null };

const TZ = sql.lit('Asia/Ho_Chi_Minh');
const vietnamDate = (column: RawBuilder<unknown>) => sql`(${column} AT TIME ZONE ${TZ})::date`;

function bucketKey(column: RawBuilder<unknown>, bucket: 'day' | 'month') {
  return sql<string>`to_char(date_trunc(${sql.lit(bucket)}, ${column} AT TIME ZONE ${TZ}), 'YYYY-MM-DD')`;
}

function agencyFilter(column: RawBuilder<unknown>, agencyId: string | null) {
  return agencyId === null ? sql`true` : sql`${column} = ${agencyId}::uuid`;
}

export async function incomingCounts(db: Kysely<OfficeSchema>, scope: Scope, grouping: Grouping): Promise<Keyed<IncomingCounts>[]> {
  const today = sql`(${scope.now}::timestamptz AT TIME ZONE ${TZ})::date`;
  const completedOn = vietnamDate(sql`d.completed_at`);
  const key = {
    none: sql`null::text`,
    agency: sql`d.agency_id::text`,
    // A lead given to a person counts for the department that person belongs to in the agency.
    department: sql`COALESCE(l.department_id, m.department_id)::text`,
    person: sql`l.user_id::text`,
    bucket: bucketKey(sql`d.received_at`, scope.bucket),
  }[grouping];
  const lead =
    grouping === 'department' || grouping === 'person'
      ? sql`JOIN incoming_assignments l ON l.incoming_id = d.id AND l.part = 'lead'
            LEFT JOIN memberships m ON m.user_id = l.user_id AND m.agency_id = d.agency_id`
      : sql``;
  const personOnly = grouping === 'person' ? sql`AND l.user_id IS NOT NULL` : sql``;
  const result = await sql<Keyed<IncomingCounts>>`
    SELECT ${key} AS key,
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
      count(*) FILTER (WHERE d.state = 'completed' AND (d.due_date IS NULL OR ${completedOn} <= d.due_date))::int AS "onTime",
      count(*) FILTER (WHERE d.state = 'completed' AND ${completedOn} > d.due_date)::int AS "late",
      count(*) FILTER (WHERE d.state IN ('assigned', 'in_progress') AND d.due_date < ${today})::int AS "overdue",
      count(*) FILTER (WHERE d.state = 'completed')::int AS "completed",
      COALESCE(sum(extract(epoch FROM d.completed_at - d.received_at) / 86400) FILTER (WHERE d.state = 'completed'), 0)::float8 AS "handlingDays"
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
    agency: sql`o.agency_id::text`,
    department: sql`o.department_id::text`,
    person: sql`o.drafter_id::text`,
    bucket: bucketKey(sql`o.issued_at`, scope.bucket),
  }[grouping];
  const result = await sql<Keyed<IssuedCounts>>`
    SELECT ${key} AS key,
      count(*)::int AS "issued",
      count(*) FILTER (WHERE EXISTS (
        SELECT 1 FROM outgoing_recipients r JOIN agencies a ON a.code = r.agency_code WHERE r.outgoing_id = o.id
      ))::int AS "sentProvince",
      count(*) FILTER (WHERE EXISTS (
        SELECT 1 FROM outgoing_recipients r WHERE r.outgoing_id = o.id
          AND NOT EXISTS (SELECT 1 FROM agencies a WHERE a.code = r.agency_code)
      ))::int AS "sentNational"
    FROM outgoing_documents o
    WHERE ${agencyFilter(sql`o.agency_id`, scope.agencyId)}
      AND o.issued_at >= ${scope.period.start} AND o.issued_at < ${scope.period.end}
    GROUP BY 1`.execute(db);
  return result.rows;
}

/**
 * The deadline of issue for each signing day of the period (end of the next working morning), from
 * the working calendar, as two arrays the query joins on: the rule of outgoing/same-day.ts, per day.
 */
async function issueDeadlinesOf(db: Kysely<OfficeSchema>, period: Period) {
  // The last signing day's next working morning may lie weeks later (Tết): the calendar covers it.
  const beyond = new Date(period.end.getTime() + 40 * 86_400_000).toISOString().slice(0, 10);
  const calendar = await loadCalendar(db, period.from, beyond);
  const days: IsoDate[] = [];
  const deadlines: string[] = [];
  for (let day = period.from; day <= period.to; day = nextDay(day)) {
    days.push(day);
    deadlines.push(issueDeadlines(new Date(`${day}T12:00:00+07:00`), calendar).endOfNextMorning.toISOString());
  }
  return { days, deadlines };
}

export async function sameDayCounts(db: Kysely<OfficeSchema>, scope: Scope, grouping: Grouping): Promise<Keyed<SameDayCounts>[]> {
  const key = {
    none: sql`null::text`,
    agency: sql`o.agency_id::text`,
    department: sql`o.department_id::text`,
    person: sql`o.signed_by::text`,
    bucket: bucketKey(sql`o.signed_at`, scope.bucket),
  }[grouping];
  const { days, deadlines } = await issueDeadlinesOf(db, scope.period);
  const issuedOnTime = sql`(${vietnamDate(sql`o.issued_at`)} = dl.day OR o.issued_at <= dl.deadline)`;
  const result = await sql<Keyed<SameDayCounts>>`
    SELECT ${key} AS key,
      count(*) FILTER (WHERE o.issued_at IS NOT NULL AND ${issuedOnTime})::int AS "sameDayCompliant",
      count(*) FILTER (
        WHERE (o.issued_at IS NOT NULL AND NOT ${issuedOnTime}) OR (o.issued_at IS NULL AND ${scope.now}::timestamptz > dl.deadline)
      )::int AS "sameDayLate",
      count(*) FILTER (WHERE o.issued_at IS NULL AND ${scope.now}::timestamptz <= dl.deadline)::int AS "sameDayPending"
    FROM outgoing_documents o
    JOIN unnest(${days}::date[], ${deadlines}::timestamptz[]) AS dl (day, deadline) ON dl.day = ${vietnamDate(sql`o.signed_at`)}
    WHERE ${agencyFilter(sql`o.agency_id`, scope.agencyId)}
      AND o.signed_at IS NOT NULL AND o.state <> 'cancelled'
      AND o.signed_at >= ${scope.period.start} AND o.signed_at < ${scope.period.end}
    GROUP BY 1`.execute(db);
  return result.rows;
}
