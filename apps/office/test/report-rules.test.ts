import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { WorkingCalendar } from '../src/calendar/working-days.js';
import { issueTiming } from '../src/outgoing/same-day.js';
import { vietnamTime } from '../src/reports/columns.js';
import { currentMonth, periodLabel, previousPeriod, resolvePeriod, bucketOf } from '../src/reports/period.js';
import { compliancePercent, exchangeScope, handlingOutcome, isReceived, sameDayOutcome } from '../src/reports/rules.js';

describe('report periods, on Vietnam dates', () => {
  it('a month runs from its first day at midnight in Vietnam to the next month’s first midnight', () => {
    const p = resolvePeriod({ kind: 'month', year: 2026, month: 2 });
    assert.equal(p.from, '2026-02-01');
    assert.equal(p.to, '2026-02-28');
    assert.equal(p.start.toISOString(), '2026-01-31T17:00:00.000Z');
    assert.equal(p.end.toISOString(), '2026-02-28T17:00:00.000Z');
    assert.equal(p.days, 28);
  });

  it('a quarter, a year and a range of days', () => {
    const q = resolvePeriod({ kind: 'quarter', year: 2026, quarter: 4 });
    assert.deepEqual([q.from, q.to, q.days], ['2026-10-01', '2026-12-31', 92]);
    const y = resolvePeriod({ kind: 'year', year: 2028 });
    assert.deepEqual([y.from, y.to, y.days], ['2028-01-01', '2028-12-31', 366]);
    const r = resolvePeriod({ kind: 'range', from: '2026-11-30', to: '2026-11-30' });
    assert.equal(r.days, 1);
  });

  it('a range that ends before it starts, or is longer than five years, is refused', () => {
    assert.throws(() => resolvePeriod({ kind: 'range', from: '2026-11-02', to: '2026-11-01' }), RangeError);
    assert.throws(() => resolvePeriod({ kind: 'range', from: '2020-01-01', to: '2026-01-01' }), RangeError);
    assert.throws(() => resolvePeriod({ kind: 'range', from: '2026-02-30', to: '2026-03-01' }), RangeError);
  });

  it('the current month is Vietnam’s: 20:00 UTC on the last day of a month is already the next month', () => {
    assert.deepEqual(currentMonth(new Date('2026-11-30T20:00:00Z')), { kind: 'month', year: 2026, month: 12 });
    assert.deepEqual(currentMonth(new Date('2026-11-30T16:59:59Z')), { kind: 'month', year: 2026, month: 11 });
  });

  it('the previous period is of the same kind, across a year’s end, or as many days just before a range', () => {
    assert.deepEqual(previousPeriod({ kind: 'month', year: 2026, month: 1 }), { kind: 'month', year: 2025, month: 12 });
    assert.deepEqual(previousPeriod({ kind: 'quarter', year: 2026, quarter: 1 }), { kind: 'quarter', year: 2025, quarter: 4 });
    assert.deepEqual(previousPeriod({ kind: 'year', year: 2026 }), { kind: 'year', year: 2025 });
    assert.deepEqual(previousPeriod({ kind: 'range', from: '2026-03-01', to: '2026-03-10' }), {
      kind: 'range',
      from: '2026-02-19',
      to: '2026-02-28',
    });
  });

  it('a report’s time is written on Vietnam’s clock', () => {
    assert.equal(vietnamTime('2026-11-30T20:05:00.000Z'), '01/12/2026 03:05');
  });

  it('is labelled as a report title writes it, and charted by day up to two months', () => {
    assert.equal(periodLabel({ kind: 'month', year: 2026, month: 11 }, 'vi'), 'Tháng 11/2026');
    assert.equal(periodLabel({ kind: 'quarter', year: 2026, quarter: 4 }, 'vi'), 'Quý 4/2026');
    assert.equal(periodLabel({ kind: 'range', from: '2026-11-01', to: '2026-11-15' }, 'en'), '01/11/2026 – 15/11/2026');
    assert.equal(bucketOf(resolvePeriod({ kind: 'month', year: 2026, month: 11 })), 'day');
    assert.equal(bucketOf(resolvePeriod({ kind: 'quarter', year: 2026, quarter: 4 })), 'month');
  });
});

describe('handling on time, late and overdue', () => {
  const today = '2026-11-20';
  it('completed on the due date is on time, the day after is late', () => {
    assert.equal(handlingOutcome({ state: 'completed', dueDate: '2026-11-10', completedOn: '2026-11-10' }, today), 'on_time');
    assert.equal(handlingOutcome({ state: 'completed', dueDate: '2026-11-10', completedOn: '2026-11-11' }, today), 'late');
  });
  it('completed without a due date cannot be late', () => {
    assert.equal(handlingOutcome({ state: 'completed', dueDate: null, completedOn: '2026-11-11' }, today), 'on_time');
  });
  it('being handled past the due date is overdue now; on the due date itself it is not yet', () => {
    assert.equal(handlingOutcome({ state: 'in_progress', dueDate: '2026-11-19', completedOn: null }, today), 'overdue');
    assert.equal(handlingOutcome({ state: 'assigned', dueDate: '2026-11-20', completedOn: null }, today), 'open');
    assert.equal(handlingOutcome({ state: 'registered', dueDate: null, completedOn: null }, today), 'open');
  });
  it('refused and withdrawn documents are not counted as received', () => {
    assert.deepEqual(['awaiting', 'refused', 'registered', 'completed', 'withdrawn'].map(isReceived), [true, false, true, true, false]);
  });
});

describe('same-day issue compliance', () => {
  // Friday 2026-11-20; the next working morning is Monday 23rd until 12:00.
  const calendar = new WorkingCalendar([]);
  const signed = new Date('2026-11-20T09:00:00+07:00');
  const outcome = (issued: string | null, now = '2026-11-30T00:00:00+07:00') =>
    sameDayOutcome(issueTiming(signed, issued ? new Date(issued) : null, new Date(now), calendar));

  it('issued the signing day or the next working morning complies, later does not', () => {
    assert.equal(outcome('2026-11-20T16:00:00+07:00'), 'compliant');
    assert.equal(outcome('2026-11-23T11:59:00+07:00'), 'compliant');
    assert.equal(outcome('2026-11-23T12:01:00+07:00'), 'late');
  });
  it('still unissued counts against once the next working morning is over, and not before', () => {
    assert.equal(outcome(null, '2026-11-23T12:01:00+07:00'), 'late');
    assert.equal(outcome(null, '2026-11-21T10:00:00+07:00'), 'pending');
  });
  it('the percentage is of those judged, to one decimal, and none when nothing was judged', () => {
    assert.equal(compliancePercent(2, 1), 66.7);
    assert.equal(compliancePercent(5, 0), 100);
    assert.equal(compliancePercent(0, 0), null);
  });
});

describe('the province’s exchange figures', () => {
  it('the hub with an agency outside the directory is the national axis; inside delivery or the hub with one of ours is the province', () => {
    assert.equal(exchangeScope('hub', false), 'national');
    assert.equal(exchangeScope('hub', true), 'province');
    assert.equal(exchangeScope('internal', true), 'province');
    assert.equal(exchangeScope('paper', false), 'paper');
  });
});
