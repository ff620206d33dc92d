import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { isAgencyCode, validateAgencyCode } from '../src/agency-code.js';

describe('agency codes', () => {
  it('reads the level and the parent from right to left', () => {
    assert.deepEqual(validateAgencyCode('000.00.00.H49'), { ok: true, code: '000.00.00.H49', level: 1, parent: null });
    assert.deepEqual(validateAgencyCode('000.00.24.H44'), { ok: true, code: '000.00.24.H44', level: 2, parent: '000.00.00.H44' });
    assert.deepEqual(validateAgencyCode('000.46.24.H44'), { ok: true, code: '000.46.24.H44', level: 3, parent: '000.00.24.H44' });
    assert.deepEqual(validateAgencyCode('101.46.24.H44'), { ok: true, code: '101.46.24.H44', level: 4, parent: '000.46.24.H44' });
    assert.equal(validateAgencyCode('000.00.00.G22').ok, true);
  });

  it('refuses other shapes', () => {
    for (const bad of [
      '',
      '000.00.00.h49',
      '00.00.00.H49',
      '000.00.00.H4',
      '000.00.00.49',
      '000.00.00.HH9',
      '000-00-00-H49',
      ' 000.00.00.H49',
      '000.00.00.H49.1',
    ]) {
      assert.equal(isAgencyCode(bad), false, JSON.stringify(bad));
    }
  });

  it('refuses a lower level used while a higher one is zero', () => {
    const reason = (code: string) => (validateAgencyCode(code) as { reason: { vi: string; en: string } }).reason;
    assert.match(reason('000.46.00.H44').en, /level 3/);
    assert.match(reason('000.46.00.H44').vi, /cấp 3/);
    assert.match(reason('101.00.24.H44').en, /level 4/);
    assert.match(reason('12.34').vi, /bốn nhóm/);
  });
});
