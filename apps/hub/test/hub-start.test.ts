import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '@vanban/db';
import { runProgram } from './program.js';

let testDb: TestDatabase;
before(async () => {
  testDb = await createTestDatabase();
});
after(() => testDb.drop());

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
    const { code, stdout, stderr } = await runProgram(program);
    assert.equal(code, 0, `the process did not end by itself: ${stdout}${stderr}`);
    assert.match(stdout, /^not started: /m);
  });
});
