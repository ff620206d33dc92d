import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { statutoryHolidays } from '../src/calendar/holidays.js';
import { vietnamDay, WorkingCalendar } from '../src/calendar/working-days.js';

const holidays2026 = statutoryHolidays(2026).map((h) => ({ day: h.day, working: false }));

describe('working days', () => {
  const plain = new WorkingCalendar([]);

  it('counts Monday to Friday', () => {
    assert.equal(plain.addWorkingDays('2026-11-20', 3), '2026-11-25', 'Friday + 3 = Wednesday');
    assert.equal(plain.addWorkingDays('2026-11-23', 0), '2026-11-23');
    assert.equal(plain.addWorkingDays('2026-11-21', 0), '2026-11-23', 'a Saturday start moves to Monday');
    assert.equal(plain.addWorkingDays('2026-11-21', 1), '2026-11-24');
    assert.equal(plain.workingDaysBetween('2026-11-20', '2026-11-25'), 3);
    assert.equal(plain.workingDaysBetween('2026-11-25', '2026-11-20'), 0);
  });

  it('skips holidays and counts a worked Saturday', () => {
    const calendar = new WorkingCalendar([
      { day: '2026-09-02', working: false },
      { day: '2026-09-03', working: false },
      { day: '2026-09-05', working: true },
    ]);
    assert.equal(calendar.isWorkingDay('2026-09-02'), false);
    assert.equal(calendar.isWorkingDay('2026-09-05'), true);
    assert.equal(calendar.addWorkingDays('2026-09-01', 2), '2026-09-05');
    assert.equal(calendar.addWorkingDays('2026-09-01', 3), '2026-09-07');
  });

  it('refuses a malformed date or a negative count', () => {
    assert.throws(() => plain.addWorkingDays('2026-02-30', 1), RangeError);
    assert.throws(() => plain.addWorkingDays('26-11-20', 1), RangeError);
    assert.throws(() => plain.addWorkingDays('2026-11-20', -1), RangeError);
    assert.throws(() => plain.addWorkingDays('2026-11-20', 1.5), RangeError);
  });

  it('takes the calendar day in Vietnam, not in UTC', () => {
    assert.equal(vietnamDay(new Date('2026-11-24T17:30:00Z')), '2026-11-25');
    assert.equal(vietnamDay(new Date('2026-11-24T16:59:59Z')), '2026-11-24');
  });
});

describe('statutory holidays', () => {
  it('gives Tết five days from the last day of the old year, and the Hùng Kings’ day, in 2026', () => {
    const days = statutoryHolidays(2026);
    const tet = days.filter((d) => d.nameEn === 'Lunar New Year').map((d) => d.day);
    assert.deepEqual(tet, ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20']);
    assert.ok(days.some((d) => d.day === '2026-04-26' && d.nameVi === 'Giỗ Tổ Hùng Vương'));
  });

  it('makes up a holiday falling on a weekend on the next working day', () => {
    // 26/4/2026 (Hùng Kings) is a Sunday: made up on Monday 27/4.
    const days = statutoryHolidays(2026);
    assert.ok(days.some((d) => d.day === '2026-04-27' && d.nameVi === 'Nghỉ bù Giỗ Tổ Hùng Vương'));
    // 30/4/2028 is a Sunday and 1/5 a holiday already: made up on Tuesday 2/5.
    assert.ok(statutoryHolidays(2028).some((d) => d.day === '2028-05-02'));
  });

  it('has only fixed-date holidays for a year without lunar dates', () => {
    assert.equal(statutoryHolidays(2040).filter((d) => d.nameEn === 'Lunar New Year').length, 0);
    assert.ok(statutoryHolidays(2040).some((d) => d.day === '2040-09-02'));
  });

  it('moves a due date across Tết', () => {
    const calendar = new WorkingCalendar(holidays2026);
    assert.equal(calendar.addWorkingDays('2026-02-13', 1), '2026-02-23');
  });
});
