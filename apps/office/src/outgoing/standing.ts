import type { Kysely } from 'kysely';
import { roleHolders } from '../directory/role-holders.js';
import type { Actor } from '../http/members.js';
import type { OfficeSchema } from '../schema.js';
import type { OutgoingRelation } from './workflow.js';

/** The columns of an outgoing document that say who stands where on it. */
export interface OutgoingParties {
  readonly id: string;
  readonly agency_id: string;
  readonly drafter_id: string;
  readonly department_id: string | null;
  readonly signer_id: string | null;
  readonly approval_round: number;
  readonly approval_step: number | null;
}

/** The step of the approval chain waiting for a decision, if the document is in the chain. */
export async function currentStep(db: Kysely<OfficeSchema>, doc: OutgoingParties) {
  if (doc.approval_step === null) return null;
  return (
    (await db
      .selectFrom('outgoing_approvals')
      .select(['position', 'department_id', 'signer_id'])
      .where('outgoing_id', '=', doc.id)
      .where('round', '=', doc.approval_round)
      .where('position', '=', doc.approval_step)
      .executeTakeFirst()) ?? null
  );
}

/** Who may decide a step: the signer at the last one, any leader of the department at a check. */
export async function deciders(
  db: Kysely<OfficeSchema>,
  agencyId: string,
  step: { department_id: string | null; signer_id: string | null },
): Promise<string[]> {
  if (step.signer_id) return [step.signer_id];
  return roleHolders(db, agencyId, 'department_leader', step.department_id);
}

/** The leaders who review a draft of the drafter's department, the drafter excepted. */
export async function reviewersOf(db: Kysely<OfficeSchema>, doc: OutgoingParties): Promise<string[]> {
  if (!doc.department_id) return [];
  const leaders = await roleHolders(db, doc.agency_id, 'department_leader', doc.department_id);
  return leaders.filter((id) => id !== doc.drafter_id);
}

/** How a person stands to an outgoing document: what the workflow's rules are decided on. */
export async function standingOnOutgoing(db: Kysely<OfficeSchema>, doc: OutgoingParties, actor: Actor): Promise<OutgoingRelation> {
  const [reviewers, step] = await Promise.all([reviewersOf(db, doc), currentStep(db, doc)]);
  const stepDeciders = step ? await deciders(db, doc.agency_id, step) : [];
  return {
    drafter: doc.drafter_id === actor.userId,
    reviewer: reviewers.includes(actor.userId),
    currentApprover: stepDeciders.includes(actor.userId),
    signer: doc.signer_id === actor.userId,
    atLastStep: step?.signer_id != null,
    noReviewer: reviewers.length === 0,
  };
}
