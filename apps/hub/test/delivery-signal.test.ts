import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '@vanban/db';
import pg from 'pg';
import { DeliverySignal } from '../src/delivery-signal.js';
import { DELIVERY_CHANNEL } from '../src/store.js';

let testDb: TestDatabase;
before(async () => {
  testDb = await createTestDatabase();
});
after(() => testDb.drop());

describe("a hub process's delivery signal", () => {
  it('listens again after PostgreSQL was away for longer than one retry, and says the registry may have changed', async () => {
    const pool = new pg.Pool({ connectionString: testDb.url });
    const signal = await DeliverySignal.listen(pool);
    let registryChanges = 0;
    signal.onRegistryChanged(() => registryChanges++);

    await testDb.setAway(true);
    await sleep(2_500);
    assert.equal(signal.listening, false);
    assert.equal(registryChanges, 1, 'what was kept on the strength of the signal must go when it is lost');

    await testDb.setAway(false);
    for (let waited = 0; !signal.listening; waited += 50) {
      if (waited > 10_000) assert.fail('the signal never listened again');
      await sleep(50);
    }
    assert.equal(registryChanges, 2, 'and what changed while nobody listened must go when it listens again');
    const heard = new Promise<string>((resolve) => signal.onOwed((target, mode) => resolve(`${target} ${mode}`)));
    await pool.query(`SELECT pg_notify($1, 'system:office-a pull')`, [DELIVERY_CHANNEL]);
    assert.equal(await Promise.race([heard, sleep(5_000).then(() => 'nothing heard')]), 'system:office-a pull');
    signal.close();
    await pool.end();
  });
});
