import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { relativeTime } from '../src/notifications/time.js';

describe('how long ago a notification came', () => {
  const now = Date.parse('2026-09-04T10:00:00Z');
  const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();

  test('in Vietnamese and in English', () => {
    assert.equal(relativeTime(ago(20), 'vi', now), 'Vừa xong');
    assert.equal(relativeTime(ago(20), 'en', now), 'Just now');
    assert.equal(relativeTime(ago(5 * 60), 'vi', now), '5 phút trước');
    assert.equal(relativeTime(ago(5 * 60), 'en', now), '5 minutes ago');
    assert.equal(relativeTime(ago(3 * 3600), 'vi', now), '3 giờ trước');
    assert.equal(relativeTime(ago(86_400), 'en', now), 'yesterday');
    assert.equal(relativeTime(ago(3 * 86_400), 'vi', now), '3 ngày trước');
    assert.equal(relativeTime(ago(14 * 86_400), 'en', now), '2 weeks ago');
  });
});
