import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { generateSync } from 'otplib';
import { BlobStore, connect, createTestDatabase, type Database, type TestDatabase } from '@vanban/db';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/app.js';
import { DEMO_PASSWORD, seedDemoProvince } from '../src/demo/seed.js';
import { defaultSettings, migrateOffice } from '../src/office.js';
import type { OfficeSchema } from '../src/schema.js';

let testDb: TestDatabase;
let database: Database<OfficeSchema>;
let app: FastifyInstance;

before(async () => {
  testDb = await createTestDatabase();
  await migrateOffice(testDb.url);
  database = connect<OfficeSchema>(testDb.url);
  await seedDemoProvince(database.db);
  app = await buildApp({
    db: database.db,
    files: new BlobStore(mkdtempSync(join(tmpdir(), 'vanban-api-files-'))),
    verifier: null,
    keys: null,
    settings: { ...defaultSettings, maxUploadBytes: 64 * 1024 },
  });
});
after(async () => {
  await app.close();
  await database.close();
  await testDb.drop();
});

async function login(username: string, password = DEMO_PASSWORD, totpCode?: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password, totpCode } });
  assert.equal(res.statusCode, 200, res.body);
  const cookie = res.cookies.find((c) => c.name === 'vanban_session');
  assert.ok(cookie && cookie.httpOnly && cookie.sameSite === 'Strict');
  return `vanban_session=${cookie.value}`;
}

function errorCode(res: LightMyRequestResponse): string {
  const body = res.json() as { error: { code: string; message: { vi: string; en: string } } };
  assert.ok(body.error.message.vi.length > 0 && body.error.message.en.length > 0, 'messages in both languages');
  return body.error.code;
}

async function agencyId(code: string): Promise<string> {
  return (await database.db.selectFrom('agencies').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
}

function csvUpload(url: string, cookie: string, csv: string | Buffer) {
  const boundary = '----vanban';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\nContent-Type: text/csv\r\n\r\n`),
    Buffer.isBuffer(csv) ? csv : Buffer.from(csv),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return app.inject({ method: 'POST', url, payload, headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` } });
}

describe('logging in', () => {
  it('opens a session for the right password and tells who the user is and where they work', async () => {
    const cookie = await login('kiemnhiem');
    const me = (await app.inject({ url: '/api/auth/me', headers: { cookie } })).json();
    assert.equal(me.user.username, 'kiemnhiem');
    assert.equal(me.memberships.length, 2);
    assert.ok(me.memberships.some((m: { agencyId: string }) => m.agencyId === me.currentAgencyId));
  });

  it('refuses a wrong password without saying whether the user exists', async () => {
    const wrong = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'vt.ubnd', password: 'nope-nope-1' } });
    const ghost = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'ghost', password: 'nope-nope-1' } });
    assert.equal(wrong.statusCode, 401);
    assert.equal(errorCode(wrong), 'invalid_credentials');
    assert.equal(ghost.statusCode, 401);
    assert.equal(errorCode(ghost), 'invalid_credentials');
  });

  it('locks an account after five failures in a row, even for the right password', async () => {
    for (let i = 0; i < 4; i++) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'cv.sotp', password: 'wrong-pass-1' } });
      assert.equal(res.statusCode, 401);
    }
    const fifth = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'cv.sotp', password: 'wrong-pass-1' } });
    assert.equal(fifth.statusCode, 423);
    const right = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'cv.sotp', password: DEMO_PASSWORD } });
    assert.equal(right.statusCode, 423);
    assert.equal(errorCode(right), 'account_locked');
  });

  it('refuses every API route without a session', async () => {
    const res = await app.inject({ url: '/api/agencies' });
    assert.equal(res.statusCode, 401);
    assert.equal(errorCode(res), 'unauthenticated');
  });

  it('ends the session at logout', async () => {
    const cookie = await login('cv.ubnd');
    assert.equal((await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } })).statusCode, 204);
    assert.equal((await app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode, 401);
  });

  it('asks for the two-factor code once it is enabled, and accepts only a right one', async () => {
    const cookie = await login('ld.sotp');
    const setup = (await app.inject({ method: 'POST', url: '/api/auth/totp/setup', headers: { cookie } })).json();
    assert.match(setup.otpauthUrl, /^otpauth:\/\/totp\//);
    const bad = await app.inject({ method: 'POST', url: '/api/auth/totp/enable', headers: { cookie }, payload: { code: '000000' } });
    assert.equal(bad.statusCode, 400);
    const code = generateSync({ secret: setup.secret });
    const ok = await app.inject({ method: 'POST', url: '/api/auth/totp/enable', headers: { cookie }, payload: { code } });
    assert.equal(ok.statusCode, 204);
    const noCode = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'ld.sotp', password: DEMO_PASSWORD } });
    assert.equal(errorCode(noCode), 'totp_required');
    await login('ld.sotp', DEMO_PASSWORD, generateSync({ secret: setup.secret }));
  });

  it('changes the password only with the current one and only to a strong one', async () => {
    const cookie = await login('tp.sotp');
    const url = '/api/auth/change-password';
    const wrong = await app.inject({
      method: 'POST',
      url,
      headers: { cookie },
      payload: { currentPassword: 'x', newPassword: 'MoiMoi20262026' },
    });
    assert.equal(wrong.statusCode, 401);
    const weak = await app.inject({
      method: 'POST',
      url,
      headers: { cookie },
      payload: { currentPassword: DEMO_PASSWORD, newPassword: 'short' },
    });
    assert.equal(errorCode(weak), 'weak_password');
    const ok = await app.inject({
      method: 'POST',
      url,
      headers: { cookie },
      payload: { currentPassword: DEMO_PASSWORD, newPassword: 'MoiMoi20262026' },
    });
    assert.equal(ok.statusCode, 204);
    await login('tp.sotp', 'MoiMoi20262026');
  });

  it('switches only to an agency the user works in', async () => {
    const cookie = await login('kiemnhiem');
    const sotc = await agencyId('000.00.04.H99');
    const me = (
      await app.inject({ method: 'POST', url: '/api/auth/switch-agency', headers: { cookie }, payload: { agencyId: sotc } })
    ).json();
    assert.equal(me.currentAgencyId, sotc);
    const elsewhere = await agencyId('000.00.05.H99');
    const res = await app.inject({ method: 'POST', url: '/api/auth/switch-agency', headers: { cookie }, payload: { agencyId: elsewhere } });
    assert.equal(res.statusCode, 403);
  });
});

describe('the directory', () => {
  it('lists the tree from the root, a page at a time', async () => {
    const cookie = await login('vt.ubnd');
    const roots = (await app.inject({ url: '/api/agencies?parentId=root', headers: { cookie } })).json();
    assert.equal(roots.items.length, 1);
    assert.equal(roots.items[0].code, '000.00.00.H99');
    assert.equal(roots.items[0].childCount, 28);
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const query: string = `/api/agencies?parentId=${roots.items[0].id}&limit=10${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await app.inject({ url: query, headers: { cookie } })).json();
      for (const a of page.items) seen.add(a.id);
      cursor = page.nextCursor;
    } while (cursor);
    assert.equal(seen.size, 28);
  });

  it('finds agencies by part of their name or code', async () => {
    const cookie = await login('vt.ubnd');
    const found = (await app.inject({ url: `/api/agencies?q=${encodeURIComponent('tài chính')}`, headers: { cookie } })).json();
    assert.deepEqual(
      found.items.map((a: { code: string }) => a.code),
      ['000.00.04.H99'],
    );
  });

  it('lets the province administrator add a department and a user to a department below', async () => {
    const cookie = await login('qt.ubnd');
    const sotc = await agencyId('000.00.04.H99');
    const dept = await app.inject({
      method: 'POST',
      url: `/api/agencies/${sotc}/departments`,
      headers: { cookie },
      payload: { code: 'QLNS', name: 'Phòng Quản lý ngân sách' },
    });
    assert.equal(dept.statusCode, 201, dept.body);
    const again = await app.inject({
      method: 'POST',
      url: `/api/agencies/${sotc}/departments`,
      headers: { cookie },
      payload: { code: 'QLNS2', name: 'phòng quản lý ngân sách' },
    });
    assert.equal(errorCode(again), 'duplicate_department');
    const user = await app.inject({
      method: 'POST',
      url: `/api/agencies/${sotc}/users`,
      headers: { cookie },
      payload: {
        username: 'cv.ngansach',
        fullName: 'Trần Thị Ngân',
        password: 'NganSach2026',
        departmentId: dept.json().id,
        roles: ['officer'],
        position: 'Chuyên viên',
      },
    });
    assert.equal(user.statusCode, 201, user.body);
    assert.equal(user.json().departmentName, 'Phòng Quản lý ngân sách');
    await login('cv.ngansach', 'NganSach2026');
    const dup = await app.inject({
      method: 'POST',
      url: `/api/agencies/${sotc}/users`,
      headers: { cookie },
      payload: { username: 'CV.NGANSACH', fullName: 'X', password: 'NganSach2026', roles: ['officer'] },
    });
    assert.equal(errorCode(dup), 'duplicate_username');
  });

  it('keeps one agency’s people and departments from the members of another', async () => {
    const cookie = await login('vt.sotc');
    const ubnd = await agencyId('000.00.00.H99');
    for (const url of [`/api/agencies/${ubnd}/users`, `/api/agencies/${ubnd}/departments`]) {
      const res = await app.inject({ url, headers: { cookie } });
      assert.equal(res.statusCode, 403, url);
      assert.equal(errorCode(res), 'forbidden');
    }
    const own = await app.inject({ url: `/api/agencies/${await agencyId('000.00.04.H99')}/departments`, headers: { cookie } });
    assert.equal(own.statusCode, 200);
  });

  it('does not let a commune administrator administer the province', async () => {
    const cookie = await login('vt.tanhoa.01');
    const ubnd = await agencyId('000.00.00.H99');
    const res = await app.inject({
      method: 'POST',
      url: `/api/agencies/${ubnd}/departments`,
      headers: { cookie },
      payload: { code: 'X', name: 'X' },
    });
    assert.equal(res.statusCode, 403);
  });

  it('adds an agency with a valid, new code and says why it refuses others', async () => {
    const cookie = await login('qt.ubnd');
    const parentId = await agencyId('000.00.00.H99');
    const add = (code: string, level = 'province') =>
      app.inject({
        method: 'POST',
        url: '/api/agencies',
        headers: { cookie },
        payload: { code, name: 'Sở Mới', shortName: 'SM', level, parentId },
      });
    const ok = await add('000.00.25.h99');
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal(ok.json().code, '000.00.25.H99');
    assert.equal(errorCode(await add('000.00.25.H99')), 'duplicate_agency_code');
    assert.equal(errorCode(await add('25.H99')), 'invalid_agency_code');
    assert.equal(errorCode(await add('000.00.26.H99', 'central')), 'invalid_parent');
    assert.equal(errorCode(await add('000.00.27.H99', 'planet')), 'invalid_level');
  });

  it('validates every input with a structured error', async () => {
    const cookie = await login('qt.ubnd');
    const res = await app.inject({ method: 'POST', url: '/api/agencies', headers: { cookie }, payload: { code: 1 } });
    assert.equal(res.statusCode, 400);
    assert.equal(errorCode(res), 'validation_failed');
    assert.ok(Array.isArray(res.json().error.details));
  });
});

describe('managing the people of an agency', () => {
  it('lets an existing user also work in another agency, then removes them from it', async () => {
    const cookie = await login('qt.ubnd');
    const soyt = await agencyId('000.00.09.H99');
    const added = await app.inject({
      method: 'POST',
      url: `/api/agencies/${soyt}/memberships`,
      headers: { cookie },
      payload: { username: 'cv.ubnd', roles: ['officer'], position: 'Chuyên viên biệt phái' },
    });
    assert.equal(added.statusCode, 201, added.body);
    const twice = await app.inject({
      method: 'POST',
      url: `/api/agencies/${soyt}/memberships`,
      headers: { cookie },
      payload: { username: 'cv.ubnd', roles: ['officer'] },
    });
    assert.equal(twice.statusCode, 409);
    const user = added.json().id as string;
    const worker = await login('cv.ubnd');
    const me = (
      await app.inject({ method: 'POST', url: '/api/auth/switch-agency', headers: { cookie: worker }, payload: { agencyId: soyt } })
    ).json();
    assert.equal(me.currentAgencyId, soyt);
    const changed = await app.inject({
      method: 'PATCH',
      url: `/api/agencies/${soyt}/users/${user}`,
      headers: { cookie },
      payload: { roles: ['clerk', 'officer'] },
    });
    assert.deepEqual(changed.json().roles, ['clerk', 'officer']);
    const removed = await app.inject({ method: 'DELETE', url: `/api/agencies/${soyt}/users/${user}`, headers: { cookie } });
    assert.equal(removed.statusCode, 204);
    assert.equal(
      (await app.inject({ url: '/api/auth/me', headers: { cookie: worker } })).statusCode,
      401,
      'the session acting for that agency ended',
    );
    assert.equal((await app.inject({ method: 'DELETE', url: `/api/agencies/${soyt}/users/${user}`, headers: { cookie } })).statusCode, 404);
  });

  it('unlocks a locked account and sets a new password', async () => {
    for (let i = 0; i < 5; i++) {
      await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'cv.soyt', password: 'wrong-pass-1' } });
    }
    const cookie = await login('qt.ubnd');
    const soyt = await agencyId('000.00.09.H99');
    const list = (await app.inject({ url: `/api/agencies/${soyt}/users?q=cv.soyt`, headers: { cookie } })).json();
    const locked = list.items.find((u: { username: string }) => u.username === 'cv.soyt');
    assert.equal(locked.locked, true);
    const unlocked = await app.inject({ method: 'POST', url: `/api/agencies/${soyt}/users/${locked.id}/unlock`, headers: { cookie } });
    assert.equal(unlocked.json().locked, false);
    const reset = await app.inject({
      method: 'POST',
      url: `/api/agencies/${soyt}/users/${locked.id}/password`,
      headers: { cookie },
      payload: { password: 'QuenMatKhau2026' },
    });
    assert.equal(reset.statusCode, 204);
    await login('cv.soyt', 'QuenMatKhau2026');
  });

  it('touches nobody through an agency they do not work in', async () => {
    const cookie = await login('qt.ubnd');
    const soyt = await agencyId('000.00.09.H99');
    const other = (await database.db.selectFrom('users').select('id').where('username', '=', 'vt.sotc').executeTakeFirstOrThrow()).id;
    const res = await app.inject({
      method: 'POST',
      url: `/api/agencies/${soyt}/users/${other}/password`,
      headers: { cookie },
      payload: { password: 'Hacked20262026' },
    });
    assert.equal(res.statusCode, 404);
  });
});

describe('importing from CSV', () => {
  it('imports agencies in one go, parents before children', async () => {
    const cookie = await login('qt.ubnd');
    const ubnd = await agencyId('000.00.00.H99');
    const csv = [
      'code,name,short_name,level,parent_code',
      '000.01.40.H99,Ủy ban nhân dân xã Tân Lập,UBND xã Tân Lập,commune,000.00.40.H99',
      '000.00.40.H99,Ủy ban nhân dân huyện Tân Lập,UBND huyện Tân Lập,district,000.00.00.H99',
    ].join('\n');
    const res = await csvUpload(`/api/agencies/${ubnd}/imports/agencies`, cookie, csv);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { imported: 2 });
    const commune = await database.db
      .selectFrom('agencies')
      .select(['parent_id'])
      .where('code', '=', '000.01.40.H99')
      .executeTakeFirstOrThrow();
    assert.equal(commune.parent_id, await agencyId('000.00.40.H99'));
  });

  it('imports nothing when one row is bad, and reports the bad rows', async () => {
    const cookie = await login('qt.ubnd');
    const ubnd = await agencyId('000.00.00.H99');
    const csv = [
      'code,name,short_name,level,parent_code',
      '000.00.41.H99,Sở A,SA,province,000.00.00.H99',
      '41.H99,Sở B,SB,province,000.00.00.H99',
    ].join('\n');
    const res = await csvUpload(`/api/agencies/${ubnd}/imports/agencies`, cookie, csv);
    assert.equal(res.statusCode, 422);
    assert.equal(errorCode(res), 'import_rejected');
    assert.deepEqual(
      res.json().error.details.rejected.map((r: { line: number }) => r.line),
      [3],
    );
    const none = await database.db.selectFrom('agencies').select('id').where('code', '=', '000.00.41.H99').executeTakeFirst();
    assert.equal(none, undefined);
  });

  it('imports users of an agency with Vietnamese names and roles', async () => {
    const cookie = await login('qt.ubnd');
    const ubnd = await agencyId('000.00.00.H99');
    const csv = [
      'username,full_name,email,password,department_code,roles,position',
      'nv.lan,Lê Thị Lan,lan@binhan.gov.vn,Lan@2026abc,VP,Văn thư,Văn thư',
      'nv.hung,Phạm Văn Hùng,,Hung@2026abc,,chuyên viên|lãnh đạo phòng,Phó Trưởng phòng',
    ].join('\r\n');
    const res = await csvUpload(`/api/agencies/${ubnd}/imports/users`, cookie, csv);
    assert.equal(res.statusCode, 200, res.body);
    await login('nv.hung', 'Hung@2026abc');
  });

  it('refuses a file over the upload limit, and one that is not CSV', async () => {
    const cookie = await login('qt.ubnd');
    const ubnd = await agencyId('000.00.00.H99');
    const big = await csvUpload(`/api/agencies/${ubnd}/imports/users`, cookie, Buffer.alloc(70 * 1024, 0x61));
    assert.equal(big.statusCode, 413);
    assert.equal(errorCode(big), 'payload_too_large');
    const notCsv = await csvUpload(`/api/agencies/${ubnd}/imports/users`, cookie, Buffer.from([0xff, 0xfe, 0x00]));
    assert.equal(notCsv.statusCode, 400);
    assert.equal(errorCode(notCsv), 'invalid_file');
  });

  it('refuses an import for an agency the caller does not administer, before reading the file', async () => {
    const cookie = await login('vt.sotc');
    const ubnd = await agencyId('000.00.00.H99');
    const res = await csvUpload(`/api/agencies/${ubnd}/imports/users`, cookie, 'username\n');
    assert.equal(res.statusCode, 403);
  });
});

describe('the calendar', () => {
  it('is preloaded with the statutory holidays and counts due dates over them', async () => {
    const cookie = await login('cv.ubnd');
    const year = (await app.inject({ url: '/api/calendar?year=2026', headers: { cookie } })).json();
    assert.ok(year.items.some((d: { day: string }) => d.day === '2026-02-17'));
    const due = (await app.inject({ url: '/api/calendar/working-days?from=2026-02-13&days=1', headers: { cookie } })).json();
    assert.equal(due.due, '2026-02-23');
  });

  it('lets an administrator of the province record a bridge day, and nobody else', async () => {
    const body = { working: false, nameVi: 'Nghỉ hoán đổi', nameEn: 'Bridge day' };
    const clerk = await login('vt.ubnd');
    assert.equal(
      (await app.inject({ method: 'PUT', url: '/api/calendar/days/2026-11-27', headers: { cookie: clerk }, payload: body })).statusCode,
      403,
    );
    const below = await login('qt.sotc');
    assert.equal(
      (await app.inject({ method: 'PUT', url: '/api/calendar/days/2026-11-27', headers: { cookie: below }, payload: body })).statusCode,
      403,
    );
    const admin = await login('qt.ubnd');
    const put = await app.inject({ method: 'PUT', url: '/api/calendar/days/2026-11-27', headers: { cookie: admin }, payload: body });
    assert.equal(put.statusCode, 200, put.body);
    const due = (await app.inject({ url: '/api/calendar/working-days?from=2026-11-26&days=1', headers: { cookie: admin } })).json();
    assert.equal(due.due, '2026-11-30');
    assert.equal(
      (await app.inject({ method: 'DELETE', url: '/api/calendar/days/2026-11-27', headers: { cookie: admin } })).statusCode,
      204,
    );
    const bad = await app.inject({ method: 'PUT', url: '/api/calendar/days/2026-02-30', headers: { cookie: admin }, payload: body });
    assert.equal(bad.statusCode, 400);
  });
});

describe('the API document', () => {
  it('is served at /docs and covers every route', async () => {
    const doc = (await app.inject({ url: '/docs/json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)),
    );
    const routes = app
      .printRoutes({ commonPrefix: false })
      .split('\n')
      .filter((l) => l.includes('/api/'));
    assert.ok(routes.length > 0);
    for (const line of routes) {
      const match = /(\/api\/\S*) \(([A-Z, ]+)\)/.exec(line.replace(/^[\s│├└─]+/, ''));
      if (!match) continue;
      const path = match[1]!.replace(/:(\w+)/g, '{$1}');
      for (const method of match[2]!.split(', ').filter((m) => m !== 'HEAD')) {
        assert.ok(documented.has(`${method} ${path}`), `${method} ${path} is documented`);
      }
    }
    const html = await app.inject({ url: '/docs' });
    assert.ok(html.statusCode === 200 || html.statusCode === 302);
  });
});
