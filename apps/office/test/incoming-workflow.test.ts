import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ROLES, type Role } from '../src/directory/roles.js';
import {
  availableActions,
  decide,
  INCOMING_ACTIONS,
  INCOMING_RULES,
  INCOMING_STATES,
  NO_RELATION,
  type IncomingAction,
  type IncomingState,
  type Relation,
} from '../src/incoming/workflow.js';

const OPEN: IncomingState[] = ['awaiting', 'registered', 'submitted', 'assigned', 'in_progress'];
const HANDLING: IncomingState[] = ['assigned', 'in_progress'];

/**
 * Who may act, written out once more as the specification: `agency_leader` is any leader of the
 * agency; `addressed department_leader` a department leader it was submitted to or whose department
 * leads; `lead` and `co` the assigned handlers, whatever their roles.
 */
type Who = 'clerk' | 'agency_leader' | 'addressed department_leader' | 'lead' | 'co';
const LEADERS: Who[] = ['agency_leader', 'addressed department_leader'];

const EXPECTED: Record<IncomingAction, { from: IncomingState[]; to: IncomingState | 'same'; who: Who[]; status: string | null }> = {
  register: { from: ['awaiting'], to: 'registered', who: ['clerk'], status: '03' },
  refuse: { from: ['awaiting'], to: 'refused', who: ['clerk'], status: '02' },
  submit: { from: ['registered'], to: 'submitted', who: ['clerk'], status: null },
  return: { from: ['submitted'], to: 'registered', who: LEADERS, status: null },
  assign: { from: ['submitted', ...HANDLING], to: 'assigned', who: LEADERS, status: '04' },
  report_progress: { from: HANDLING, to: 'in_progress', who: ['lead'], status: '05' },
  give_input: { from: HANDLING, to: 'same', who: ['co'], status: null },
  attach_file: { from: HANDLING, to: 'same', who: ['lead', 'co'], status: null },
  complete: { from: HANDLING, to: 'completed', who: ['lead'], status: '06' },
  reopen: { from: ['completed'], to: 'in_progress', who: LEADERS, status: '05' },
  forward: { from: ['registered', 'submitted', ...HANDLING], to: 'same', who: ['clerk', ...LEADERS], status: null },
  agree_recall: { from: OPEN, to: 'withdrawn', who: ['clerk'], status: '15' },
  refuse_recall: { from: OPEN, to: 'same', who: ['clerk'], status: '16' },
};

const RELATIONS: Relation[] = [
  NO_RELATION,
  { leadHandler: true, coHandler: false, addressed: false },
  { leadHandler: false, coHandler: true, addressed: false },
  { leadHandler: false, coHandler: false, addressed: true },
];

function qualifies(who: Who[], role: Role, relation: Relation): boolean {
  return who.some((w) => {
    switch (w) {
      case 'lead':
        return relation.leadHandler;
      case 'co':
        return relation.coHandler;
      case 'addressed department_leader':
        return role === 'department_leader' && relation.addressed;
      default:
        return role === w;
    }
  });
}

describe('incoming document workflow', () => {
  for (const action of INCOMING_ACTIONS) {
    const spec = EXPECTED[action];
    it(`${action}: allowed exactly from ${spec.from.join(', ')} for ${spec.who.join(', ')}`, () => {
      for (const state of INCOMING_STATES) {
        for (const role of ROLES) {
          for (const relation of RELATIONS) {
            const d = decide({ action, state, roles: [role], relation, recallPending: true, text: 'lý do' });
            const why = `${action} from ${state} by ${role} ${JSON.stringify(relation)}`;
            if (!spec.from.includes(state)) assert.deepEqual(d, { ok: false, problem: 'wrong_state' }, why);
            else if (!qualifies(spec.who, role, relation)) assert.deepEqual(d, { ok: false, problem: 'not_allowed' }, why);
            else assert.deepEqual(d, { ok: true, next: spec.to === 'same' ? state : spec.to, status: spec.status }, why);
          }
        }
      }
    });
  }

  it('answers a recall only while the sender’s request is pending', () => {
    for (const action of ['agree_recall', 'refuse_recall'] as const) {
      const d = decide({ action, state: 'registered', roles: ['clerk'], relation: NO_RELATION, recallPending: false, text: 'x' });
      assert.deepEqual(d, { ok: false, problem: 'no_recall_request' });
    }
    const other = decide({ action: 'submit', state: 'registered', roles: ['clerk'], relation: NO_RELATION, recallPending: false });
    assert.equal(other.ok, true);
  });

  it('asks for words to refuse, return, report progress, give input, complete, reopen and refuse a recall', () => {
    const needing = INCOMING_ACTIONS.filter((a) => INCOMING_RULES[a].needsText);
    assert.deepEqual(needing, ['refuse', 'return', 'report_progress', 'give_input', 'complete', 'reopen', 'refuse_recall']);
    const everyone: Relation = { leadHandler: true, coHandler: true, addressed: true };
    for (const action of needing) {
      const d = decide({ action, state: EXPECTED[action].from[0]!, roles: ROLES, relation: everyone, recallPending: true, text: '  ' });
      assert.deepEqual(d, { ok: false, problem: 'reason_required' }, action);
    }
  });

  it('never lets anything leave a refused or withdrawn document', () => {
    for (const state of ['refused', 'withdrawn'] as const) {
      assert.deepEqual(availableActions(state, ROLES, { leadHandler: true, coHandler: true, addressed: true }, true), []);
    }
  });

  it('offers each person the actions they can take now', () => {
    assert.deepEqual(availableActions('awaiting', ['clerk'], NO_RELATION), ['register', 'refuse']);
    assert.deepEqual(availableActions('awaiting', ['clerk'], NO_RELATION, true), ['register', 'refuse', 'agree_recall', 'refuse_recall']);
    assert.deepEqual(availableActions('submitted', ['agency_leader'], NO_RELATION), ['return', 'assign', 'forward']);
    assert.deepEqual(availableActions('submitted', ['department_leader'], NO_RELATION), []);
    const lead = { ...NO_RELATION, leadHandler: true };
    assert.deepEqual(availableActions('assigned', ['officer'], lead), ['report_progress', 'attach_file', 'complete']);
    assert.deepEqual(availableActions('in_progress', ['officer'], { ...NO_RELATION, coHandler: true }), ['give_input', 'attach_file']);
    assert.deepEqual(availableActions('assigned', ['officer'], NO_RELATION), []);
  });
});
