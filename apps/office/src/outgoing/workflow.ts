import type { Role } from '../directory/roles.js';

/**
 * The life of an outgoing document inside the issuing agency, as plain data: a draft is reviewed
 * by its department leader, goes up an approval chain that ends with its signer, is signed, then
 * numbered and issued by the clerk (Nghị định 30/2020). Which action may move it from which state,
 * and who may take it.
 */
export const OUTGOING_STATES = ['draft', 'in_review', 'reviewed', 'in_approval', 'signed', 'numbered', 'issued', 'cancelled'] as const;
export type OutgoingState = (typeof OUTGOING_STATES)[number];

export const OUTGOING_ACTIONS = [
  'save_version',
  'submit_review',
  'approve_review',
  'return_review',
  'submit_signature',
  'approve',
  'sign',
  'return_signature',
  'number',
  'issue',
  'recall',
  'cancel',
] as const;
export type OutgoingAction = (typeof OUTGOING_ACTIONS)[number];

/**
 * Who may act. `drafter`: who wrote the draft; `reviewer`: the leader of the drafter's department;
 * `approver`: whoever stands at the current step of the approval chain, `signer` when that step is
 * the last one; `clerk`: the agency's clerk (văn thư).
 */
export type OutgoingActor = 'drafter' | 'reviewer' | 'approver' | 'signer' | 'clerk';

interface Rule {
  readonly from: readonly OutgoingState[];
  /** Where the document goes; null: it stays (a new version, a step further up the chain, a recall request). */
  readonly to: OutgoingState | null;
  readonly actors: readonly OutgoingActor[];
  /** The action must say why (comments for the drafter, the reason given to the recipients). */
  readonly needsText: boolean;
}

export const OUTGOING_RULES: Readonly<Record<OutgoingAction, Rule>> = {
  // A reviewed draft may still change, but then goes back to its department leader.
  save_version: { from: ['draft', 'reviewed'], to: 'draft', actors: ['drafter'], needsText: false },
  submit_review: { from: ['draft'], to: 'in_review', actors: ['drafter'], needsText: false },
  approve_review: { from: ['in_review'], to: 'reviewed', actors: ['reviewer'], needsText: false },
  return_review: { from: ['in_review'], to: 'draft', actors: ['reviewer'], needsText: true },
  submit_signature: { from: ['draft', 'reviewed'], to: 'in_approval', actors: ['drafter'], needsText: false },
  approve: { from: ['in_approval'], to: null, actors: ['approver'], needsText: false },
  sign: { from: ['in_approval'], to: 'signed', actors: ['signer'], needsText: false },
  return_signature: { from: ['in_approval'], to: 'draft', actors: ['approver', 'signer'], needsText: true },
  number: { from: ['signed'], to: 'numbered', actors: ['clerk'], needsText: false },
  issue: { from: ['numbered'], to: 'issued', actors: ['clerk'], needsText: false },
  recall: { from: ['issued'], to: null, actors: ['clerk', 'signer'], needsText: true },
  cancel: { from: ['draft', 'reviewed'], to: 'cancelled', actors: ['drafter'], needsText: true },
};

/** How the person stands to this document, beyond their roles in the agency. */
export interface OutgoingRelation {
  readonly drafter: boolean;
  /** Leads the drafter's department. */
  readonly reviewer: boolean;
  /** Stands at the current step of the approval chain (approve or return). */
  readonly currentApprover: boolean;
  /** Is the document's signer: at the chain's last step to sign, and after it to ask for a recall. */
  readonly signer: boolean;
  /** The chain's current step is its last one, the signer's. */
  readonly atLastStep: boolean;
  /**
   * Nobody but the drafter leads the drafter's department (a leader drafting, or a department
   * without a leader): the draft goes to the approval chain without a review.
   */
  readonly noReviewer: boolean;
}

export const NO_OUTGOING_RELATION: OutgoingRelation = {
  drafter: false,
  reviewer: false,
  currentApprover: false,
  signer: false,
  atLastStep: false,
  noReviewer: false,
};

export interface OutgoingRequest {
  readonly action: OutgoingAction;
  readonly state: OutgoingState;
  readonly roles: readonly Role[];
  readonly relation: OutgoingRelation;
  readonly text?: string;
}

export type OutgoingProblem = 'wrong_state' | 'not_allowed' | 'reason_required' | 'review_required';
export type OutgoingDecision = { ok: true; next: OutgoingState } | { ok: false; problem: OutgoingProblem };

function acts(actor: OutgoingActor, action: OutgoingAction, request: OutgoingRequest): boolean {
  const r = request.relation;
  switch (actor) {
    case 'drafter':
      return r.drafter;
    case 'reviewer':
      return r.reviewer;
    case 'approver':
      // At the last step the signer signs; approving would skip the signature.
      return r.currentApprover && (action === 'return_signature' || !r.atLastStep);
    case 'signer':
      return action === 'recall' ? r.signer : r.signer && r.currentApprover && r.atLastStep;
    case 'clerk':
      return request.roles.includes('clerk');
  }
}

/** Decides one action; the caller applies the decision and journals it. */
export function decideOutgoing(request: OutgoingRequest): OutgoingDecision {
  const rule = OUTGOING_RULES[request.action];
  if (!rule.from.includes(request.state)) return { ok: false, problem: 'wrong_state' };
  if (!rule.actors.some((a) => acts(a, request.action, request))) return { ok: false, problem: 'not_allowed' };
  if (request.action === 'submit_signature' && request.state === 'draft' && !request.relation.noReviewer) {
    return { ok: false, problem: 'review_required' };
  }
  if (rule.needsText && !request.text?.trim()) return { ok: false, problem: 'reason_required' };
  return { ok: true, next: rule.to ?? request.state };
}

/** The actions a person could take on a document now: what the screen offers. */
export function availableOutgoingActions(state: OutgoingState, roles: readonly Role[], relation: OutgoingRelation): OutgoingAction[] {
  return OUTGOING_ACTIONS.filter((action) => decideOutgoing({ action, state, roles, relation, text: 'x' }).ok);
}
