import type { IsoDate } from '../calendar/working-days.js';

/**
 * A dossier's life: open while documents are filed into it, closed when its matter ends,
 * transferred to the agency archive (within a year of closing, Nghị định 30/2020), and destroyed
 * only by a recorded appraisal decision once its retention period has run out.
 */
export const DOSSIER_STATES = ['open', 'closed', 'transferred', 'destroyed'] as const;
export type DossierState = (typeof DOSSIER_STATES)[number];

export const DOSSIER_ACTIONS = ['file', 'remove', 'close', 'reopen', 'transfer', 'appraise'] as const;
export type DossierAction = (typeof DOSSIER_ACTIONS)[number];

/** How a person stands to a dossier. */
export interface DossierStanding {
  /** The responsible person or the one who opened it: they keep it. */
  readonly keeper: boolean;
  /** Clerks keep the agency archive: they transfer closed dossiers. */
  readonly archivist: boolean;
  /** The agency's head decides what happens to a dossier whose retention has run out. */
  readonly appraiser: boolean;
}

/** What the dossier allows in `state`, before asking who asks. */
const BY_STATE: Record<DossierState, readonly DossierAction[]> = {
  open: ['file', 'remove', 'close'],
  closed: ['reopen', 'transfer'],
  transferred: ['appraise'],
  destroyed: [],
};

/**
 * What a person may do with a dossier now. Its keeper files, removes, closes and reopens (with a
 * reason); the clerk may reopen too, as the one who finds a mistake before transfer; only the
 * clerk transfers; only the agency leader appraises, and only once the retention has run out.
 */
export function dossierActions(state: DossierState, standing: DossierStanding, appraisalDue: boolean): DossierAction[] {
  return BY_STATE[state].filter((action) => {
    switch (action) {
      case 'file':
      case 'remove':
      case 'close':
        return standing.keeper;
      case 'reopen':
        return standing.keeper || standing.archivist;
      case 'transfer':
        return standing.archivist;
      case 'appraise':
        return standing.appraiser && appraisalDue;
    }
  });
}

/** The state an allowed action leads to. */
export function nextState(state: DossierState, action: 'close' | 'reopen' | 'transfer' | 'destroy'): DossierState {
  const moves: Record<typeof action, [DossierState, DossierState]> = {
    close: ['open', 'closed'],
    reopen: ['closed', 'open'],
    transfer: ['closed', 'transferred'],
    destroy: ['transferred', 'destroyed'],
  };
  const [from, to] = moves[action];
  if (state !== from) throw new RangeError(`A ${state} dossier cannot be ${action}d`);
  return to;
}

/** The same day `years` years later; 29 February becomes 28 February in a common year. */
export function addYears(day: IsoDate, years: number): IsoDate {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const year = y + years;
  const last = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** The last day a closed dossier may reach the agency archive: one year after it was closed. */
export function transferDeadline(endDate: IsoDate): IsoDate {
  return addYears(endDate, 1);
}

export type TransferReminder = 'transfer_soon' | 'transfer_overdue';

/** How long before the deadline the keepers and clerks are first reminded. */
export const TRANSFER_WARNING_MONTHS = 1;

/** The first day of the warning: a month before the deadline (the last day of a shorter month). */
export function transferWarningFrom(endDate: IsoDate): IsoDate {
  const deadline = transferDeadline(endDate);
  const [y, m, d] = deadline.split('-').map(Number) as [number, number, number];
  const month = m - TRANSFER_WARNING_MONTHS;
  const year = month < 1 ? y - 1 : y;
  const mm = month < 1 ? month + 12 : month;
  const last = new Date(Date.UTC(year, mm, 0)).getUTCDate();
  return `${year}-${String(mm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** Which reminder a closed, untransferred dossier calls for on `today`: none, the month's warning, or past the deadline. */
export function transferReminderFor(endDate: IsoDate, today: IsoDate): TransferReminder | null {
  if (today > transferDeadline(endDate)) return 'transfer_overdue';
  return today >= transferWarningFrom(endDate) ? 'transfer_soon' : null;
}

/**
 * The last year a dossier is kept: its retention counts whole years from the year it was closed
 * (a dossier closed in 2026 and kept 10 years is kept to the end of 2036). Null: permanent.
 */
export function keptUntilYear(endDate: IsoDate, retentionYears: number | null): number | null {
  if (retentionYears === null) return null;
  return Number(endDate.slice(0, 4)) + retentionYears;
}

/** Due for appraisal once the last year it is kept has ended. A permanent dossier never is. */
export function appraisalDue(keepUntilYear: number | null, today: IsoDate): boolean {
  return keepUntilYear !== null && Number(today.slice(0, 4)) > keepUntilYear;
}

/** After a decision to keep it `extraYears` more: counted from the year of the decision, never shortening what was set. */
export function extendedKeepUntil(keepUntilYear: number, extraYears: number, today: IsoDate): number {
  return Math.max(keepUntilYear, Number(today.slice(0, 4))) + extraYears;
}

/** A plan entry's code carried into another year: a trailing ".2025" becomes ".2026"; other codes stay as written. */
export function codeForYear(code: string, fromYear: number, toYear: number): string {
  const suffix = `.${fromYear}`;
  return code.endsWith(suffix) ? `${code.slice(0, -suffix.length)}.${toYear}` : code;
}
