import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { Doorbell, classifyAnswer, retryDelayMs } from '../src/index.js';

describe('retry backoff', () => {
  it('doubles up to the cap, with jitter between half and all of the ceiling', () => {
    const policy = { baseMs: 1_000, capMs: 60_000 };
    assert.equal(
      retryDelayMs(1, policy, () => 0),
      500,
    );
    assert.equal(
      retryDelayMs(1, policy, () => 1),
      1_000,
    );
    assert.equal(
      retryDelayMs(4, policy, () => 1),
      8_000,
    );
    assert.equal(
      retryDelayMs(20, policy, () => 1),
      60_000,
    );
    assert.equal(
      retryDelayMs(1000, policy, () => 0),
      30_000,
    );
  });

  it('counts attempts from 1', () => {
    assert.throws(() => retryDelayMs(0), RangeError);
  });
});

describe('what an answer from a hub or a receiving system means', () => {
  it('2xx ends the delivery', () => {
    for (const status of [200, 201, 202, 204]) assert.equal(classifyAnswer(status), 'done');
  });
  it('a refusal (4xx) or a loop (508) fails it for good: asking again would get the same answer', () => {
    for (const status of [400, 403, 404, 413, 422, 508]) assert.equal(classifyAnswer(status), 'failed');
  });
  it('an unknown certificate, a timeout, too early, too many, and every other server error are tried again', () => {
    for (const status of [401, 408, 425, 429, 500, 502, 503, 504, 0]) assert.equal(classifyAnswer(status), 'retry');
  });
});

describe('the doorbell a worker waits on between rounds', () => {
  it('ends the wait when rung, and after its time when not', async () => {
    const bell = new Doorbell();
    let started = performance.now();
    const waiting = bell.wait(10_000);
    bell.ring();
    await waiting;
    assert.ok(performance.now() - started < 1_000, 'rung: the wait ended at once');
    started = performance.now();
    await bell.wait(50);
    assert.ok(performance.now() - started >= 45, 'not rung: it waited its time');
  });
  it('keeps a ring that came while nobody waited (the worker was looking for work) for the next wait, and only one', async () => {
    const bell = new Doorbell();
    bell.ring();
    bell.ring();
    let started = performance.now();
    await bell.wait(10_000);
    assert.ok(performance.now() - started < 1_000, 'the kept ring ended the wait at once');
    started = performance.now();
    await bell.wait(50);
    assert.ok(performance.now() - started >= 45, 'two rings are kept as one');
  });
});
