import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseRole } from '../src/directory/roles.js';

describe('roles written by people', () => {
  it('reads codes, Vietnamese and English labels, with or without diacritics', () => {
    assert.equal(parseRole('clerk'), 'clerk');
    assert.equal(parseRole('Văn thư'), 'clerk');
    assert.equal(parseRole('van thu'), 'clerk');
    assert.equal(parseRole('Lãnh đạo phòng'), 'department_leader');
    assert.equal(parseRole('department leader'), 'department_leader');
    assert.equal(parseRole('QUẢN TRỊ HỆ THỐNG'), 'administrator');
  });

  it('gives null for anything else', () => {
    assert.equal(parseRole('giám đốc'), null);
    assert.equal(parseRole(''), null);
  });
});
