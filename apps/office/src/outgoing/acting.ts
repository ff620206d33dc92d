import type { BlobStore, Json } from '@vanban/db';
import { PdfSignError, signPdf } from '@vanban/pki';
import type { ExpressionBuilder, Kysely, Transaction } from 'kysely';
import { buffer } from 'node:stream/consumers';
import { roleHolders } from '../directory/role-holders.js';
import { AppError } from '../http/errors.js';
import type { Actor } from '../http/members.js';
import { recordEvent } from '../journal/journal.js';
import { notify } from '../notifications/notify.js';
import type { OfficeSchema } from '../schema.js';
import { AgencySigningError, personalSigningKey, type FileKeyStore } from '../signing/agency-signing.js';
import { approvalChain } from './approval-chain.js';
import { issueOutgoing } from './issuing.js';
import { numberOutgoing } from './numbering.js';
import { recallOutgoing } from './recall.js';
import { readableOutgoing } from './reading.js';
import { recipientsByChannel } from './recipients.js';
import { mayGoThroughHub } from '../hub-connector/connector.js';
import { currentStep, deciders, reviewersOf } from './standing.js';
import {
  fileToSign,
  keepFile,
  quoted,
  type Acting,
  type Effect,
  type OutgoingCommand,
  type OutgoingDocument,
  type OutgoingNotice,
} from './steps.js';
import { decideOutgoing, type OutgoingProblem, type OutgoingState } from './workflow.js';

export interface OutgoingDeps {
  readonly db: Kysely<OfficeSchema>;
  readonly files: BlobStore;
  readonly keys: FileKeyStore | null;
}

const PROBLEMS: Record<OutgoingProblem, 'wrong_state' | 'forbidden' | 'reason_required' | 'review_required'> = {
  wrong_state: 'wrong_state',
  not_allowed: 'forbidden',
  reason_required: 'reason_required',
  review_required: 'review_required',
};

async function stepNotice(
  tx: Transaction<OfficeSchema>,
  doc: OutgoingDocument,
  step: { department_id: string | null; signer_id: string | null },
) {
  return {
    to: await deciders(tx, doc.agency_id, step),
    kind: step.signer_id ? 'signature_requested' : 'approval_requested',
    vi: step.signer_id ? `Văn bản chờ anh/chị ký: ${quoted(doc)}.` : `Dự thảo chờ anh/chị cho ý kiến trước khi trình ký: ${quoted(doc)}.`,
    en: step.signer_id
      ? `A document waits for your signature: ${quoted(doc)}.`
      : `A draft waits for your approval before signature: ${quoted(doc)}.`,
  };
}

async function decideStep(a: Acting, decision: 'approved' | 'returned' | 'signed') {
  const step = await currentStep(a.tx, a.doc);
  if (!step) throw new AppError('wrong_state');
  await a.tx
    .updateTable('outgoing_approvals')
    .set({ decision, decided_by: a.actor.userId, decided_at: a.now, comment: a.command.text?.trim() || null })
    .where('outgoing_id', '=', a.doc.id)
    .where('round', '=', a.doc.approval_round)
    .where('position', '=', step.position)
    .execute();
  return step;
}

const toDrafter = (a: Acting, kind: string, vi: string, en: string): OutgoingNotice => ({ to: [a.doc.drafter_id], kind, vi, en });

/** Gives the draft its approval chain: the agency's configured checks, then its signer. */
async function submitForSignature(a: Acting): Promise<Effect> {
  const { tx, doc } = a;
  const recipients = await recipientsByChannel(tx, doc.id);
  if (!doc.signer_id || recipients.all.length === 0 || !(await fileToSign(tx, doc.id))) throw new AppError('draft_incomplete');
  // Said now rather than at issue, when the signature would have been given in vain.
  if (recipients.external.length > 0 && !mayGoThroughHub(doc.classification)) throw new AppError('classified_through_hub');
  const configured = await tx
    .selectFrom('approval_steps as s')
    .select(['s.department_id as departmentId', (eb) => eb.exists(leaderOf(eb)).as('hasLeader')])
    .where('s.agency_id', '=', doc.agency_id)
    .orderBy('s.position')
    .execute();
  const chain = approvalChain(
    configured.map((s) => ({ departmentId: s.departmentId, hasLeader: Boolean(s.hasLeader) })),
    doc.signer_id,
  );
  const round = doc.approval_round + 1;
  await tx
    .insertInto('outgoing_approvals')
    .values(
      chain.map((s) => ({
        outgoing_id: doc.id,
        round,
        position: s.position,
        department_id: s.departmentId,
        signer_id: s.signerId,
        decision: null,
        decided_by: null,
        decided_at: null,
        comment: null,
      })),
    )
    .execute();
  const first = chain[0]!;
  return {
    set: { approval_round: round, approval_step: first.position },
    details: { round, steps: chain.length },
    notices: [await stepNotice(tx, doc, { department_id: first.departmentId, signer_id: first.signerId })],
  };
}

function leaderOf(eb: ExpressionBuilder<OfficeSchema & { s: OfficeSchema['approval_steps'] }, 's'>) {
  return eb
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select('m.user_id')
    .whereRef('m.department_id', '=', 's.department_id')
    .where('u.active', '=', true)
    .where((e) => e(e.val('department_leader'), '=', e.fn.any('m.roles')));
}

async function approve(a: Acting): Promise<Effect> {
  const step = await decideStep(a, 'approved');
  const next = await a.tx
    .selectFrom('outgoing_approvals')
    .select(['position', 'department_id', 'signer_id'])
    .where('outgoing_id', '=', a.doc.id)
    .where('round', '=', a.doc.approval_round)
    .where('position', '=', step.position + 1)
    .executeTakeFirstOrThrow();
  return { set: { approval_step: next.position }, details: { step: step.position }, notices: [await stepNotice(a.tx, a.doc, next)] };
}

async function returnFromChain(a: Acting): Promise<Effect> {
  const step = await decideStep(a, 'returned');
  return {
    set: { approval_step: null },
    details: { step: step.position },
    notices: [
      toDrafter(
        a,
        'returned',
        `Dự thảo ${quoted(a.doc)} bị trả lại: ${a.command.text?.trim()}`,
        `The draft ${quoted(a.doc)} was returned: ${a.command.text?.trim()}`,
      ),
    ],
  };
}

/** The signer signs exactly the PDF they were shown, with their personal certificate (PAdES). */
async function sign(a: Acting): Promise<Effect> {
  if (!a.keys) throw new AppError('signing_unavailable');
  const file = await fileToSign(a.tx, a.doc.id);
  if (!file) throw new AppError('draft_incomplete');
  if (a.command.sha256 !== file.sha256) throw new AppError('signed_file_changed', { expected: file.sha256 });
  let key;
  try {
    key = await personalSigningKey(a.tx, a.keys, a.doc.agency_id, a.actor.userId, a.now);
  } catch (error) {
    if (error instanceof AgencySigningError) throw new AppError('no_signing_certificate', { reason: error.message });
    throw error;
  }
  let signed: Uint8Array;
  try {
    signed = await signPdf(await buffer(await a.files.read(file.sha256)), { key, role: 'signer', at: a.now, reason: 'Ký ban hành' });
  } catch (error) {
    if (error instanceof PdfSignError) throw new AppError('invalid_main_file', { reason: error.message });
    throw error;
  }
  await decideStep(a, 'signed');
  const sha256 = await keepFile(a.tx, a.files, a.doc.id, 'signed', file.name, signed);
  return {
    set: { approval_step: null, signed_at: a.now, signed_by: a.actor.userId },
    details: { signedFile: file.sha256, sha256 },
    notices: [
      {
        to: await roleHolders(a.tx, a.doc.agency_id, 'clerk'),
        kind: 'signed',
        vi: `Văn bản đã ký, chờ cấp số và phát hành trong ngày: ${quoted(a.doc)}.`,
        en: `A document was signed and waits to be numbered and issued today: ${quoted(a.doc)}.`,
      },
      toDrafter(a, 'signed', `Văn bản ${quoted(a.doc)} đã được ký.`, `The document ${quoted(a.doc)} was signed.`),
    ],
  };
}

const EFFECTS: Record<OutgoingCommand['action'], (a: Acting) => Promise<Effect>> = {
  submit_review: async (a) => ({
    notices: [
      {
        to: await reviewersOf(a.tx, a.doc),
        kind: 'review_requested',
        vi: `Dự thảo chờ anh/chị xem xét: ${quoted(a.doc)}.`,
        en: `A draft waits for your review: ${quoted(a.doc)}.`,
      },
    ],
  }),
  approve_review: async (a) => ({
    notices: [
      toDrafter(
        a,
        'reviewed',
        `Dự thảo ${quoted(a.doc)} đã được duyệt, có thể trình ký.`,
        `The draft ${quoted(a.doc)} was approved for signature.`,
      ),
    ],
  }),
  return_review: async (a) => ({
    notices: [
      toDrafter(
        a,
        'returned',
        `Dự thảo ${quoted(a.doc)} cần sửa: ${a.command.text?.trim()}`,
        `The draft ${quoted(a.doc)} needs changes: ${a.command.text?.trim()}`,
      ),
    ],
  }),
  submit_signature: submitForSignature,
  approve,
  sign,
  return_signature: returnFromChain,
  number: numberOutgoing,
  issue: issueOutgoing,
  recall: recallOutgoing,
  cancel: async () => ({}),
};

/**
 * Takes one step of an outgoing document's workflow: locks the document, decides by the rules,
 * does what the step does (a chain, a signature, a number, the issue), moves the state, writes the
 * journal and tells the people concerned; all or nothing.
 */
export async function actOnOutgoing(
  deps: OutgoingDeps,
  target: { readonly agencyId: string; readonly outgoingId: string; readonly actor: Actor },
  command: OutgoingCommand,
  now = new Date(),
): Promise<{ state: OutgoingState; [key: string]: Json }> {
  const run = async (tx: Transaction<OfficeSchema>) => {
    // Locked first: two people acting at once take turns, the second seeing what the first did.
    await tx.selectFrom('outgoing_documents').select('id').where('id', '=', target.outgoingId).forUpdate().execute();
    const { doc, relation } = await readableOutgoing(tx, target.agencyId, target.outgoingId, target.actor);
    const text = command.text?.trim();
    const decision = decideOutgoing({
      action: command.action,
      state: doc.state,
      roles: target.actor.roles,
      relation,
      ...(text ? { text } : {}),
    });
    if (!decision.ok) throw new AppError(PROBLEMS[decision.problem]);
    const effect = await EFFECTS[command.action]({ tx, files: deps.files, keys: deps.keys, doc, actor: target.actor, command, now });
    await tx
      .updateTable('outgoing_documents')
      .set({ ...effect.set, state: decision.next, updated_at: now })
      .where('id', '=', doc.id)
      .execute();
    await effect.after?.();
    await recordEvent(
      tx,
      doc.agency_id,
      {
        subject: { kind: 'outgoing', id: doc.id },
        action: command.action,
        actorId: target.actor.userId,
        from: doc.state,
        to: decision.next,
        details: { ...(text ? { comment: text } : {}), ...effect.details },
      },
      now,
    );
    for (const n of effect.notices ?? []) {
      await notify(
        tx,
        n.to.filter((id) => id !== target.actor.userId),
        { agencyId: doc.agency_id, incomingId: null, outgoingId: doc.id, kind: n.kind, vi: n.vi, en: n.en },
      );
    }
    return { state: decision.next, ...effect.result };
  };
  return deps.db.isTransaction ? run(deps.db as Transaction<OfficeSchema>) : deps.db.transaction().execute(run);
}
