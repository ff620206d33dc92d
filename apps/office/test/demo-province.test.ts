import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { validateAgencyCode } from '@vanban/edxml';
import { generateDemoProvince } from '../src/demo/province.js';
import { ROLES } from '../src/directory/roles.js';

describe('the demo province', () => {
  const province = generateDemoProvince();

  it('is the same for the same seed and differs for another', () => {
    assert.deepEqual(generateDemoProvince(), province);
    assert.notDeepEqual(generateDemoProvince(7).users, province.users);
  });

  it('has a People’s Committee, about 20 departments, 8 districts and about 100 communes', () => {
    const byLevel = (level: string) => province.agencies.filter((a) => a.level === level);
    const root = province.agencies.filter((a) => a.parentCode === null);
    assert.equal(root.length, 1);
    assert.match(root[0]!.name, /^Ủy ban nhân dân tỉnh/);
    assert.equal(byLevel('province').length - 1, 20);
    assert.equal(byLevel('district').length, 8);
    const communes = byLevel('commune').length;
    assert.ok(communes >= 95 && communes <= 110, `${communes} communes`);
  });

  it('gives every agency a valid, unique code under its parent’s code', () => {
    const codes = new Set<string>();
    for (const a of province.agencies) {
      assert.ok(validateAgencyCode(a.code).ok, a.code);
      assert.ok(!codes.has(a.code), `duplicate ${a.code}`);
      codes.add(a.code);
      if (a.parentCode) assert.ok(codes.has(a.parentCode), `${a.code} comes after its parent`);
    }
  });

  it('staffs every agency with 3 to 5 people covering every role', () => {
    for (const a of province.agencies) {
      const staff = province.users.filter((u) => u.memberships.some((m) => m.agencyCode === a.code && !u.username.startsWith('kiemnhiem')));
      assert.ok(staff.length >= 3 && staff.length <= 6, `${a.name}: ${staff.length}`);
      const roles = new Set(staff.flatMap((u) => u.memberships.flatMap((m) => m.roles)));
      assert.deepEqual([...roles].sort(), [...ROLES].sort(), a.name);
    }
  });

  it('has unique usernames and one user working in two agencies', () => {
    const names = province.users.map((u) => u.username);
    assert.equal(new Set(names).size, names.length);
    assert.equal(province.users.find((u) => u.username === 'kiemnhiem')?.memberships.length, 2);
  });
});

describe('a larger province (the benchmark’s)', () => {
  const province = generateDemoProvince(2026, { districts: 26, communesPerDistrict: 22 });

  it('has the People’s Committee, its 20 departments, the districts asked for and their communes', () => {
    assert.equal(province.agencies.length, 1 + 20 + 26 + 26 * 22);
    assert.equal(province.agencies.filter((a) => a.level === 'district').length, 26);
  });

  it('keeps codes, district names and usernames unique', () => {
    assert.equal(new Set(province.agencies.map((a) => a.code)).size, province.agencies.length);
    const districts = province.agencies.filter((a) => a.level === 'district').map((a) => a.name);
    assert.equal(new Set(districts).size, districts.length);
    const names = province.users.map((u) => u.username);
    assert.equal(new Set(names).size, names.length);
    for (const a of province.agencies) assert.ok(validateAgencyCode(a.code).ok, a.code);
  });

  it('starts with the demo’s own districts, so the demo’s logins mean the same', () => {
    const demo = generateDemoProvince();
    const demoDistricts = demo.agencies.filter((a) => a.level === 'district').map((a) => a.code);
    for (const code of demoDistricts) assert.ok(province.agencies.some((a) => a.code === code));
  });

  it('refuses a size agency codes cannot number', () => {
    assert.throws(() => generateDemoProvince(2026, { districts: 69, communesPerDistrict: 10 }), RangeError);
    assert.throws(() => generateDemoProvince(2026, { districts: 10, communesPerDistrict: 100 }), RangeError);
  });
});
