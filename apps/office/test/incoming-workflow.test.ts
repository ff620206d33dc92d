import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ROLES, type Role } from '../src/directory/roles.js';
import {
  availableActions,
  decide,
  INCOMING_ACTIONS,
  INCOMING_RULES,
  INCOMING_STATES,
  type IncomingAction,
  type IncomingState,
} from '../src/incoming/workflow.js';

/** The whole table, written out once more as the specification it implements. */
const EXPECTED: Record<
  IncomingAction,
  { from: IncomingState[]; to: IncomingState | 'same'; who: (Role | 'lead')[]; status: string | null }
> = {
  register: { from: ['awaiting'], to: 'registered', who: ['clerk'], status: '03' },
  refuse: { from: ['awaiting'], to: 'refused', who: ['clerk'], status: '02' },
  submit: { from: ['registered'], to: 'submitted', who: ['clerk'], status: null },
  return: { from: ['submitted'], to: 'registered', who: ['agency_leader', 'department_leader'], status: null },
  assign: { from: ['submitted', 'assigned', 'in_progress'], to: 'assigned', who: ['agency_leader', 'department_leader'], status: '04' },
  report_progress: { from: ['assigned', 'in_progress'], to: 'in_progress', who: ['lead'], status: '05' },
  complete: { from: ['assigned', 'in_progress'], to: 'completed', who: ['lead'], status: '06' },
  reopen: { from: ['completed'], to: 'in_progress', who: ['agency_leader', 'department_leader'], status: '05' },
  agree_recall: { from: ['awaiting', 'registered', 'submitted', 'assigned', 'in_progress'], to: 'withdrawn', who: ['clerk'], status: '15' },
  refuse_recall: { from: ['awaiting', 'registered', 'submitted', 'assigned', 'in_progress'], to: 'same', who: ['clerk'], status: '16' },
};

describe('incoming document workflow', () => {
  for (const action of INCOMING_ACTIONS) {
    const spec = EXPECTED[action];
    it(`${action}: allowed exactly from ${spec.from.join(', ')} for ${spec.who.join(', ')}`, () => {
      for (const state of INCOMING_STATES) {
        for (const role of ROLES) {
          for (const isLeadHandler of [false, true]) {
            const d = decide({ action, state, roles: [role], isLeadHandler, reason: 'lý do' });
            const rightState = spec.from.includes(state);
            const rightActor = spec.who.includes(role) || (isLeadHandler && spec.who.includes('lead'));
            if (!rightState) assert.deepEqual(d, { ok: false, problem: 'wrong_state' }, `${action} from ${state}`);
            else if (!rightActor) assert.deepEqual(d, { ok: false, problem: 'not_allowed' }, `${action} by ${role}`);
            else assert.deepEqual(d, { ok: true, next: spec.to === 'same' ? state : spec.to, status: spec.status });
          }
        }
      }
    });
  }

  it('asks a reason to refuse, return, reopen and refuse a recall', () => {
    const needing = INCOMING_ACTIONS.filter((a) => INCOMING_RULES[a].needsReason);
    assert.deepEqual(needing, ['refuse', 'return', 'reopen', 'refuse_recall']);
    for (const action of needing) {
      const spec = EXPECTED[action];
      const role = spec.who[0] === 'lead' ? 'officer' : spec.who[0]!;
      const d = decide({ action, state: spec.from[0]!, roles: [role], isLeadHandler: spec.who[0] === 'lead', reason: '  ' });
      assert.deepEqual(d, { ok: false, problem: 'reason_required' });
    }
  });

  it('never lets anything leave a refused or withdrawn document', () => {
    for (const state of ['refused', 'withdrawn'] as const) {
      assert.deepEqual(availableActions(state, ROLES, true), []);
    }
  });

  it('offers each person the actions they can take now', () => {
    assert.deepEqual(availableActions('awaiting', ['clerk'], false), ['register', 'refuse', 'agree_recall', 'refuse_recall']);
    assert.deepEqual(availableActions('submitted', ['agency_leader'], false), ['return', 'assign']);
    assert.deepEqual(availableActions('assigned', ['officer'], true), ['report_progress', 'complete']);
    assert.deepEqual(availableActions('assigned', ['officer'], false), []);
  });
});
