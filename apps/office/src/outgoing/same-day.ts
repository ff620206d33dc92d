import { nextDay, vietnamDay, type IsoDate, type WorkingCalendar } from '../calendar/working-days.js';

/**
 * Quyết định 28/2018/QĐ-TTg: a signed document is issued the day it is signed, at the latest the
 * morning of the next working day. What that means for one document, judged on Vietnam's clock.
 */
export type IssueTiming =
  /** Issued: on the signing day, the next working morning, or later. */
  | { readonly issued: true; readonly on: 'same_day' | 'next_morning' | 'late' }
  /**
   * Not issued yet: still within the signing day's working hours (`none`), past them and so shown
   * to the clerk (`past_signing_day`), or past the next working morning too (`late`).
   */
  | { readonly issued: false; readonly flag: 'none' | 'past_signing_day' | 'late' };

export interface WorkingHours {
  /** The hour (Vietnam time) the working day ends: unissued documents signed that day are flagged after it. */
  readonly endHour: number;
  /** The hour the next working morning ends: issuing after it is late. */
  readonly morningEndHour: number;
}

export const DEFAULT_HOURS: WorkingHours = { endHour: 17, morningEndHour: 12 };

/** An instant at a whole hour of a Vietnam calendar day. */
function vietnamHour(day: IsoDate, hour: number): Date {
  return new Date(`${day}T${String(hour).padStart(2, '0')}:00:00+07:00`);
}

/** The deadlines of a document signed at `signedAt`: end of the signing day, end of the next working morning. */
export function issueDeadlines(signedAt: Date, calendar: WorkingCalendar, hours: WorkingHours = DEFAULT_HOURS) {
  const signingDay = vietnamDay(signedAt);
  const nextWorkingDay = calendar.addWorkingDays(nextDay(signingDay), 0);
  return {
    signingDay,
    endOfSigningDay: vietnamHour(signingDay, hours.endHour),
    nextWorkingDay,
    endOfNextMorning: vietnamHour(nextWorkingDay, hours.morningEndHour),
  };
}

export function issueTiming(
  signedAt: Date,
  issuedAt: Date | null,
  now: Date,
  calendar: WorkingCalendar,
  hours: WorkingHours = DEFAULT_HOURS,
): IssueTiming {
  const d = issueDeadlines(signedAt, calendar, hours);
  if (issuedAt) {
    if (vietnamDay(issuedAt) === d.signingDay) return { issued: true, on: 'same_day' };
    return { issued: true, on: issuedAt <= d.endOfNextMorning ? 'next_morning' : 'late' };
  }
  if (now > d.endOfNextMorning) return { issued: false, flag: 'late' };
  if (now > d.endOfSigningDay || vietnamDay(now) !== d.signingDay) return { issued: false, flag: 'past_signing_day' };
  return { issued: false, flag: 'none' };
}
