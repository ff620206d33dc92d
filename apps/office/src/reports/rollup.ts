import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { OfficeSchema } from '../schema.js';
import type { Period } from './period.js';
import {
  bucketKey,
  ISSUED_COLUMNS,
  ISSUED_COUNTS,
  issueDeadlinesRelation,
  RECEIVED_COLUMNS,
  RECEIVED_COUNTS,
  SAME_DAY_ISSUED_COLUMNS,
  SAME_DAY_ISSUED_COUNTS,
  overdueCounts,
  TZ,
  unissuedCounts,
  vietnamDate,
  type IncomingCounts,
  type IssuedCounts,
  type Keyed,
  type SameDayCounts,
  type Scope,
} from './figures.js';

/**
 * The daily rollup (report_daily) the province's report reads: counted again, set-based, for the
 * (agency, day) pairs the triggers marked dirty, or for everything after a bulk load.
 */

/** Which pairs to count: those given as two arrays, or every one. */
type Pairs = { readonly agencyIds: readonly string[]; readonly days: readonly string[] } | 'all';

const columns = (names: readonly string[]) => sql.join(names.map((n) => sql.ref(n)));
const updates = (names: readonly string[]) => sql.join(names.map((n) => sql`${sql.ref(n)} = EXCLUDED.${sql.ref(n)}`));

/** Documents whose `column` falls on one of the pairs' Vietnam days, in the pair's agency. */
function onPairs(pairs: Pairs, table: string, column: string): RawBuilder<unknown> {
  if (pairs === 'all') return sql``;
  const at = sql.ref(`${table}.${column}`);
  return sql`JOIN unnest(${pairs.agencyIds}::uuid[], ${pairs.days}::date[]) AS p (agency_id, day)
    ON ${sql.ref(`${table}.agency_id`)} = p.agency_id
   AND ${at} >= (p.day::timestamp AT TIME ZONE ${TZ}) AND ${at} < ((p.day + 1)::timestamp AT TIME ZONE ${TZ})`;
}

async function count(db: Kysely<OfficeSchema>, pairs: Pairs): Promise<void> {
  await sql`
    INSERT INTO report_daily (agency_id, day, ${columns(RECEIVED_COLUMNS)})
    SELECT d.agency_id, ${vietnamDate(sql`d.received_at`)}, ${RECEIVED_COUNTS}
      FROM incoming_documents d ${onPairs(pairs, 'd', 'received_at')}
      LEFT JOIN agencies s ON d.channel = 'hub' AND s.code = d.sender_code
     GROUP BY 1, 2
    ON CONFLICT (day, agency_id) DO UPDATE SET ${updates(RECEIVED_COLUMNS)}`.execute(db);
  await sql`
    INSERT INTO report_daily (agency_id, day, ${columns(ISSUED_COLUMNS)})
    SELECT o.agency_id, ${vietnamDate(sql`o.issued_at`)}, ${ISSUED_COUNTS}
      FROM outgoing_documents o ${onPairs(pairs, 'o', 'issued_at')}
     WHERE o.issued_at IS NOT NULL
     GROUP BY 1, 2
    ON CONFLICT (day, agency_id) DO UPDATE SET ${updates(ISSUED_COLUMNS)}`.execute(db);
  const range =
    pairs === 'all'
      ? await sql<{ from: string | null; to: string | null }>`
          SELECT min(${vietnamDate(sql`signed_at`)})::text AS from, max(${vietnamDate(sql`signed_at`)})::text AS to
            FROM outgoing_documents WHERE signed_at IS NOT NULL`.execute(db)
      : { rows: [{ from: [...pairs.days].sort()[0] ?? null, to: [...pairs.days].sort().at(-1) ?? null }] };
  const { from, to } = range.rows[0]!;
  if (from === null || to === null) return;
  await sql`
    INSERT INTO report_daily (agency_id, day, ${columns(SAME_DAY_ISSUED_COLUMNS)})
    SELECT o.agency_id, dl.day, ${SAME_DAY_ISSUED_COUNTS}
      FROM outgoing_documents o ${onPairs(pairs, 'o', 'signed_at')}
      JOIN ${await issueDeadlinesRelation(db, from, to)} ON dl.day = ${vietnamDate(sql`o.signed_at`)}
     WHERE o.signed_at IS NOT NULL AND o.issued_at IS NOT NULL AND o.state <> 'cancelled'
     GROUP BY 1, 2
    ON CONFLICT (day, agency_id) DO UPDATE SET ${updates(SAME_DAY_ISSUED_COLUMNS)}`.execute(db);
}

/**
 * Counts again the pairs marked since the last time. Called before the province's report is read;
 * the pairs are taken (deleted) in the same transaction, so two readers never count one pair twice
 * and a change committed meanwhile leaves its own mark for the next one.
 */
export async function refreshReportRollup(db: Kysely<OfficeSchema>): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const taken = await sql<{ agency_ids: string[] | null; days: string[] | null }>`
      WITH taken AS (DELETE FROM report_dirty RETURNING agency_id, day)
      SELECT array_agg(agency_id) AS agency_ids, array_agg(day::text) AS days FROM (SELECT DISTINCT agency_id, day FROM taken) AS t`.execute(
      tx,
    );
    const { agency_ids: agencyIds, days } = taken.rows[0]!;
    if (!agencyIds || !days) return 0;
    // Zero first: a pair whose last document went elsewhere has nothing left to count.
    await sql`
      DELETE FROM report_daily r USING unnest(${agencyIds}::uuid[], ${days}::date[]) AS p (agency_id, day)
       WHERE r.agency_id = p.agency_id AND r.day = p.day`.execute(tx);
    await count(tx, { agencyIds, days });
    return agencyIds.length;
  });
}

/**
 * Counts the whole rollup again from the documents, in a few set-based statements: after rows were
 * loaded in bulk (the bench), or to repair it. The triggers' marks are then moot and cleared.
 */
export async function rebuildReportRollup(db: Kysely<OfficeSchema>): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await sql`LOCK TABLE report_dirty IN EXCLUSIVE MODE`.execute(tx);
    await sql`TRUNCATE report_daily, report_dirty`.execute(tx);
    await count(tx, 'all');
  });
}

type AllCounts = IncomingCounts & IssuedCounts & SameDayCounts;

const camel = (name: string) => name.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
const ROLLED = [...RECEIVED_COLUMNS, ...ISSUED_COLUMNS, ...SAME_DAY_ISSUED_COLUMNS];

/** Group keys of the province's counts: `a:<agency id>`, `b:<bucket>`, and `t` for the total. */
function keyed(agency: RawBuilder<unknown>, bucket: RawBuilder<unknown>) {
  return {
    key: sql`CASE WHEN GROUPING(${agency}) = 0 THEN 'a:' || ${agency}::text WHEN GROUPING(${bucket}) = 0 THEN 'b:' || ${bucket} ELSE 't' END`,
    groupBy: sql`GROUPING SETS ((${agency}), (${bucket}), ())`,
  };
}

/**
 * The province's counts for a period, by agency, by bucket and in total: from the rollup, with what
 * changes with the clock (overdue now, signed and not issued) read live. The rollup is brought up to
 * date first.
 */
export async function provinceCounts(db: Kysely<OfficeSchema>, scope: Scope): Promise<Keyed<Partial<AllCounts>>[]> {
  await refreshReportRollup(db);
  const period: Period = scope.period;
  const rolled = keyed(sql`r.agency_id`, bucketKey(sql`r.day::timestamp`, scope.bucket));
  const sums = sql.join(
    ROLLED.map((c) => sql`sum(${sql.ref(`r.${c}`)})::${sql.raw(c === 'handling_days' ? 'float8' : 'int')} AS ${sql.ref(camel(c))}`),
  );
  const fromRollup = await sql<Keyed<Partial<AllCounts>>>`
    SELECT ${rolled.key} AS key, ${sums}
      FROM report_daily r
     WHERE r.day BETWEEN ${period.from}::date AND ${period.to}::date
     GROUP BY ${rolled.groupBy}`.execute(db);
  const received = keyed(sql`d.agency_id`, bucketKey(sql`d.received_at AT TIME ZONE ${TZ}`, scope.bucket));
  const signed = keyed(sql`o.agency_id`, bucketKey(sql`o.signed_at AT TIME ZONE ${TZ}`, scope.bucket));
  const [overdue, unissued] = await Promise.all([
    overdueCounts(db, scope, received.key, received.groupBy),
    unissuedCounts(db, scope, signed.key, await issueDeadlinesRelation(db, period.from, period.to), signed.groupBy),
  ]);
  return [...fromRollup.rows, ...overdue, ...unissued];
}
