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
  'complete',
  'reopen',
  'agree_recall',
  'refuse_recall',
] as const;
export type IncomingAction = (typeof INCOMING_ACTIONS)[number];

/** Processing status codes sent back to the sender. */
export type StatusCode = '02' | '03' | '04' | '05' | '06' | '15' | '16';

/** Who may act: a role in the agency, or being the document's lead handler. */
type Actor = Role | 'lead_handler';

interface Rule {
  readonly from: readonly IncomingState[];
  /** Where the document goes; `null`: it stays where it is. */
  readonly to: IncomingState | null;
  readonly actors: readonly Actor[];
  readonly status: StatusCode | null;
  /** The action must say why (shown to the sender or the clerk). */
  readonly needsReason: boolean;
}

const LEADERS: readonly Actor[] = ['agency_leader', 'department_leader'];
const OPEN: readonly IncomingState[] = ['awaiting', 'registered', 'submitted', 'assigned', 'in_progress'];

export const INCOMING_RULES: Readonly<Record<IncomingAction, Rule>> = {
  register: { from: ['awaiting'], to: 'registered', actors: ['clerk'], status: '03', needsReason: false },
  refuse: { from: ['awaiting'], to: 'refused', actors: ['clerk'], status: '02', needsReason: true },
  submit: { from: ['registered'], to: 'submitted', actors: ['clerk'], status: null, needsReason: false },
  return: { from: ['submitted'], to: 'registered', actors: LEADERS, status: null, needsReason: true },
  assign: { from: ['submitted', 'assigned', 'in_progress'], to: 'assigned', actors: LEADERS, status: '04', needsReason: false },
  report_progress: { from: ['assigned', 'in_progress'], to: 'in_progress', actors: ['lead_handler'], status: '05', needsReason: false },
  complete: { from: ['assigned', 'in_progress'], to: 'completed', actors: ['lead_handler'], status: '06', needsReason: false },
  reopen: { from: ['completed'], to: 'in_progress', actors: LEADERS, status: '05', needsReason: true },
  agree_recall: { from: OPEN, to: 'withdrawn', actors: ['clerk'], status: '15', needsReason: false },
  refuse_recall: { from: OPEN, to: null, actors: ['clerk'], status: '16', needsReason: true },
};

export interface ActionRequest {
  readonly action: IncomingAction;
  readonly state: IncomingState;
  /** The actor's roles in the receiving agency. */
  readonly roles: readonly Role[];
  readonly isLeadHandler: boolean;
  readonly reason?: string;
}

export type Decision =
  { ok: true; next: IncomingState; status: StatusCode | null } | { ok: false; problem: 'wrong_state' | 'not_allowed' | 'reason_required' };

/** Decides one action; the route applies the decision and journals it. */
export function decide(request: ActionRequest): Decision {
  const rule = INCOMING_RULES[request.action];
  if (!rule.from.includes(request.state)) return { ok: false, problem: 'wrong_state' };
  const allowed = rule.actors.some((a) => (a === 'lead_handler' ? request.isLeadHandler : request.roles.includes(a)));
  if (!allowed) return { ok: false, problem: 'not_allowed' };
  if (rule.needsReason && !request.reason?.trim()) return { ok: false, problem: 'reason_required' };
  return { ok: true, next: rule.to ?? request.state, status: rule.status };
}

/** The actions a person could take on a document now: what the screen offers. */
export function availableActions(state: IncomingState, roles: readonly Role[], isLeadHandler: boolean): IncomingAction[] {
  return INCOMING_ACTIONS.filter((action) => {
    const d = decide({ action, state, roles, isLeadHandler, reason: 'x' });
    return d.ok;
  });
}
