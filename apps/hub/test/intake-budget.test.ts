import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IntakeBudget } from '../src/intake-budget.js';

const MB = 1024 * 1024;
/** Whether `taking` has been granted once pending callbacks have run. */
async function granted(taking: Promise<unknown>): Promise<boolean> {
  let done = false;
  void taking.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('the intake budget: how many bytes of packages a hub process checks and stores at once', () => {
  it('lets packages in at once while they fit, and the next one when enough is given back', async () => {
    const budget = new IntakeBudget(8 * MB);
    const first = await budget.take(2 * MB);
    await budget.take(2 * MB);
    await budget.take(2 * MB);
    await budget.take(2 * MB);
    const fifth = budget.take(2 * MB);
    assert.equal(await granted(fifth), false);
    first();
    assert.equal(await granted(fifth), true);
  });

  it('counts small packages by their size, so many go through together', async () => {
    const budget = new IntakeBudget(8 * MB);
    for (let i = 0; i < 60; i++) assert.equal(await granted(budget.take(100 * 1024)), true, `package ${i + 1}`);
    assert.equal(await granted(budget.take(2 * MB)), false);
  });

  it('serves packages in the order they came: a small one does not pass a large one waiting', async () => {
    const budget = new IntakeBudget(8 * MB);
    const six = await budget.take(6 * MB);
    const large = budget.take(4 * MB);
    const small = budget.take(100 * 1024);
    assert.equal(await granted(small), false);
    six();
    assert.equal(await granted(large), true);
    assert.equal(await granted(small), true);
  });

  it('lets a package larger than the whole budget in alone, once everything else is given back', async () => {
    const budget = new IntakeBudget(8 * MB);
    const small = await budget.take(1 * MB);
    const huge = budget.take(50 * MB);
    assert.equal(await granted(huge), false);
    small();
    const release = await huge;
    assert.equal(await granted(budget.take(1)), false);
    release();
  });

  it('gives a share back once, however often its release is called', async () => {
    const budget = new IntakeBudget(4 * MB);
    const a = await budget.take(2 * MB);
    await budget.take(2 * MB);
    a();
    a();
    await budget.take(2 * MB);
    assert.equal(await granted(budget.take(2 * MB)), false);
  });
});
