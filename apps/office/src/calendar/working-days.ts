/**
 * Working days: Monday to Friday, minus public holidays, plus the Saturdays
 * the Government sometimes declares working days in exchange for a bridge day.
 * Dates are plain `yyyy-mm-dd` strings: a due date is a calendar day in
 * Vietnam, not an instant, so no time zone may shift it.
 */
export type IsoDate = string;

export interface CalendarException {
  readonly day: IsoDate;
  /** true: a weekend day worked (làm bù); false: a weekday off (holiday). */
  readonly working: boolean;
}

export class WorkingCalendar {
  private readonly exceptions: ReadonlyMap<IsoDate, boolean>;

  constructor(exceptions: Iterable<CalendarException>) {
    this.exceptions = new Map([...exceptions].map((e) => [e.day, e.working]));
  }

  isWorkingDay(day: IsoDate): boolean {
    const exception = this.exceptions.get(day);
    if (exception !== undefined) return exception;
    const weekday = toDate(day).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /**
   * The day `n` working days after `start` (n ≥ 0): a document received on a
   * Friday with 3 working days to answer is due the following Wednesday.
   * With n = 0, the first working day on or after `start`.
   */
  addWorkingDays(start: IsoDate, n: number): IsoDate {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`a whole number of days ≥ 0, not ${n}`);
    let day = start;
    while (!this.isWorkingDay(day)) day = nextDay(day);
    for (let left = n; left > 0;) {
      day = nextDay(day);
      if (this.isWorkingDay(day)) left--;
    }
    return day;
  }

  /** Working days after `from` up to and including `to` (0 when `to` is not later). */
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    let count = 0;
    for (let day = nextDay(from); day <= to; day = nextDay(day)) if (this.isWorkingDay(day)) count++;
    return count;
  }
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;

function toDate(day: IsoDate): Date {
  const date = new Date(`${day}T00:00:00Z`);
  if (!ISO.test(day) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day) {
    throw new RangeError(`not a date: ${day}`);
  }
  return date;
}

export function nextDay(day: IsoDate): IsoDate {
  const date = toDate(day);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/** The calendar day in Vietnam (UTC+7, no daylight saving) of an instant. */
export function vietnamDay(instant: Date): IsoDate {
  return new Date(instant.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}
