import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { carriedContent } from '../src/carried-content.js';

const item = (packageId: string, size: number) => ({ packageId, size });

describe('which deliveries of a listed page carry their package’s bytes', () => {
  it('carries packages in the order listed while they fit in the budget', () => {
    assert.deepEqual([...carriedContent([item('a', 400), item('b', 500), item('c', 100)], 1000)], [0, 1, 2]);
    assert.deepEqual([...carriedContent([item('a', 400), item('b', 500), item('c', 100)], 950)], [0, 1]);
  });

  it('lists a package that does not fit without it, and still carries smaller ones after it', () => {
    assert.deepEqual([...carriedContent([item('a', 400), item('big', 5000), item('c', 100)], 1000)], [0, 2]);
    assert.deepEqual([...carriedContent([item('big', 5000)], 1000)], [], 'a package larger than the budget is fetched');
  });

  it('carries a package owed to two agencies of one system once', () => {
    assert.deepEqual([...carriedContent([item('a', 400), item('a', 400), item('b', 100)], 1000)], [0, 2]);
  });

  it('carries nothing with no budget', () => {
    assert.deepEqual([...carriedContent([item('a', 1)], 0)], []);
  });
});
