import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { runCrashTest } from './crash-run.js';

// The reduced size for CI; `npx tsx bench/hub-crash.ts` runs the full one (5,000 packages, 50 recipients).
describe('the hub under SIGKILL', () => {
  it(
    'delivers every package exactly once and every status back while hubs and offices are killed and restarted',
    { timeout: 600_000 },
    async () => {
      const report = await runCrashTest({
        packages: 300,
        recipients: 10,
        kills: 4,
        killEveryMs: 3_000,
        timeoutMs: 240_000,
        log: (line) => console.log(`# ${line}`),
      });
      assert.equal(report.kills.length, 4);
      assert.deepEqual(
        {
          missing: report.missing,
          duplicates: report.duplicates,
          missingStatuses: report.missingStatuses,
          duplicateStatuses: report.duplicateStatuses,
          failedDeliveries: report.failedDeliveries,
          journalBreaks: report.journalBreaks,
        },
        { missing: 0, duplicates: 0, missingStatuses: 0, duplicateStatuses: 0, failedDeliveries: 0, journalBreaks: 0 },
        JSON.stringify(report),
      );
      assert.ok(report.deliveries > report.packages, 'some packages went to two recipients, one behind each hub');
    },
  );
});
