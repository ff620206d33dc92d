import type { Role } from '../directory/roles.js';

/**
 * The life of an incoming document at the agency that receives it, as plain
 * data: which action may move it from which state, who may take that action,
 * and which processing status goes back to the sender (STANDARDS.md).
 */
export const INCOMING_STATES = [
  'awaiting',
  'refused',
  'registered',
  'submitted',
  'assigned',
  'in_progress',
  'completed',
  'withdrawn',
] as const;
export type IncomingState = (typeof INCOMING_STATES)[number];

export const INCOMING_ACTIONS = [
  'register',
  'refuse',
  'submit',
  'return',
  'assign',
  'report_progress',
  'give_input',
  'attach_file',
  'complete',
  'reopen',
  'forward',
  'agree_recall',
  'refuse_recall',
] as const;
export type IncomingAction = (typeof INCOMING_ACTIONS)[number];

/** Processing status codes sent back to the sender. */
export type StatusCode = '02' | '03' | '04' | '05' | '06' | '15' | '16';

/**
 * Who may act. `leader`: an agency leader, or a department leader the document is addressed to
 * (submitted to them, or their department leads its handling). `lead_handler` and `co_handler`:
 * assigned to the person, or to a department they belong to.
 */
export type Actor = 'clerk' | 'leader' | 'lead_handler' | 'co_handler';

interface Rule {
  readonly from: readonly IncomingState[];
  /** Where the document goes; `null`: it stays where it is. */
  readonly to: IncomingState | null;
  readonly actors: readonly Actor[];
  readonly status: StatusCode | null;
  /** The action must say why, or say something (an input): shown to the sender or in the timeline. */
  readonly needsText: boolean;
  /** Only while the sender's request to take the document back awaits an answer. */
  readonly onRecall?: true;
}

const OPEN: readonly IncomingState[] = ['awaiting', 'registered', 'submitted', 'assigned', 'in_progress'];
const HANDLING: readonly IncomingState[] = ['assigned', 'in_progress'];

export const INCOMING_RULES: Readonly<Record<IncomingAction, Rule>> = {
  register: { from: ['awaiting'], to: 'registered', actors: ['clerk'], status: '03', needsText: false },
  refuse: { from: ['awaiting'], to: 'refused', actors: ['clerk'], status: '02', needsText: true },
  submit: { from: ['registered'], to: 'submitted', actors: ['clerk'], status: null, needsText: false },
  return: { from: ['submitted'], to: 'registered', actors: ['leader'], status: null, needsText: true },
  assign: { from: ['submitted', ...HANDLING], to: 'assigned', actors: ['leader'], status: '04', needsText: false },
  report_progress: { from: HANDLING, to: 'in_progress', actors: ['lead_handler'], status: '05', needsText: true },
  give_input: { from: HANDLING, to: null, actors: ['co_handler'], status: null, needsText: true },
  attach_file: { from: HANDLING, to: null, actors: ['lead_handler', 'co_handler'], status: null, needsText: false },
  complete: { from: HANDLING, to: 'completed', actors: ['lead_handler'], status: '06', needsText: true },
  reopen: { from: ['completed'], to: 'in_progress', actors: ['leader'], status: '05', needsText: true },
  forward: { from: ['registered', 'submitted', ...HANDLING], to: null, actors: ['clerk', 'leader'], status: null, needsText: false },
  agree_recall: { from: OPEN, to: 'withdrawn', actors: ['clerk'], status: '15', needsText: false, onRecall: true },
  refuse_recall: { from: OPEN, to: null, actors: ['clerk'], status: '16', needsText: true, onRecall: true },
};

/** How the person stands to this document, beyond their roles in the agency. */
export interface Relation {
  readonly leadHandler: boolean;
  readonly coHandler: boolean;
  /** Submitted to them, or their department leads the handling. */
  readonly addressed: boolean;
}

export const NO_RELATION: Relation = { leadHandler: false, coHandler: false, addressed: false };

export interface ActionRequest {
  readonly action: IncomingAction;
  readonly state: IncomingState;
  /** The actor's roles in the receiving agency. */
  readonly roles: readonly Role[];
  readonly relation: Relation;
  /** The sender has asked for the document back and no answer has gone yet. */
  readonly recallPending: boolean;
  /** The reason, progress note, input or result the action carries. */
  readonly text?: string;
}

export type Problem = 'wrong_state' | 'not_allowed' | 'reason_required' | 'no_recall_request';
export type Decision = { ok: true; next: IncomingState; status: StatusCode | null } | { ok: false; problem: Problem };

function acts(actor: Actor, roles: readonly Role[], relation: Relation): boolean {
  switch (actor) {
    case 'clerk':
      return roles.includes('clerk');
    case 'leader':
      return roles.includes('agency_leader') || (roles.includes('department_leader') && relation.addressed);
    case 'lead_handler':
      return relation.leadHandler;
    case 'co_handler':
      return relation.coHandler;
  }
}

/** Decides one action; the caller applies the decision and journals it. */
export function decide(request: ActionRequest): Decision {
  const rule = INCOMING_RULES[request.action];
  if (!rule.from.includes(request.state)) return { ok: false, problem: 'wrong_state' };
  if (rule.onRecall && !request.recallPending) return { ok: false, problem: 'no_recall_request' };
  if (!rule.actors.some((a) => acts(a, request.roles, request.relation))) return { ok: false, problem: 'not_allowed' };
  if (rule.needsText && !request.text?.trim()) return { ok: false, problem: 'reason_required' };
  return { ok: true, next: rule.to ?? request.state, status: rule.status };
}

/** The actions a person could take on a document now: what the screen offers. */
export function availableActions(
  state: IncomingState,
  roles: readonly Role[],
  relation: Relation,
  recallPending = false,
): IncomingAction[] {
  return INCOMING_ACTIONS.filter((action) => decide({ action, state, roles, relation, recallPending, text: 'x' }).ok);
}
