import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Level } from '../src/directory/agency-rules.js';
import { planAgencyImport, planUserImport, type ExistingAgency } from '../src/directory/import-plan.js';

const levels: Level[] = [
  { code: 'central', nameVi: 'Trung ương', nameEn: 'Central', rank: 0 },
  { code: 'province', nameVi: 'Tỉnh', nameEn: 'Province', rank: 1 },
  { code: 'commune', nameVi: 'Xã', nameEn: 'Commune', rank: 3 },
];
const province: ExistingAgency = { id: 'p', level: 'province', path: '/p/' };
const other: ExistingAgency = { id: 'o', level: 'province', path: '/o/' };
const existing = new Map([
  ['000.00.00.H99', province],
  ['000.00.00.H98', other],
]);
const administers = (a: ExistingAgency) => a.id === 'p';
const row = (line: number, code: string, name: string, level: string, parent: string) => ({
  line,
  values: { code, name, short_name: name, level, parent_code: parent },
});

describe('planning an agency import', () => {
  it('orders rows parents first, whatever their order in the file', () => {
    const plan = planAgencyImport(
      [row(2, '000.01.01.H99', 'Xã A', 'commune', '000.00.01.H99'), row(3, '000.00.01.h99', 'Sở B', 'province', '000.00.00.H99')],
      levels,
      existing,
      administers,
    );
    assert.ok(plan.ok);
    assert.deepEqual(
      plan.items.map((a) => [a.code, 'existing' in a.parent ? a.parent.existing.id : a.parent.code]),
      [
        ['000.00.01.H99', 'p'],
        ['000.01.01.H99', '000.00.01.H99'],
      ],
    );
  });

  it('rejects the whole file and reports every bad row with its line and field', () => {
    const plan = planAgencyImport(
      [
        row(2, 'not-a-code', 'X', 'province', '000.00.00.H99'),
        row(3, '000.00.02.H99', 'Y', 'district', '000.00.00.H99'),
        row(4, '000.00.03.H99', 'Z', 'province', '000.00.77.H99'),
        row(5, '000.00.00.H99', 'Dup', 'province', '000.00.00.H98'),
        row(6, '000.00.04.H99', 'Fine', 'province', '000.00.00.H99'),
      ],
      levels,
      existing,
      administers,
    );
    assert.equal(plan.ok, false);
    if (plan.ok) return;
    const fields = plan.rejected.map((r) => [r.line, r.errors.map((e) => e.field)]);
    assert.deepEqual(fields, [
      [2, ['code']],
      [3, ['level']],
      [4, ['parent_code']],
      [5, ['code', 'parent_code']],
    ]);
    for (const r of plan.rejected) for (const e of r.errors) assert.ok(e.vi.length > 0 && e.en.length > 0);
  });

  it('refuses a parent the importer does not administer', () => {
    const plan = planAgencyImport([row(2, '000.00.01.H98', 'Sở', 'province', '000.00.00.H98')], levels, existing, administers);
    assert.equal(plan.ok, false);
    assert.match(plan.ok ? '' : plan.rejected[0]!.errors[0]!.en, /do not administer/);
  });

  it('refuses repeated codes, cycles and a child whose parent row is rejected', () => {
    const plan = planAgencyImport(
      [
        row(2, '000.00.01.H99', 'A', 'province', '000.00.02.H99'),
        row(3, '000.00.02.H99', 'B', 'province', '000.00.01.H99'),
        row(4, '000.00.05.H99', 'C', 'province', '000.00.00.H99'),
        row(5, '000.00.05.H99', 'C again', 'province', '000.00.00.H99'),
        row(6, '000.01.05.H99', 'D', 'commune', '000.00.06.H99'),
        row(7, '000.00.06.H99', 'Bad level', 'nowhere', '000.00.00.H99'),
      ],
      levels,
      existing,
      administers,
    );
    assert.equal(plan.ok, false);
    if (plan.ok) return;
    assert.deepEqual(
      plan.rejected.map((r) => r.line),
      [2, 3, 5, 6, 7],
    );
  });

  it('refuses a parent of a lower level than the child', () => {
    const plan = planAgencyImport(
      [row(2, '000.00.07.H99', 'Xã', 'commune', '000.00.00.H99'), row(3, '000.01.07.H99', 'Sở dưới xã', 'province', '000.00.07.H99')],
      levels,
      existing,
      administers,
    );
    assert.equal(plan.ok, false);
    assert.deepEqual(plan.ok ? [] : plan.rejected.map((r) => [r.line, r.errors[0]!.field]), [[3, 'parent_code']]);
  });
});

describe('planning a user import', () => {
  const departments = new Map([['vp', 'dept-vp']]);
  const user = (line: number, values: Partial<Record<string, string>>) => ({
    line,
    values: {
      username: 'nv.a',
      full_name: 'Nguyễn Văn A',
      email: '',
      password: 'MatKhau2026',
      department_code: 'VP',
      roles: 'văn thư|chuyên viên',
      position: 'Văn thư',
      ...values,
    } as Record<string, string>,
  });

  it('reads roles by name, departments by code and keeps the rows in order', () => {
    const plan = planUserImport(
      [user(2, {}), user(3, { username: 'NV.B', department_code: '', roles: 'officer' })],
      departments,
      new Set(),
    );
    assert.ok(plan.ok);
    assert.deepEqual(
      plan.items.map((u) => [u.username, u.departmentId, u.roles]),
      [
        ['nv.a', 'dept-vp', ['clerk', 'officer']],
        ['nv.b', null, ['officer']],
      ],
    );
  });

  it('rejects the whole file and says what is wrong on each line', () => {
    const plan = planUserImport(
      [
        user(2, { username: 'taken' }),
        user(3, { username: 'nv.c', password: 'short' }),
        user(4, { username: 'nv.c', email: 'not-an-email' }),
        user(5, { username: 'nv.d', department_code: 'XX', roles: 'giám đốc' }),
        user(6, { username: 'Có dấu' }),
        user(7, { username: 'nv.e', full_name: '' }),
      ],
      departments,
      new Set(['taken']),
    );
    assert.equal(plan.ok, false);
    if (plan.ok) return;
    assert.deepEqual(
      plan.rejected.map((r) => [r.line, r.errors.map((e) => e.field)]),
      [
        [2, ['username']],
        [3, ['password']],
        [4, ['username', 'email']],
        [5, ['department_code', 'roles']],
        [6, ['username']],
        [7, ['full_name']],
      ],
    );
  });
});
