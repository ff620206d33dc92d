import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '@vanban/db';

let testDb: TestDatabase;
before(async () => {
  testDb = await createTestDatabase();
});
after(() => testDb.drop());

/** Runs `program` (an ES module) in a process of its own; ends it after 60 s, its code then null. */
function run(program: string): Promise<{ code: number | null; out: string }> {
  // From a file: worker threads inherit the flags, and --input-type would stop them.
  const file = join(mkdtempSync(join(tmpdir(), 'vanban-hub-start-')), 'program.mjs');
  writeFileSync(file, program);
  const child = spawn(process.execPath, ['--import', 'tsx', file], { timeout: 60_000, killSignal: 'SIGKILL' });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
}

describe('starting a hub', () => {
  it('that fails half-way closes what it had opened, so the process can end', async () => {
    const hub = join(import.meta.dirname, '..', 'src', 'index.ts');
    const config = {
      databaseUrl: testDb.url,
      blobsDir: mkdtempSync(join(tmpdir(), 'vanban-hub-start-')),
      hubCode: '000.00.00.G99',
      host: '127.0.0.1',
      port: 0,
      // Fails once the database is open and the examiner's threads are running.
      tls: { key: 'not a key', cert: 'not a certificate', ca: 'none', client: { key: 'none', cert: 'none' } },
      trust: { anchors: [] },
      examinerThreads: 2,
    };
    const program = `
      import { startHub } from ${JSON.stringify(hub)};
      try {
        await startHub(${JSON.stringify(config)});
        console.log('started');
      } catch (error) {
        console.log('not started: ' + error.message);
      }`;
    const { code, out } = await run(program);
    assert.equal(code, 0, `the process did not end by itself: ${out}`);
    assert.match(out, /^not started: /m);
  });
});
