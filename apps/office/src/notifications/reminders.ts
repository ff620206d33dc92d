import { sql, type Kysely } from 'kysely';
import { loadCalendar } from '../calendar/store.js';
import { nextDay, vietnamDay, type IsoDate, type WorkingCalendar } from '../calendar/working-days.js';
import { departmentMembers, peopleFor, type AssignedPart, type DepartmentMember } from '../incoming/assignees.js';
import type { OfficeSchema } from '../schema.js';
import { notify, type Notice } from './notify.js';

export type ReminderKind = 'due_soon' | 'overdue';

/**
 * The last due date that counts as "soon" on `today`: the next working day after it. On a Friday
 * that is Monday, so a document due on the weekend or on Monday is flagged before people go home.
 */
export function dueSoonHorizon(today: IsoDate, calendar: WorkingCalendar): IsoDate {
  return calendar.addWorkingDays(nextDay(today), 0);
}

/**
 * Which reminder a document due on `due` calls for on `today` (both Vietnam days): overdue once the
 * due day has passed, due soon from the working day before it (or from the last working day before
 * a weekend or holiday run), none before that.
 */
export function reminderFor(due: IsoDate, today: IsoDate, calendar: WorkingCalendar): ReminderKind | null {
  if (due < today) return 'overdue';
  return due <= dueSoonHorizon(today, calendar) ? 'due_soon' : null;
}

/** dd/mm/yyyy, as dates are written in Vietnam. */
export function formatDay(day: IsoDate): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

/** A one-line, at most `max` characters version of a subject, cut at a word where one is near. */
export function shorten(text: string, max = 80): string {
  const flat = text.normalize('NFC').replace(/\s+/g, ' ').trim();
  // Code points, so a cut never splits a character.
  const chars = Array.from(flat);
  if (chars.length <= max) return flat;
  let cut = chars.slice(0, max - 1).join('');
  // Unless the cut falls just before a space, drop the partial last word (when a word boundary is near).
  const space = cut.lastIndexOf(' ');
  if (chars[max - 1] !== ' ' && space > 0 && space >= cut.length - 20) cut = cut.slice(0, space);
  return `${cut.replace(/[\s,;:.–-]+$/u, '')}…`;
}

export interface ReminderDocument {
  readonly id: string;
  readonly agencyId: string;
  readonly number: string;
  readonly notation: string;
  readonly subject: string;
  readonly dueDate: IsoDate;
}

/** The notice for one document, in both languages; its key changes with the due date, so a new date reminds again. */
export function reminderNotice(kind: ReminderKind, doc: ReminderDocument): Notice {
  const label = [doc.number, doc.notation].filter((s) => s.trim() !== '').join('/');
  const subject = `“${shorten(doc.subject)}”`;
  const vi = label ? `văn bản số ${label} ${subject}` : `văn bản ${subject}`;
  const en = label ? `document ${label} ${subject}` : `document ${subject}`;
  const day = formatDay(doc.dueDate);
  return {
    agencyId: doc.agencyId,
    incomingId: doc.id,
    kind,
    vi: kind === 'due_soon' ? `Sắp đến hạn xử lý ngày ${day}: ${vi}.` : `Quá hạn xử lý (hạn ngày ${day}): ${vi}.`,
    en: kind === 'due_soon' ? `Due on ${day}: ${en}.` : `Overdue (due ${day}): ${en}.`,
    once: `${kind}:${doc.id}:${doc.dueDate}`,
  };
}

export interface HandlerAssignment extends AssignedPart {
  readonly incomingId: string;
}

/** Who is reminded for each document: its lead and co-handlers, as `peopleFor` reaches them. */
export function handlersOf(
  assignments: readonly HandlerAssignment[],
  members: readonly (DepartmentMember & { readonly agencyId: string })[],
  agencyOf: ReadonlyMap<string, string>,
): Map<string, Set<string>> {
  const byDocument = new Map<string, HandlerAssignment[]>();
  for (const a of assignments) byDocument.set(a.incomingId, [...(byDocument.get(a.incomingId) ?? []), a]);
  const handlers = new Map<string, Set<string>>();
  for (const [incomingId, parts] of byDocument) {
    const agencyId = agencyOf.get(incomingId);
    handlers.set(
      incomingId,
      new Set(
        peopleFor(
          parts,
          members.filter((m) => m.agencyId === agencyId),
        ),
      ),
    );
  }
  return handlers;
}

export interface ReminderCounts {
  /** Notices created by this run (a second run on the same day creates none). */
  readonly dueSoon: number;
  readonly overdue: number;
}

// Long enough to reach the next working day past any run of holidays (Tết with its weekends).
const CALENDAR_SPAN_DAYS = 40;

/**
 * Reminds the handlers of every document being handled whose due date is near or past, and the
 * leader who directed it once it is overdue. Safe to run as often as wanted and from several
 * processes at once: each reminder carries a key, so it is given once per document, due date and person.
 */
export async function remindDueDates(db: Kysely<OfficeSchema>, now = new Date(), pageSize = 200): Promise<ReminderCounts> {
  const today = vietnamDay(now);
  let last = today;
  for (let i = 0; i < CALENDAR_SPAN_DAYS; i++) last = nextDay(last);
  const calendar = await loadCalendar(db, today, last);
  const horizon = dueSoonHorizon(today, calendar);

  const counts = { dueSoon: 0, overdue: 0 };
  let after: { agencyId: string; dueDate: string; id: string } | null = null;
  for (;;) {
    // Keyset pages along the partial index of documents being handled (agency, due date).
    let query = db
      .selectFrom('incoming_documents')
      .select(['id', 'agency_id', 'number', 'notation', 'subject', 'due_date', 'directed_by'])
      .where('state', 'in', ['assigned', 'in_progress'])
      .where('due_date', 'is not', null)
      .where('due_date', '<=', horizon);
    if (after) {
      query = query.where(sql<boolean>`(agency_id, due_date, id) > (${after.agencyId}::uuid, ${after.dueDate}::date, ${after.id}::uuid)`);
    }
    const rows = await query.orderBy('agency_id').orderBy('due_date').orderBy('id').limit(pageSize).execute();
    if (rows.length === 0) break;
    const documents = rows.map((r) => ({ ...r, due_date: r.due_date! }));

    const ids = documents.map((d) => d.id);
    const assignments = await db
      .selectFrom('incoming_assignments')
      .select(['incoming_id as incomingId', 'user_id as userId', 'department_id as departmentId'])
      .where('incoming_id', 'in', ids)
      .where('part', 'in', ['lead', 'co'])
      .execute();
    const departmentIds = [...new Set(assignments.flatMap((a) => (a.departmentId ? [a.departmentId] : [])))];
    const agencyIds = [...new Set(documents.map((d) => d.agency_id))];
    const members = await departmentMembers(db, agencyIds, departmentIds);
    const handlers = handlersOf(assignments, members, new Map(documents.map((d) => [d.id, d.agency_id])));

    for (const d of documents) {
      const kind = reminderFor(d.due_date, today, calendar);
      if (!kind) continue;
      const users = [...(handlers.get(d.id) ?? [])];
      if (kind === 'overdue' && d.directed_by) users.push(d.directed_by);
      const notice = reminderNotice(kind, {
        id: d.id,
        agencyId: d.agency_id,
        number: d.number,
        notation: d.notation,
        subject: d.subject,
        dueDate: d.due_date,
      });
      const created = await notify(db, users, notice);
      if (kind === 'overdue') counts.overdue += created;
      else counts.dueSoon += created;
    }

    if (rows.length < pageSize) break;
    const end = documents[documents.length - 1]!;
    after = { agencyId: end.agency_id, dueDate: end.due_date, id: end.id };
  }
  return counts;
}
