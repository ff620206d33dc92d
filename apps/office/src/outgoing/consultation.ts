import type { Kysely } from 'kysely';
import { vietnamDay } from '../calendar/working-days.js';
import type { Role } from '../directory/roles.js';
import { roleHolders } from '../directory/role-holders.js';
import { AppError } from '../http/errors.js';
import type { Actor } from '../http/members.js';
import { recordEvent } from '../journal/journal.js';
import { notify } from '../notifications/notify.js';
import type { OfficeSchema } from '../schema.js';
import { quoted } from './steps.js';
import type { OutgoingState } from './workflow.js';

/** Drafts may be put to others for comments until they go up for signature. */
export const CONSULTABLE: readonly OutgoingState[] = ['draft', 'in_review', 'reviewed'];

/** Who is asked: a department of the drafting agency, or another agency of the installation. */
export type Consulted = { readonly departmentId: string } | { readonly agencyId: string };

/**
 * Who may answer: a leader of the department asked; in an agency asked, its leaders and its clerk
 * (who passes it on, as with any document arriving).
 */
export function mayAnswer(
  consultation: { readonly departmentId: string | null; readonly consultedAgencyId: string | null },
  answerer: { readonly agencyId: string; readonly departmentId: string | null; readonly roles: readonly Role[] },
  draftingAgencyId: string,
): boolean {
  if (consultation.departmentId) {
    return (
      answerer.agencyId === draftingAgencyId &&
      answerer.departmentId === consultation.departmentId &&
      answerer.roles.includes('department_leader')
    );
  }
  return (
    answerer.agencyId === consultation.consultedAgencyId &&
    answerer.roles.some((r) => r === 'agency_leader' || r === 'department_leader' || r === 'clerk')
  );
}

/** The drafter asks for comments on the current version by a date; those asked are told. */
export async function askForComments(
  db: Kysely<OfficeSchema>,
  input: { agencyId: string; outgoingId: string; actor: Actor; consulted: Consulted; question: string; due: string },
  now = new Date(),
): Promise<{ id: string }> {
  return db.transaction().execute(async (tx) => {
    const doc = await tx
      .selectFrom('outgoing_documents')
      .selectAll()
      .where('id', '=', input.outgoingId)
      .where('agency_id', '=', input.agencyId)
      .forUpdate()
      .executeTakeFirst();
    if (!doc || doc.drafter_id !== input.actor.userId) throw new AppError(doc ? 'forbidden' : 'not_found');
    if (!CONSULTABLE.includes(doc.state)) throw new AppError('wrong_state');
    if (input.due < vietnamDay(now)) throw new AppError('invalid_due_date');
    let people: string[];
    let name: string;
    if ('departmentId' in input.consulted) {
      const department = await tx
        .selectFrom('departments')
        .select(['id', 'name'])
        .where('id', '=', input.consulted.departmentId)
        .where('agency_id', '=', input.agencyId)
        .executeTakeFirst();
      if (!department) throw new AppError('invalid_assignee');
      people = await roleHolders(tx, input.agencyId, 'department_leader', department.id);
      name = department.name;
    } else {
      const agency = await tx.selectFrom('agencies').select(['id', 'name']).where('id', '=', input.consulted.agencyId).executeTakeFirst();
      if (!agency || agency.id === input.agencyId) throw new AppError('invalid_assignee');
      people = [...(await roleHolders(tx, agency.id, 'agency_leader')), ...(await roleHolders(tx, agency.id, 'clerk'))];
      name = agency.name;
    }
    const row = await tx
      .insertInto('outgoing_consultations')
      .values({
        outgoing_id: doc.id,
        version: doc.version,
        department_id: 'departmentId' in input.consulted ? input.consulted.departmentId : null,
        consulted_agency_id: 'agencyId' in input.consulted ? input.consulted.agencyId : null,
        question: input.question.trim(),
        due: input.due,
        asked_by: input.actor.userId,
        answer: null,
        answered_by: null,
        answered_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordEvent(
      tx,
      input.agencyId,
      {
        subject: { kind: 'outgoing', id: doc.id },
        action: 'consult',
        actorId: input.actor.userId,
        details: { consultationId: row.id, asked: name, due: input.due, version: doc.version },
      },
      now,
    );
    const consultedAgency = 'agencyId' in input.consulted ? input.consulted.agencyId : input.agencyId;
    await notify(tx, people, {
      agencyId: consultedAgency,
      incomingId: null,
      // The draft opens only for its own agency; those of another agency answer from their list.
      ...(consultedAgency === input.agencyId ? { outgoingId: doc.id } : {}),
      kind: 'consultation_requested',
      vi: `Xin ý kiến về dự thảo ${quoted(doc)}, hạn ${input.due.split('-').reverse().join('/')}.`,
      en: `Your comments are asked on the draft ${quoted(doc)} by ${input.due}.`,
    });
    return { id: row.id };
  });
}

/** Someone asked answers; the answer is kept with the question and the drafter is told. */
export async function answerConsultation(
  db: Kysely<OfficeSchema>,
  input: { consultationId: string; answererAgencyId: string; actor: Actor; answer: string },
  now = new Date(),
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const c = await tx
      .selectFrom('outgoing_consultations as c')
      .innerJoin('outgoing_documents as d', 'd.id', 'c.outgoing_id')
      .select([
        'c.id',
        'c.department_id',
        'c.consulted_agency_id',
        'c.answer',
        'd.id as outgoingId',
        'd.agency_id',
        'd.subject',
        'd.drafter_id',
      ])
      .where('c.id', '=', input.consultationId)
      .forUpdate()
      .executeTakeFirst();
    const answerer = { agencyId: input.answererAgencyId, departmentId: input.actor.departmentId, roles: input.actor.roles };
    if (!c || !mayAnswer({ departmentId: c.department_id, consultedAgencyId: c.consulted_agency_id }, answerer, c.agency_id)) {
      throw new AppError('not_found');
    }
    if (c.answer !== null) throw new AppError('wrong_state');
    const answer = input.answer.trim();
    await tx
      .updateTable('outgoing_consultations')
      .set({ answer, answered_by: input.actor.userId, answered_at: now })
      .where('id', '=', c.id)
      .execute();
    await recordEvent(
      tx,
      c.agency_id,
      {
        subject: { kind: 'outgoing', id: c.outgoingId },
        action: 'consultation_answered',
        actorId: input.actor.userId,
        details: { consultationId: c.id, answer },
      },
      now,
    );
    await notify(tx, [c.drafter_id], {
      agencyId: c.agency_id,
      incomingId: null,
      outgoingId: c.outgoingId,
      kind: 'consultation_answered',
      vi: `Đã có ý kiến góp ý về dự thảo “${c.subject}”.`,
      en: `Comments arrived on the draft “${c.subject}”.`,
    });
  });
}
