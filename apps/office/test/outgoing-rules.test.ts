import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { WorkingCalendar } from '../src/calendar/working-days.js';
import { ROLES, type Role } from '../src/directory/roles.js';
import { approvalChain } from '../src/outgoing/approval-chain.js';
import { placeNumber, wordsOfBbox } from '../src/outgoing/number-placement.js';
import { issueDeadlines, issueTiming } from '../src/outgoing/same-day.js';
import {
  availableOutgoingActions,
  decideOutgoing,
  NO_OUTGOING_RELATION,
  OUTGOING_ACTIONS,
  OUTGOING_STATES,
  type OutgoingAction,
  type OutgoingRelation,
  type OutgoingState,
} from '../src/outgoing/workflow.js';

/** Who stands where, one relation at a time, and the clerk's role. */
const PEOPLE: Record<string, { roles: Role[]; relation: OutgoingRelation }> = {
  drafter: { roles: ['officer'], relation: { ...NO_OUTGOING_RELATION, drafter: true } },
  leaderDrafter: { roles: ['department_leader'], relation: { ...NO_OUTGOING_RELATION, drafter: true, noReviewer: true } },
  reviewer: { roles: ['department_leader'], relation: { ...NO_OUTGOING_RELATION, reviewer: true } },
  approver: { roles: ['department_leader'], relation: { ...NO_OUTGOING_RELATION, currentApprover: true } },
  signerWaiting: { roles: ['agency_leader'], relation: { ...NO_OUTGOING_RELATION, signer: true } },
  signerAtStep: { roles: ['agency_leader'], relation: { ...NO_OUTGOING_RELATION, signer: true, currentApprover: true, atLastStep: true } },
  clerk: { roles: ['clerk'], relation: NO_OUTGOING_RELATION },
  stranger: { roles: ['officer'], relation: NO_OUTGOING_RELATION },
};

/** The specification, written out once more: from which states, by whom. */
const EXPECTED: Record<OutgoingAction, { from: OutgoingState[]; to: OutgoingState | 'same'; who: string[] }> = {
  save_version: { from: ['draft', 'reviewed'], to: 'draft', who: ['drafter', 'leaderDrafter'] },
  submit_review: { from: ['draft'], to: 'in_review', who: ['drafter', 'leaderDrafter'] },
  approve_review: { from: ['in_review'], to: 'reviewed', who: ['reviewer'] },
  return_review: { from: ['in_review'], to: 'draft', who: ['reviewer'] },
  submit_signature: { from: ['draft', 'reviewed'], to: 'in_approval', who: ['drafter', 'leaderDrafter'] },
  approve: { from: ['in_approval'], to: 'same', who: ['approver'] },
  sign: { from: ['in_approval'], to: 'signed', who: ['signerAtStep'] },
  return_signature: { from: ['in_approval'], to: 'draft', who: ['approver', 'signerAtStep'] },
  number: { from: ['signed'], to: 'numbered', who: ['clerk'] },
  issue: { from: ['numbered'], to: 'issued', who: ['clerk'] },
  recall: { from: ['issued'], to: 'same', who: ['clerk', 'signerWaiting', 'signerAtStep'] },
  cancel: { from: ['draft', 'reviewed'], to: 'cancelled', who: ['drafter', 'leaderDrafter'] },
};

describe('outgoing document workflow', () => {
  for (const action of OUTGOING_ACTIONS) {
    const spec = EXPECTED[action];
    it(`${action}: allowed exactly from ${spec.from.join(', ')} for ${spec.who.join(', ')}`, () => {
      for (const state of OUTGOING_STATES) {
        for (const [who, person] of Object.entries(PEOPLE)) {
          const d = decideOutgoing({ action, state, roles: person.roles, relation: person.relation, text: 'ý kiến' });
          const why = `${action} from ${state} by ${who}`;
          if (!spec.from.includes(state)) assert.deepEqual(d, { ok: false, problem: 'wrong_state' }, why);
          else if (!spec.who.includes(who)) assert.deepEqual(d, { ok: false, problem: 'not_allowed' }, why);
          else if (action === 'submit_signature' && state === 'draft' && who === 'drafter')
            assert.deepEqual(d, { ok: false, problem: 'review_required' }, why);
          else assert.deepEqual(d, { ok: true, next: spec.to === 'same' ? state : spec.to }, why);
        }
      }
    });
  }

  it('sends an officer’s draft through review first; a leader’s own draft goes straight up the chain', () => {
    assert.deepEqual(availableOutgoingActions('draft', ['officer'], PEOPLE.drafter!.relation), ['save_version', 'submit_review', 'cancel']);
    assert.deepEqual(availableOutgoingActions('draft', ['department_leader'], PEOPLE.leaderDrafter!.relation), [
      'save_version',
      'submit_review',
      'submit_signature',
      'cancel',
    ]);
  });

  it('asks for comments to return a draft, a reason to recall or cancel', () => {
    for (const [action, who, state] of [
      ['return_review', 'reviewer', 'in_review'],
      ['return_signature', 'approver', 'in_approval'],
      ['recall', 'clerk', 'issued'],
      ['cancel', 'drafter', 'draft'],
    ] as const) {
      const p = PEOPLE[who]!;
      assert.deepEqual(decideOutgoing({ action, state, roles: p.roles, relation: p.relation, text: ' ' }), {
        ok: false,
        problem: 'reason_required',
      });
    }
  });

  it('lets no role alone do what belongs to a person’s place in the document', () => {
    for (const action of ['approve_review', 'approve', 'sign'] as const) {
      for (const role of ROLES) {
        const state = action === 'approve_review' ? 'in_review' : 'in_approval';
        assert.equal(decideOutgoing({ action, state, roles: [role], relation: NO_OUTGOING_RELATION }).ok, false);
      }
    }
  });
});

describe('issuing on the signing day (QĐ 28/2018)', () => {
  // Tuesday 1 September 2026 and Wednesday 2 September are holidays (Quốc khánh).
  const calendar = new WorkingCalendar([
    { day: '2026-09-01', working: false },
    { day: '2026-09-02', working: false },
  ]);
  const at = (iso: string) => new Date(`${iso}+07:00`);

  it('gives the end of the signing day and the end of the next working morning', () => {
    const d = issueDeadlines(at('2026-08-28T10:00:00'), calendar);
    // Friday: the next working day is Monday 31 August.
    assert.equal(d.nextWorkingDay, '2026-08-31');
    assert.deepEqual(d.endOfNextMorning, at('2026-08-31T12:00:00'));
    // Monday 31 August: the holidays and nothing else push it to Thursday 3 September.
    assert.equal(issueDeadlines(at('2026-08-31T16:00:00'), calendar).nextWorkingDay, '2026-09-03');
  });

  it('judges an issued document: same day, next morning, or late', () => {
    const signed = at('2026-08-28T15:00:00');
    const issued = (iso: string) => issueTiming(signed, at(iso), at('2026-09-10T00:00:00'), calendar);
    assert.deepEqual(issued('2026-08-28T23:30:00'), { issued: true, on: 'same_day' });
    assert.deepEqual(issued('2026-08-31T11:59:00'), { issued: true, on: 'next_morning' });
    assert.deepEqual(issued('2026-08-31T13:00:00'), { issued: true, on: 'late' });
  });

  it('flags a document not issued by the end of the signing day, and calls it late after the next morning', () => {
    const signed = at('2026-08-28T15:00:00');
    const now = (iso: string) => issueTiming(signed, null, at(iso), calendar);
    assert.deepEqual(now('2026-08-28T16:59:00'), { issued: false, flag: 'none' });
    assert.deepEqual(now('2026-08-28T17:01:00'), { issued: false, flag: 'past_signing_day' });
    assert.deepEqual(now('2026-08-30T09:00:00'), { issued: false, flag: 'past_signing_day' });
    assert.deepEqual(now('2026-08-31T12:01:00'), { issued: false, flag: 'late' });
    // Signed in the evening: flagged at once, and still in time the next working morning.
    const evening = at('2026-08-28T19:00:00');
    assert.deepEqual(issueTiming(evening, null, at('2026-08-28T19:05:00'), calendar), { issued: false, flag: 'past_signing_day' });
    assert.deepEqual(issueTiming(evening, at('2026-08-31T08:00:00'), at('2026-08-31T08:00:00'), calendar), {
      issued: true,
      on: 'next_morning',
    });
  });
});

describe('the approval chain a draft is given', () => {
  it('takes the configured checks in order, each department once, skips those without a leader, and ends with the signer', () => {
    const chain = approvalChain(
      [
        { departmentId: 'vp', hasLeader: true },
        { departmentId: 'kt', hasLeader: false },
        { departmentId: 'vp', hasLeader: true },
        { departmentId: 'th', hasLeader: true },
      ],
      'chairman',
    );
    assert.deepEqual(chain, [
      { position: 1, departmentId: 'vp', signerId: null },
      { position: 2, departmentId: 'th', signerId: null },
      { position: 3, departmentId: null, signerId: 'chairman' },
    ]);
    assert.deepEqual(approvalChain([], 'chairman'), [{ position: 1, departmentId: null, signerId: 'chairman' }]);
  });
});

describe('where the clerk writes the number and date on a signed page', () => {
  const measure = (text: string, size: number) => text.length * size * 0.5;
  const word = (text: string, xMin: number, y: number) => ({ text, xMin, xMax: xMin + text.length * 6, yMin: y, yMax: y + 14 });
  const wanted = { number: '07', notation: 'UBND-VP', date: { day: '05', month: '3', year: '2026' } };
  const dateLine = [
    word('Bình', 250, 86),
    word('An,', 280, 86),
    word('ngày', 300, 86),
    word('tháng', 360, 86),
    word('năm', 420, 86),
    word('2026', 450, 86),
  ];

  it('fills the blanks of the template: the number before the printed notation, the day and month between the words', () => {
    const placed = placeNumber([word('Số:', 100, 86), word('/UBND-VP', 160, 86), ...dateLine], 842, wanted, measure);
    assert.equal(placed.ok, true);
    if (!placed.ok) return;
    assert.equal(placed.where, 'number_line');
    assert.deepEqual(
      placed.texts.map((t) => t.text),
      ['07', '05', '3'],
      'the year is printed already',
    );
    const [number, day] = placed.texts;
    assert.ok(number!.x > 118 && number!.x + measure('07', number!.size) < 160, 'the number sits in the gap');
    assert.ok(day!.x > 324 && day!.x < 360);
  });

  it('writes the whole code after a bare "Số:", and the date after it when the page has no date line', () => {
    const placed = placeNumber([word('Số:', 100, 86)], 842, wanted, measure);
    assert.ok(placed.ok);
    assert.deepEqual(
      placed.texts.map((t) => t.text),
      ['07/UBND-VP', 'ngày 05/3/2026'],
    );
  });

  it('refuses a page whose printed notation is not the one the type and unit give', () => {
    assert.deepEqual(placeNumber([word('Số:', 100, 86), word('/UBND-KT', 160, 86)], 842, wanted, measure), {
      ok: false,
      problem: 'notation_mismatch',
      onPage: '/UBND-KT',
    });
  });

  it('puts everything in the top margin of a page without "Số:"', () => {
    const placed = placeNumber([word('Kính', 80, 200)], 842, wanted, measure);
    assert.ok(placed.ok);
    assert.equal(placed.where, 'top_margin');
    assert.deepEqual(
      placed.texts.map((t) => t.text),
      ['Số: 07/UBND-VP, ngày 05 tháng 3 năm 2026'],
    );
  });

  it('reads the words of pdftotext -bbox, entities decoded', () => {
    const { pageHeight, words } = wordsOfBbox(
      '<page width="595.28" height="841.89">\n<word xMin="1.5" yMin="2" xMax="3" yMax="4">A&amp;B</word></page>',
    );
    assert.equal(pageHeight, 841.89);
    assert.deepEqual(words, [{ xMin: 1.5, yMin: 2, xMax: 3, yMax: 4, text: 'A&B' }]);
  });
});
