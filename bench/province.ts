/**
 * Issue 8's benchmark: a generated province of about 600 agencies and a million documents over
 * eight months (bench/lib/province-data.ts), then the latency of search and of the dashboards
 * (bench/lib/province-measures.ts), called as the routes call them, without HTTP.
 * Usage: node_modules/.bin/tsx bench/province.ts [--documents 1000000] [--keep] [--reuse]
 *   --keep   leaves the database (data/bench-postgres, database vanban_bench_province) for a rerun;
 *   --reuse  measures an existing one without generating it again.
 * With DATABASE_URL set, that server is used instead of an embedded one.
 */
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connect, dropDatabase, ensureDatabase, resolveServer } from '../packages/db/src/index.js';
import { migrateOffice, type OfficeSchema } from '../apps/office/src/index.js';
import { generateProvinceData } from './lib/province-data.js';
import { measureDashboards, measureSearch } from './lib/province-measures.js';

const { values } = parseArgs({
  options: {
    documents: { type: 'string', default: '1000000' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
  },
});
const NAME = 'vanban_bench_province';

const server = await resolveServer({ dataDir: join(import.meta.dirname, '..', 'data', 'bench-postgres') });
try {
  if (!values.reuse) await dropDatabase(server.adminUrl, NAME);
  const url = await ensureDatabase(server.adminUrl, NAME);
  const office = connect<OfficeSchema>(url, { max: 4 });
  try {
    console.log(
      `Machine: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`,
    );
    console.log((await office.pool.query('SELECT version()')).rows[0].version);
    if (!values.reuse) {
      const started = performance.now();
      await migrateOffice(url);
      const result = await generateProvinceData(office, { documents: Number(values.documents) });
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `Generated ${result.agencies} agencies, ${result.users} users, ${result.outgoing} outgoing and ${result.incoming} incoming documents ` +
          `(${result.recipients} recipients, ${result.assignments} lead handlers) in ${seconds.toFixed(0)} s:`,
      );
      for (const s of result.steps) console.log(`  ${s.step}: ${s.seconds.toFixed(1)} s`);
      const size = (await office.pool.query(`SELECT pg_size_pretty(pg_database_size(current_database())) AS s`)).rows[0].s;
      console.log(`Database size: ${size}`);
    }
    await measureSearch(office);
    await measureDashboards(office);
  } finally {
    await office.close();
  }
  if (!values.keep && !values.reuse) await dropDatabase(server.adminUrl, NAME);
} finally {
  await server.stop();
}
