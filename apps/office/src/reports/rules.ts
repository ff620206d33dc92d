import type { IsoDate } from '../calendar/working-days.js';
import type { IssueTiming } from '../outgoing/same-day.js';

/**
 * The rules the reports count by, one document at a time. The report queries (figures.ts) say
 * the same in SQL, for a whole period at once; the office test judges every document of its
 * scenario with these functions and holds the report's figures to the result.
 */

/** Refused and withdrawn documents were not taken in, or were taken back: they are not among those received. */
export function isReceived(state: string): boolean {
  return state !== 'refused' && state !== 'withdrawn';
}

export type HandlingOutcome = 'on_time' | 'late' | 'overdue' | 'open';

/**
 * How the handling of a received document stands on `today` (a Vietnam date): completed on or
 * before its due date (or with none) is on time, after it late; not completed and being handled
 * past its due date is overdue now; anything else is still open.
 */
export function handlingOutcome(
  doc: { readonly state: string; readonly dueDate: IsoDate | null; readonly completedOn: IsoDate | null },
  today: IsoDate,
): HandlingOutcome {
  if (doc.state === 'completed')
    return doc.dueDate !== null && doc.completedOn !== null && doc.completedOn > doc.dueDate ? 'late' : 'on_time';
  if ((doc.state === 'assigned' || doc.state === 'in_progress') && doc.dueDate !== null && doc.dueDate < today) return 'overdue';
  return 'open';
}

export type SameDayOutcome = 'compliant' | 'late' | 'pending';

/**
 * Quyết định 28/2018/QĐ-TTg for the report: issued on the signing day or the next working
 * morning complies; issued later, or still not issued past that morning, does not; a document
 * signed and still within its time is not counted either way yet.
 */
export function sameDayOutcome(timing: IssueTiming): SameDayOutcome {
  if (timing.issued) return timing.on === 'late' ? 'late' : 'compliant';
  return timing.flag === 'late' ? 'late' : 'pending';
}

/** The share of documents that complied, in percent with one decimal, or null when none was judged. */
export function compliancePercent(compliant: number, late: number): number | null {
  const judged = compliant + late;
  return judged === 0 ? null : Math.round((compliant / judged) * 1000) / 10;
}

/**
 * Which exchange a document belongs to in the province's figures: "inside the province" when the
 * other agency is in this installation's directory (internal delivery, or the hub with such an
 * agency), "through the national axis" when it went through the hub to or from an agency that is
 * not; paper is neither.
 */
export type ExchangeScope = 'province' | 'national' | 'paper';

export function exchangeScope(channel: 'hub' | 'internal' | 'paper', otherAgencyInDirectory: boolean): ExchangeScope {
  if (channel === 'paper') return 'paper';
  if (channel === 'internal') return 'province';
  return otherAgencyInDirectory ? 'province' : 'national';
}
