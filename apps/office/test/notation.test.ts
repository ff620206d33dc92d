import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { NotationError, notationOf, numberAndNotation } from '../src/document-types/notation.js';

describe('number and notation of an outgoing document', () => {
  it('writes a typed document as number/TYPE-AGENCY', () => {
    assert.equal(numberAndNotation({ number: '125', typeAbbreviation: 'QĐ', agencyAbbreviation: 'UBND' }), '125/QĐ-UBND');
    assert.equal(numberAndNotation({ number: '07', typeAbbreviation: 'KH', agencyAbbreviation: 'STC' }), '07/KH-STC');
  });

  it('writes a Công văn as number/AGENCY-UNIT, the unit being the drafting department', () => {
    assert.equal(
      numberAndNotation({ number: '125', typeAbbreviation: null, agencyAbbreviation: 'UBND', unitAbbreviation: 'VP' }),
      '125/UBND-VP',
    );
    assert.throws(() => notationOf({ typeAbbreviation: null, agencyAbbreviation: 'UBND' }), NotationError);
  });

  it('keeps Vietnamese letters and refuses spaces, slashes and dashes inside a part', () => {
    assert.equal(notationOf({ typeAbbreviation: 'QyĐ', agencyAbbreviation: 'SYT' }), 'QyĐ-SYT');
    for (const bad of ['Q Đ', 'QĐ/1', 'QĐ-X', '']) {
      assert.throws(() => notationOf({ typeAbbreviation: bad, agencyAbbreviation: 'UBND' }), NotationError, bad);
    }
  });

  it('writes register numbers with at least two digits', () => {
    assert.throws(() => numberAndNotation({ number: '7', typeAbbreviation: 'TB', agencyAbbreviation: 'UBND' }), NotationError);
    assert.equal(numberAndNotation({ number: '1250', typeAbbreviation: 'TB', agencyAbbreviation: 'UBND' }), '1250/TB-UBND');
  });
});
