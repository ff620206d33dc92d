/**
 * What issue 8 asks to measure on the generated province: search latency (p50/p95) over a mix of
 * queries by clerks, who see their whole agency, and officers, who see their own work; and the
 * dashboards of the whole province and of one agency, the first read after the load and the next ones.
 */
import type { Database } from '../../packages/db/src/index.js';
import { agencyReport, provinceReport, searchDocuments, type OfficeSchema, type PeriodRequest } from '../../apps/office/src/index.js';
import type { Role } from '../../apps/office/src/directory/roles.js';

/** Queries as people type them: with and without marks, a typo, phrases of the PDF text, senders. */
const QUERIES = [
  'chuyển đổi số',
  'chuyen doi so',
  'giai ngan von dau tu cong',
  'quyết định phê duyệt',
  'quyet dihn',
  'phong chay chua chay',
  'Bộ Tài chính',
  'bo noi vu',
  'tiêm chủng mở rộng',
  'kinh phi thuc hien tu nguon ngan sach',
  'an toàn giao thông năm 2026',
  'ke hoach thuc hien cai cach hanh chinh',
  'nong thon moi',
  'khieu nai to cao',
  'Nguyễn',
];

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

interface Person {
  readonly agencyId: string;
  readonly userId: string;
  readonly roles: Role[];
  readonly departmentId: string | null;
  readonly notation: string | null;
}

export async function measureSearch(office: Database<OfficeSchema>, agencies = 40): Promise<void> {
  // Agencies spread over the directory, each with its clerk and its officer, and one of its numbers.
  const { rows } = await office.pool.query<Person>(
    `WITH picked AS (
       SELECT id, row_number() OVER (ORDER BY code) AS n, count(*) OVER () AS total FROM agencies
     )
     SELECT p.id AS "agencyId", m.user_id AS "userId", m.roles, m.department_id AS "departmentId",
            (SELECT o.number || '/' || o.notation FROM outgoing_documents o WHERE o.agency_id = p.id AND o.number IS NOT NULL
              ORDER BY o.issued_at DESC LIMIT 1) AS notation
       FROM picked p JOIN memberships m ON m.agency_id = p.id
      WHERE p.n % greatest(1, p.total / $1) = 0 AND (m.roles @> '{clerk}' OR m.roles = '{officer}')
      ORDER BY p.n, m.roles`,
    [agencies],
  );
  const times: number[] = [];
  const byQuery = new Map<string, number[]>();
  let found = 0;
  // One round to warm the caches as a running office's would be, then the measured round.
  for (const round of ['warm', 'measured']) {
    for (const person of rows) {
      const actor = { userId: person.userId, roles: person.roles, departmentId: person.departmentId };
      for (const q of [...QUERIES, ...(person.notation ? [person.notation] : [])]) {
        const [result, ms] = await timed(() => searchDocuments(office.db, actor, person.agencyId, { q, limit: 20, withFacets: true }));
        if (round === 'warm') continue;
        times.push(ms);
        found += result.hits.length > 0 ? 1 : 0;
        const key = QUERIES.includes(q) ? q : '(a number/notation of the agency)';
        byQuery.set(key, [...(byQuery.get(key) ?? []), ms]);
      }
    }
  }
  times.sort((a, b) => a - b);
  console.log(
    `Search: ${times.length} searches (first page of 20 with facet counts) by ${rows.length} people of ${new Set(rows.map((r) => r.agencyId)).size} agencies, ` +
      `${found} with results: p50 ${percentile(times, 0.5).toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms`,
  );
  for (const [q, list] of byQuery) {
    list.sort((a, b) => a - b);
    console.log(`  ${q}: p50 ${percentile(list, 0.5).toFixed(1)} ms, p95 ${percentile(list, 0.95).toFixed(1)} ms`);
  }
}

export async function measureDashboards(office: Database<OfficeSchema>, now = new Date()): Promise<void> {
  const year = Number(now.toISOString().slice(0, 4));
  const month = Number(now.toISOString().slice(5, 7));
  const periods: [string, PeriodRequest][] = [
    ['this month', { kind: 'month', year, month }],
    ['this quarter', { kind: 'quarter', year, quarter: Math.ceil(month / 3) }],
    ['this year', { kind: 'year', year }],
  ];
  const runs = 5;
  const report = async (what: string, work: () => Promise<unknown>) => {
    const list: number[] = [];
    for (let i = 0; i < runs; i++) list.push((await timed(work))[1]);
    const first = list[0]!;
    const rest = list.slice(1).sort((a, b) => a - b);
    console.log(
      `  ${what}: first ${first.toFixed(0)} ms, then median ${percentile(rest, 0.5).toFixed(0)} ms, max ${rest.at(-1)!.toFixed(0)} ms`,
    );
  };
  console.log(`Dashboards (${runs} reads each; the first after the load):`);
  for (const [label, period] of periods) await report(`province, ${label}`, () => provinceReport(office.db, period, now));
  const { rows } = await office.pool.query<{ id: string; name: string; documents: number }>(
    `SELECT a.id, a.name, count(*)::int AS documents FROM agencies a JOIN incoming_documents i ON i.agency_id = a.id
      GROUP BY a.id ORDER BY count(*) DESC LIMIT 1`,
  );
  const busiest = rows[0]!;
  for (const [label, period] of periods) {
    await report(`agency ${busiest.name} (${busiest.documents} incoming), ${label}`, () =>
      agencyReport(office.db, busiest.id, period, now),
    );
  }
}
