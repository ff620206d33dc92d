import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BlobStore, connect, createTestDatabase } from '@vanban/db';
import { JournalWriter } from '../src/journal-writer.js';
import { migrateHub } from '../src/migrate.js';
import { CHAIN, JOURNAL, acknowledgeMany, recordPackage } from '../src/store.js';
import { HubHarness, until } from './harness.js';

describe('a hub process that keeps bytes a number of days', () => {
  it('purges, as it starts, the bytes of the packages every recipient acknowledged longer ago, and only those', async () => {
    const h = await HubHarness.create();
    const database = await createTestDatabase();
    try {
      await migrateHub(database.url);
      const blobsDir = mkdtempSync(join(tmpdir(), 'vanban-retention-'));
      const blobs = new BlobStore(blobsDir);
      const admin = connect(database.url, { max: 2 });
      const writer = new JournalWriter(admin.pool, JOURNAL, CHAIN);
      await admin.pool.query(`INSERT INTO systems (id, name, cert_sha256) VALUES ('office-b', 'Office B', $1)`, ['b'.repeat(64)]);
      // Two packages, received 50 and 40 days ago: the older taken by its recipient, the other still owed.
      const received = async (n: number) => {
        const { sha256 } = await blobs.put(`package ${n} as handed on`);
        const id = createHash('sha256').update(`package ${n}`).digest('hex');
        await recordPackage(writer, {
          id,
          kind: 'document',
          documentId: `doc-${n}`,
          from: '000.00.00.H99',
          receivedFrom: 'system:office-a',
          size: 100,
          blobSha256: sha256,
          via: ['000.00.00.G22'],
          recipients: [{ code: '000.00.04.H99', target: { kind: 'system', systemId: 'office-b' } }],
        });
        return { id, sha256 };
      };
      const taken = await received(1);
      const owed = await received(2);
      await acknowledgeMany(writer, { kind: 'system', id: 'office-b' }, [{ packageId: taken.id, recipient: '000.00.04.H99' }]);
      await admin.pool.query(`UPDATE packages SET received_at = now() - interval '50 days' WHERE id = $1`, [taken.id]);
      await admin.pool.query(`UPDATE packages SET received_at = now() - interval '40 days' WHERE id = $1`, [owed.id]);

      const { hub } = await h.hub('retention', '000.00.00.G22', { database, blobsDir, purgeAfterDays: 30 });
      await until('the bytes taken are purged', async () => ((await blobs.has(taken.sha256)) ? undefined : true));
      assert.equal(await blobs.has(owed.sha256), true, 'the bytes still owed stay');
      const { rows } = await admin.pool.query<{ id: string }>(`SELECT id FROM packages WHERE purged_at IS NOT NULL`);
      assert.deepEqual(
        rows.map((r) => r.id),
        [taken.id],
      );
      const metrics = (await h.caller(null)('GET', `${hub.url}/metrics`)).body.toString();
      const oldest = Number(/^vanban_hub_oldest_bytes_seconds (\S+)$/m.exec(metrics)?.[1]);
      assert.ok(oldest >= 40 * 86_400 && oldest < 41 * 86_400, `the oldest bytes kept are the owed package's, 40 days old: ${oldest} s`);
      await admin.close();
    } finally {
      await h.close();
      await database.drop();
    }
  });
});
