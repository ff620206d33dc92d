/**
 * The full hub crash test: 5,000 packages to 50 recipients across two federated hubs while hub
 * processes and receiving offices are killed with SIGKILL and restarted (the CI test runs a
 * reduced size). Prints a JSON report; fails if anything is missing, doubled or unverifiable.
 * Usage: npx tsx bench/hub-crash.ts [--packages 5000] [--recipients 50] [--kills 8]
 * Uses DATABASE_URL when set, otherwise an embedded PostgreSQL in data/bench-postgres.
 */
import { rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveServer } from '../packages/db/src/index.js';
import { runCrashTest } from './crash/crash-run.js';

const { values } = parseArgs({
  options: {
    packages: { type: 'string', default: '5000' },
    recipients: { type: 'string', default: '50' },
    kills: { type: 'string', default: '8' },
  },
});
const dataDir = join(import.meta.dirname, '..', 'data', 'bench-postgres');
if (!process.env.DATABASE_URL) rmSync(dataDir, { recursive: true, force: true });
const server = await resolveServer({ dataDir });
process.env.VANBAN_TEST_ADMIN_URL = server.adminUrl;
try {
  const report = await runCrashTest({
    packages: Number(values.packages),
    recipients: Number(values.recipients),
    kills: Number(values.kills),
    killEveryMs: 15_000,
    timeoutMs: 30 * 60_000,
    log: (line) => console.error(line),
  });
  console.log(
    JSON.stringify(
      { machine: { cpus: cpus().length, model: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30) }, ...report },
      null,
      2,
    ),
  );
  const whole =
    report.missing +
      report.duplicates +
      report.missingStatuses +
      report.duplicateStatuses +
      report.failedDeliveries +
      report.journalBreaks ===
    0;
  process.exitCode = whole ? 0 : 1;
} finally {
  await server.stop();
  if (server.embedded) rmSync(dataDir, { recursive: true, force: true });
}
