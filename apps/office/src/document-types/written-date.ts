import type { IsoDate } from '../calendar/working-days.js';

/** A date as a document writes it: "ngày 05 tháng 3 năm 2026". */
export interface WrittenDate {
  readonly day: string;
  readonly month: string;
  readonly year: string;
}

/** Nghị định 30/2020, Phụ lục I: days below 10 and the months 1 and 2 are written with a leading zero. */
export function writtenDateOf(day: IsoDate): WrittenDate {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return { day: String(date).padStart(2, '0'), month: month <= 2 ? `0${month}` : String(month), year: String(year) };
}

/** "ngày 05 tháng 3 năm 2026". */
export function writtenDate(day: IsoDate): string {
  const d = writtenDateOf(day);
  return `ngày ${d.day} tháng ${d.month} năm ${d.year}`;
}
