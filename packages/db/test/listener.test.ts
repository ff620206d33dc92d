import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createTestDatabase, Listener, type TestDatabase } from '../src/index.js';

let testDb: TestDatabase;
before(async () => {
  testDb = await createTestDatabase();
});
after(() => testDb.drop());

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 10_000) assert.fail(`still not ${what} after 10 s`);
    await sleep(20);
  }
}

describe('a listener', () => {
  it('hears the notifications of its channels only, and none once closed, when its connection is ended', async () => {
    const pool = new pg.Pool({ connectionString: testDb.url });
    const heard: string[] = [];
    const listener = await Listener.open(pool, ['bell', 'horn'], { notified: (channel, payload) => heard.push(`${channel} ${payload}`) });
    await pool.query(`NOTIFY bell, 'one'; NOTIFY drum, 'two'; NOTIFY horn, 'three'`);
    await until(() => heard.length === 2, 'heard');
    assert.deepEqual(heard, ['bell one', 'horn three']);
    assert.equal(listener.listening, true);

    listener.close();
    assert.equal(listener.listening, false);
    await pool.query(`NOTIFY bell, 'four'`);
    await sleep(100);
    assert.deepEqual(heard, ['bell one', 'horn three']);
    assert.equal(pool.totalCount, 1, 'the listening connection is ended, not given back to others');
    await pool.end();
  });

  it('hears nothing once closed, not even what its connection had already received', async () => {
    const pool = new pg.Pool({ connectionString: testDb.url });
    const heard: string[] = [];
    // Both notifications of one transaction arrive together; the first closes the listener.
    const listener = await Listener.open(pool, ['bell'], {
      notified: (_channel, payload) => {
        heard.push(payload ?? '');
        listener.close();
      },
    });
    await pool.query(`BEGIN; NOTIFY bell, 'one'; NOTIFY bell, 'two'; COMMIT`);
    await until(() => heard.length > 0, 'heard');
    await sleep(100);
    assert.deepEqual(heard, ['one']);
    await pool.end();
  });

  it('listens again once the server takes connections again, however many tries that takes', async () => {
    const pool = new pg.Pool({ connectionString: testDb.url });
    const told: string[] = [];
    const heard: string[] = [];
    const listener = await Listener.open(
      pool,
      ['bell'],
      { notified: (_channel, payload) => heard.push(payload ?? ''), lost: () => told.push('lost'), resumed: () => told.push('resumed') },
      { retryMs: 30 },
    );
    // The server goes away for a while, as in a restart: new connections are refused, ours is ended.
    await testDb.setAway(true);
    await until(() => told.includes('lost'), 'told of the loss');
    await sleep(300);
    assert.equal(listener.listening, false);

    await testDb.setAway(false);
    await until(() => listener.listening, 'listening again');
    assert.deepEqual(told, ['lost', 'resumed']);
    await pool.query(`NOTIFY bell, 'after'`);
    await until(() => heard.length === 1, 'heard');
    assert.deepEqual(heard, ['after']);
    listener.close();
    await pool.end();
  });

  it('refuses a channel name that is not a plain identifier', async () => {
    const pool = new pg.Pool({ connectionString: testDb.url });
    await assert.rejects(Listener.open(pool, ['bell; DROP TABLE x'], { notified: () => undefined }), /Not a channel name/);
    await pool.end();
  });
});
