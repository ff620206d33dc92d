import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import type { FastifyBaseLogger } from 'fastify';
import { Rounds } from '../src/tools/rounds.js';

async function until(what: string, condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (condition()) return;
    await sleep(5);
  }
  assert.fail(`never: ${what}`);
}

describe('background rounds', () => {
  it('log a failed round and run the next one as usual', async () => {
    const logged: string[] = [];
    const logger = { error: (_: unknown, message: string) => logged.push(message) } as unknown as FastifyBaseLogger;
    const rounds = new Rounds(logger);
    let runs = 0;
    rounds.every(1, 1, 'counting', async () => {
      runs++;
      if (runs === 1) throw new Error('database away');
    });
    await until('three rounds', () => runs >= 3);
    await rounds.stop();
    assert.deepEqual(logged, ['counting failed; trying again later']);
  });

  it('wait, when stopped, for the round under way, and start no other', async () => {
    const rounds = new Rounds();
    let started = 0;
    let finished = 0;
    let release: () => void = () => undefined;
    rounds.every(1, 1, 'slow work', async () => {
      started++;
      await new Promise<void>((resolve) => (release = resolve));
      finished++;
    });
    await until('the first round started', () => started === 1);
    const stopping = rounds.stop();
    assert.equal(finished, 0);
    release();
    await stopping;
    assert.equal(finished, 1);
    await sleep(20);
    assert.equal(started, 1);
    assert.ok(rounds.stopped);
    rounds.every(1, 1, 'after the stop', async () => {
      started++;
    });
    await sleep(20);
    assert.equal(started, 1, 'a stopped one takes no new work');
  });
});
