import type { BlobStore } from '@vanban/db';
import type { Kysely, Transaction } from 'kysely';
import { loadCalendar } from '../calendar/store.js';
import { vietnamDay, type IsoDate } from '../calendar/working-days.js';
import { AppError } from '../http/errors.js';
import { notify } from '../notifications/notify.js';
import type { AssignmentPart, OfficeSchema } from '../schema.js';
import { act, type Acting, type Target } from './acting.js';
import { peopleOf, type Assignee } from './assignees.js';
import { deliverInternally } from './internal-delivery.js';
import { writtenCode } from '../document-types/notation.js';

/** How a document is named in notices: its number and notation, and the start of its subject. */
function named(doc: { number: string; notation: string; subject: string }): string {
  const code = writtenCode(doc);
  const subject = doc.subject.length > 80 ? `${doc.subject.slice(0, 79)}…` : doc.subject;
  return `${code} (${subject})`;
}

function dayMonthYear(day: IsoDate): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

/** The clerk submits a registered document to a leader of the agency for direction. */
export function submitIncoming(db: Kysely<OfficeSchema>, files: BlobStore, target: Target & { readonly leaderId: string }): Promise<void> {
  return act(db, files, target, 'submit', undefined, async ({ tx, doc, now }) => {
    const leader = await tx
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select(['users.id', 'users.full_name'])
      .where('memberships.agency_id', '=', target.agencyId)
      .where('memberships.user_id', '=', target.leaderId)
      .where((eb) =>
        eb.or([eb(eb.val('agency_leader'), '=', eb.fn.any('roles')), eb(eb.val('department_leader'), '=', eb.fn.any('roles'))]),
      )
      .executeTakeFirst();
    if (!leader) throw new AppError('invalid_leader');
    await notify(tx, [leader.id], {
      agencyId: target.agencyId,
      incomingId: doc.id,
      kind: 'submitted',
      vi: `Văn bản đến ${named(doc)} được trình xin ý kiến chỉ đạo.`,
      en: `Incoming document ${named(doc)} is submitted for your direction.`,
    });
    return {
      result: undefined,
      set: { submitted_to: leader.id, submitted_at: now, return_reason: null },
      details: { leader: { id: leader.id, name: leader.full_name } },
    };
  });
}

/** The leader sends a submitted document back to the clerk, saying why. */
export function returnIncoming(db: Kysely<OfficeSchema>, files: BlobStore, target: Target & { readonly reason: string }): Promise<void> {
  const reason = target.reason.trim();
  return act(db, files, target, 'return', reason, async ({ tx, doc }) => {
    await notify(tx, doc.registered_by ? [doc.registered_by] : [], {
      agencyId: target.agencyId,
      incomingId: doc.id,
      kind: 'returned',
      vi: `Văn bản đến ${named(doc)} bị trả lại: ${reason}`,
      en: `Incoming document ${named(doc)} was returned: ${reason}`,
    });
    return { result: undefined, set: { submitted_to: null, return_reason: reason } };
  });
}

export interface Assignment {
  readonly direction: string;
  readonly lead: Assignee;
  readonly co: readonly Assignee[];
  readonly info: readonly Assignee[];
  /** A due date given outright, or counted in working days from today; neither: no due date. */
  readonly dueDate?: IsoDate;
  readonly dueInWorkingDays?: number;
}

function keyOf(a: Assignee): string {
  return 'userId' in a ? a.userId : a.departmentId;
}

/** The due date an assignment asks for, in working days from the Vietnam day of `now` or as given. */
export async function dueDateOf(db: Kysely<OfficeSchema>, assignment: Assignment, now: Date): Promise<IsoDate | null> {
  const today = vietnamDay(now);
  if (assignment.dueInWorkingDays !== undefined) {
    const n = assignment.dueInWorkingDays;
    // Two calendar weeks per working week, plus Tết, is always enough room.
    const horizon = vietnamDay(new Date(now.getTime() + (n * 2 + 30) * 86_400_000));
    return (await loadCalendar(db, today, horizon)).addWorkingDays(today, n);
  }
  if (assignment.dueDate !== undefined && assignment.dueDate < today) throw new AppError('invalid_due_date');
  return assignment.dueDate ?? null;
}

/** Checks that every assignee is a member or a department of this agency, and that none has two parts. */
async function checkAssignees(tx: Transaction<OfficeSchema>, agencyId: string, all: readonly Assignee[]): Promise<Map<string, string>> {
  const keys = all.map(keyOf);
  if (new Set(keys).size !== keys.length) throw new AppError('invalid_assignee', { reason: 'someone is named twice' });
  const userIds = all.flatMap((a) => ('userId' in a ? [a.userId] : []));
  const departmentIds = all.flatMap((a) => ('departmentId' in a ? [a.departmentId] : []));
  const names = new Map<string, string>();
  if (userIds.length > 0) {
    const users = await tx
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select(['users.id', 'users.full_name as name'])
      .where('memberships.agency_id', '=', agencyId)
      .where('users.id', 'in', userIds)
      .execute();
    for (const u of users) names.set(u.id, u.name);
  }
  if (departmentIds.length > 0) {
    const departments = await tx
      .selectFrom('departments')
      .select(['id', 'name'])
      .where('agency_id', '=', agencyId)
      .where('id', 'in', departmentIds)
      .execute();
    for (const d of departments) names.set(d.id, d.name);
  }
  const unknown = keys.filter((k) => !names.has(k));
  if (unknown.length > 0) throw new AppError('invalid_assignee', { unknown });
  return names;
}

const PART_WORDS: Record<AssignmentPart, { vi: string; en: string }> = {
  lead: { vi: 'xử lý chính', en: 'to lead the handling of' },
  co: { vi: 'phối hợp xử lý', en: 'to help handle' },
  info: { vi: 'để biết', en: 'for information on' },
};

/**
 * A leader writes a direction and shares the work out: one lead, co-handlers and people kept
 * informed, with a due date in working days. Assigning again replaces the parts (the journal keeps
 * the earlier ones); status 04 goes to the sender.
 */
export function assignIncoming(
  db: Kysely<OfficeSchema>,
  files: BlobStore,
  target: Target & { readonly assignment: Assignment },
): Promise<{ dueDate: IsoDate | null }> {
  const { assignment } = target;
  return act(db, files, target, 'assign', undefined, async ({ tx, doc, now }) => {
    const parts: { part: AssignmentPart; who: Assignee }[] = [
      { part: 'lead', who: assignment.lead },
      ...assignment.co.map((who) => ({ part: 'co' as const, who })),
      ...assignment.info.map((who) => ({ part: 'info' as const, who })),
    ];
    const names = await checkAssignees(
      tx,
      target.agencyId,
      parts.map((p) => p.who),
    );
    const dueDate = await dueDateOf(tx, assignment, now);
    await tx.deleteFrom('incoming_assignments').where('incoming_id', '=', doc.id).execute();
    const rows = parts.map(({ part, who }) => ({
      incoming_id: doc.id,
      part,
      user_id: 'userId' in who ? who.userId : null,
      department_id: 'departmentId' in who ? who.departmentId : null,
      assigned_by: target.actor.userId,
      assigned_at: now,
      input: null,
      input_at: null,
    }));
    await tx.insertInto('incoming_assignments').values(rows).execute();
    const due = dueDate ? { vi: `, hạn ${dayMonthYear(dueDate)}`, en: `, due ${dayMonthYear(dueDate)}` } : { vi: '', en: '' };
    for (const part of ['lead', 'co', 'info'] as const) {
      const people = await peopleOf(
        tx,
        target.agencyId,
        rows.filter((r) => r.part === part),
      );
      await notify(tx, people, {
        agencyId: target.agencyId,
        incomingId: doc.id,
        kind: `assigned_${part}`,
        vi: `Bạn được giao ${PART_WORDS[part].vi} văn bản ${named(doc)}${part === 'info' ? '' : due.vi}.`,
        en: `You are assigned ${PART_WORDS[part].en} document ${named(doc)}${part === 'info' ? '' : due.en}.`,
      });
    }
    const described = (list: readonly Assignee[]) => list.map((a) => ({ ...a, name: names.get(keyOf(a)) ?? '' }));
    const leadName = names.get(keyOf(assignment.lead)) ?? '';
    return {
      result: { dueDate },
      set: { direction: assignment.direction.trim() || null, directed_by: target.actor.userId, directed_at: now, due_date: dueDate },
      details: {
        direction: assignment.direction.trim(),
        lead: described([assignment.lead])[0]!,
        co: described(assignment.co),
        info: described(assignment.info),
        dueDate,
      },
      statusText: `Giao ${leadName} xử lý chính${due.vi}.`,
    };
  });
}

/** The people who lead the handling now: told of co-handlers' input and of a reopening. */
async function leadPeople(acting: Acting): Promise<string[]> {
  const lead = await acting.tx
    .selectFrom('incoming_assignments')
    .select(['user_id', 'department_id'])
    .where('incoming_id', '=', acting.doc.id)
    .where('part', '=', 'lead')
    .execute();
  return peopleOf(acting.tx, acting.doc.agency_id, lead);
}

/** The lead handler says how the work goes; status 05 with the note goes to the sender. */
export function reportProgress(db: Kysely<OfficeSchema>, files: BlobStore, target: Target & { readonly note: string }): Promise<void> {
  const note = target.note.trim();
  return act(db, files, target, 'report_progress', note, async ({ tx, doc }) => {
    await notify(tx, doc.directed_by && doc.directed_by !== target.actor.userId ? [doc.directed_by] : [], {
      agencyId: target.agencyId,
      incomingId: doc.id,
      kind: 'progress',
      vi: `Tiến độ xử lý văn bản ${named(doc)}: ${note}`,
      en: `Progress on document ${named(doc)}: ${note}`,
    });
    return { result: undefined, statusText: note };
  });
}

/** A co-handler gives their input to the lead. */
export function giveInput(db: Kysely<OfficeSchema>, files: BlobStore, target: Target & { readonly input: string }): Promise<void> {
  const input = target.input.trim();
  return act(db, files, target, 'give_input', input, async (acting) => {
    const { tx, doc, now } = acting;
    await tx
      .updateTable('incoming_assignments')
      .set({ input, input_at: now })
      .where('incoming_id', '=', doc.id)
      .where('part', '=', 'co')
      .where((eb) => {
        const mine = [eb('user_id', '=', target.actor.userId)];
        if (target.actor.departmentId) mine.push(eb('department_id', '=', target.actor.departmentId));
        return eb.or(mine);
      })
      .execute();
    await notify(
      tx,
      (await leadPeople(acting)).filter((id) => id !== target.actor.userId),
      {
        agencyId: target.agencyId,
        incomingId: doc.id,
        kind: 'input',
        vi: `Ý kiến phối hợp về văn bản ${named(doc)}: ${input}`,
        en: `Input on document ${named(doc)}: ${input}`,
      },
    );
    return { result: undefined };
  });
}

/** A handler adds a file to the document (a draft answer, a report), kept after the sender's files. */
export function attachFile(
  db: Kysely<OfficeSchema>,
  files: BlobStore,
  target: Target & { readonly file: { readonly bytes: Buffer; readonly name: string; readonly contentType: string } },
): Promise<{ position: number }> {
  return act(db, files, target, 'attach_file', undefined, async ({ tx, doc, now }) => {
    const stored = await files.put(target.file.bytes);
    const last = await tx
      .selectFrom('incoming_files')
      .select((eb) => eb.fn.max('position').as('position'))
      .where('incoming_id', '=', doc.id)
      .executeTakeFirst();
    const position = (last?.position ?? 0) + 1;
    await tx
      .insertInto('incoming_files')
      .values({
        incoming_id: doc.id,
        position,
        name: target.file.name,
        content_type: target.file.contentType,
        sha256: stored.sha256,
        size: stored.size,
        added_by: target.actor.userId,
        added_at: now,
      })
      .execute();
    return { result: { position }, details: { file: { position, name: target.file.name, sha256: stored.sha256, size: stored.size } } };
  });
}

/**
 * The lead handler completes the document with its result and, when the answer was a document of
 * this agency, a link to it; status 06 goes to the sender.
 */
export function completeIncoming(
  db: Kysely<OfficeSchema>,
  files: BlobStore,
  target: Target & { readonly result: string; readonly replyDocumentId?: string },
): Promise<void> {
  const result = target.result.trim();
  return act(db, files, target, 'complete', result, async ({ tx, doc, now }) => {
    if (target.replyDocumentId) {
      // Issued here (to whoever, by whichever channel), or sent through the hub by this agency.
      const issued = await tx
        .selectFrom('outgoing_documents')
        .select('id')
        .where('agency_id', '=', target.agencyId)
        .where('document_id', '=', target.replyDocumentId)
        .where('state', '=', 'issued')
        .executeTakeFirst();
      const sent = issued
        ? issued
        : await tx
            .selectFrom('hub_outbox')
            .select('id')
            .where('kind', '=', 'document')
            .where('from_code', '=', doc.agency_code)
            .where('document_id', '=', target.replyDocumentId)
            .executeTakeFirst();
      if (!sent) throw new AppError('invalid_reply');
    }
    await notify(tx, doc.directed_by && doc.directed_by !== target.actor.userId ? [doc.directed_by] : [], {
      agencyId: target.agencyId,
      incomingId: doc.id,
      kind: 'completed',
      vi: `Văn bản ${named(doc)} đã xử lý xong: ${result}`,
      en: `Document ${named(doc)} is completed: ${result}`,
    });
    return {
      result: undefined,
      set: { result, completed_at: now, reply_document_id: target.replyDocumentId ?? null },
      details: { replyDocumentId: target.replyDocumentId ?? null },
      statusText: result,
    };
  });
}

/** A leader reopens a completed document, saying why; the lead handler takes it up again. */
export function reopenIncoming(db: Kysely<OfficeSchema>, files: BlobStore, target: Target & { readonly reason: string }): Promise<void> {
  const reason = target.reason.trim();
  return act(db, files, target, 'reopen', reason, async (acting) => {
    await notify(acting.tx, await leadPeople(acting), {
      agencyId: target.agencyId,
      incomingId: acting.doc.id,
      kind: 'reopened',
      vi: `Văn bản ${named(acting.doc)} cần xử lý lại: ${reason}`,
      en: `Document ${named(acting.doc)} is reopened: ${reason}`,
    });
    return { result: undefined, set: { completed_at: null }, statusText: reason };
  });
}

/**
 * Forwards the document to another agency of this installation (it was meant for them, or they
 * must know): a copy with the same files lands in their awaiting list; it stays where it is here.
 */
export function forwardIncoming(
  db: Kysely<OfficeSchema>,
  files: BlobStore,
  target: Target & { readonly toAgencyId: string; readonly note?: string },
): Promise<{ forwardedId: string }> {
  const note = target.note?.trim() ?? '';
  return act(db, files, target, 'forward', note, async ({ tx, doc, now }) => {
    const to = await tx.selectFrom('agencies').select(['id', 'code', 'name']).where('id', '=', target.toAgencyId).executeTakeFirst();
    if (!to || to.id === target.agencyId) throw new AppError('invalid_forward_target');
    const full = await tx.selectFrom('incoming_documents').selectAll().where('id', '=', doc.id).executeTakeFirstOrThrow();
    const attached = await tx
      .selectFrom('incoming_files')
      .select(['name', 'content_type as contentType', 'sha256', 'size'])
      .where('incoming_id', '=', doc.id)
      .where('added_by', 'is', null)
      .orderBy('position')
      .execute();
    const forwardedId = await deliverInternally(
      tx,
      { agencyId: to.id },
      {
        senderCode: full.sender_code,
        senderName: full.sender_name,
        number: full.number,
        notation: full.notation,
        issueDate: full.issue_date,
        documentType: full.document_type,
        subject: full.subject,
        urgency: full.urgency,
        signerName: full.signer_name,
        replyDue: full.reply_due,
        documentId: full.document_id,
        files: attached,
        forwardedFrom: doc.id,
      },
      { agencyId: target.agencyId, userId: target.actor.userId },
      now,
    );
    return { result: { forwardedId }, details: { to: { id: to.id, code: to.code, name: to.name }, forwardedId } };
  });
}
