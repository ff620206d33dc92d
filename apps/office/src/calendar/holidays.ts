import { nextDay, type IsoDate } from './working-days.js';

export interface Holiday {
  readonly day: IsoDate;
  readonly nameVi: string;
  readonly nameEn: string;
}

/**
 * Lunar New Year's day (mùng 1 Tết) and the Hùng Kings' day (10/3 lunar) in
 * the Vietnamese calendar (UTC+7). Years outside this table get no lunar
 * holidays preloaded: an administrator enters them.
 */
const LUNAR: Readonly<Record<number, { tet: IsoDate; hungKings: IsoDate }>> = {
  2024: { tet: '2024-02-10', hungKings: '2024-04-18' },
  2025: { tet: '2025-01-29', hungKings: '2025-04-07' },
  2026: { tet: '2026-02-17', hungKings: '2026-04-26' },
  2027: { tet: '2027-02-06', hungKings: '2027-04-16' },
  2028: { tet: '2028-01-26', hungKings: '2028-04-04' },
  2029: { tet: '2029-02-13', hungKings: '2029-04-23' },
  2030: { tet: '2030-02-03', hungKings: '2030-04-12' },
};

export const FIRST_PRELOADED_YEAR = 2024;
export const LAST_PRELOADED_YEAR = 2030;

function shift(day: IsoDate, days: number): IsoDate {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function isWeekend(day: IsoDate): boolean {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/**
 * The public holidays of the Labour Code 2019 (art. 112) for one year, as the
 * default calendar: New Year's day; Tết, five days from the last day of the old
 * year; the Hùng Kings' day; 30 April and 1 May; 2 September and the day after.
 * A holiday on a weekend is made up on the next working day (art. 111). Each
 * year's Government decision may move days (bridge days, worked Saturdays):
 * administrators record those in the calendar.
 */
export function statutoryHolidays(year: number): Holiday[] {
  const lunar = LUNAR[year];
  const days: Holiday[] = [{ day: `${year}-01-01`, nameVi: 'Tết Dương lịch', nameEn: 'New Year' }];
  if (lunar) {
    for (let i = -1; i < 4; i++) days.push({ day: shift(lunar.tet, i), nameVi: 'Tết Nguyên đán', nameEn: 'Lunar New Year' });
    days.push({ day: lunar.hungKings, nameVi: 'Giỗ Tổ Hùng Vương', nameEn: 'Hùng Kings’ Commemoration' });
  }
  days.push(
    { day: `${year}-04-30`, nameVi: 'Ngày Chiến thắng', nameEn: 'Reunification Day' },
    { day: `${year}-05-01`, nameVi: 'Ngày Quốc tế Lao động', nameEn: 'International Labour Day' },
    { day: `${year}-09-02`, nameVi: 'Quốc khánh', nameEn: 'National Day' },
    { day: `${year}-09-03`, nameVi: 'Quốc khánh', nameEn: 'National Day' },
  );
  const taken = new Set(days.map((d) => d.day));
  const makeUps: Holiday[] = [];
  for (const h of days) {
    if (!isWeekend(h.day)) continue;
    let day = nextDay(h.day);
    while (isWeekend(day) || taken.has(day)) day = nextDay(day);
    taken.add(day);
    makeUps.push({ day, nameVi: `Nghỉ bù ${h.nameVi}`, nameEn: `${h.nameEn} (made up)` });
  }
  return [...days, ...makeUps].sort((a, b) => a.day.localeCompare(b.day));
}
