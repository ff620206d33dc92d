import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ancestorsFromPath, mayActFor } from '../src/auth/access-rules.js';

const province = 'p';
const so = 's';
const commune = 'c';

describe('who may act for an agency', () => {
  it('lets a member act for their own agency with a role the route admits', () => {
    const clerk = [{ agencyId: so, roles: ['clerk' as const] }];
    assert.equal(mayActFor(clerk, { agencyId: so, ancestorIds: [province], roles: ['clerk', 'officer'] }), true);
    assert.equal(mayActFor(clerk, { agencyId: so, ancestorIds: [province], roles: [] }), true);
  });

  it('refuses a member whose roles the route does not admit', () => {
    const officer = [{ agencyId: so, roles: ['officer' as const] }];
    assert.equal(mayActFor(officer, { agencyId: so, ancestorIds: [province], roles: ['administrator'] }), false);
  });

  it('refuses anyone of another agency, whatever their roles', () => {
    const leaderElsewhere = [{ agencyId: commune, roles: ['agency_leader' as const, 'clerk' as const] }];
    assert.equal(mayActFor(leaderElsewhere, { agencyId: so, ancestorIds: [province], roles: [] }), false);
  });

  it('lets an administrator of an agency above administer the agencies below', () => {
    const provinceAdmin = [{ agencyId: province, roles: ['administrator' as const] }];
    assert.equal(mayActFor(provinceAdmin, { agencyId: commune, ancestorIds: ['d', province], roles: ['administrator'] }), true);
  });

  it('does not pass anything but administration down the tree', () => {
    const provinceAdmin = [{ agencyId: province, roles: ['administrator' as const, 'clerk' as const] }];
    assert.equal(mayActFor(provinceAdmin, { agencyId: so, ancestorIds: [province], roles: ['clerk'] }), false);
    assert.equal(mayActFor(provinceAdmin, { agencyId: so, ancestorIds: [province], roles: [] }), false);
  });

  it('does not let an administrator below act for the agency above', () => {
    const communeAdmin = [{ agencyId: commune, roles: ['administrator' as const] }];
    assert.equal(mayActFor(communeAdmin, { agencyId: province, ancestorIds: [], roles: ['administrator'] }), false);
  });

  it('reads ancestors from a path, nearest first', () => {
    assert.deepEqual(ancestorsFromPath('/p/d/c/'), ['d', 'p']);
    assert.deepEqual(ancestorsFromPath('/p/'), []);
  });
});
