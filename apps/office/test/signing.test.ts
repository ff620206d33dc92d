import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BlobStore, connect, createTestDatabase, type Database, type TestDatabase } from '@vanban/db';
import { CertificateAuthority, CertificateVerifier, RevocationChecker, certificatesFromPem, signPdf, agencyCodeOf } from '@vanban/pki';
import { sealPng } from '@vanban/pki/testing';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { PDFDocument } from 'pdf-lib';
import { buildApp } from '../src/app.js';
import { seedDemoCredentials } from '../src/demo/credentials.js';
import { DEMO_PASSWORD, seedDemoProvince } from '../src/demo/seed.js';
import { defaultSettings, migrateOffice } from '../src/office.js';
import type { OfficeSchema } from '../src/schema.js';

const UBND = '000.00.00.H99';
const SOTC = '000.00.04.H99';

let testDb: TestDatabase;
let database: Database<OfficeSchema>;
let ca: CertificateAuthority;
let app: FastifyInstance;

before(async () => {
  testDb = await createTestDatabase();
  await migrateOffice(testDb.url);
  database = connect<OfficeSchema>(testDb.url);
  await seedDemoProvince(database.db);
  ca = await CertificateAuthority.create(mkdtempSync(join(tmpdir(), 'vanban-office-ca-')), {
    name: 'vanban Office Test',
    baseUrl: 'http://ca.test',
  });
  app = await buildApp({
    db: database.db,
    files: new BlobStore(mkdtempSync(join(tmpdir(), 'vanban-office-files-'))),
    verifier: new CertificateVerifier(ca.trustList(), new RevocationChecker(ca.fetcher())),
    keys: null,
    settings: defaultSettings,
  });
});
after(async () => {
  await app.close();
  await database.close();
  await testDb.drop();
});

async function login(username: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
  assert.equal(res.statusCode, 200, res.body);
  return `vanban_session=${res.cookies.find((c) => c.name === 'vanban_session')!.value}`;
}

async function agencyId(code: string): Promise<string> {
  return (await database.db.selectFrom('agencies').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
}

function upload(method: 'PUT' | 'POST', url: string, cookie: string, bytes: Uint8Array, name: string) {
  const boundary = '----vanban-signing';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return app.inject({ method, url, payload, headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` } });
}

function errorOf(res: LightMyRequestResponse) {
  return (res.json() as { error: { code: string; message: { vi: string; en: string } } }).error;
}

describe('signing credentials of the demo province', () => {
  it('gives each agency its organisation certificate and each agency leader a personal one, once', async () => {
    const first = await seedDemoCredentials(database.db, ca, { agencyCodes: [UBND, SOTC] });
    const leaders = await database.db
      .selectFrom('memberships as m')
      .innerJoin('agencies as a', 'a.id', 'm.agency_id')
      .select('m.user_id')
      .where('a.code', 'in', [UBND, SOTC])
      .where(sql<boolean>`'agency_leader' = ANY(m.roles)`)
      .execute();
    assert.deepEqual(first, { agencies: 2, signers: leaders.length });
    assert.ok(leaders.length >= 2);
    assert.deepEqual(await seedDemoCredentials(database.db, ca, { agencyCodes: [UBND, SOTC] }), { agencies: 0, signers: 0 });

    const rows = await database.db.selectFrom('signing_credentials').selectAll().execute();
    assert.equal(rows.length, 2 + leaders.length);
    for (const row of rows) {
      const [certificate] = certificatesFromPem(row.certificate_chain);
      const key = await ca.signingKey(row.key_ref);
      assert.equal(key.certificate.serialNumber, certificate!.serialNumber, 'the key on file belongs to the recorded certificate');
    }
    const ubnd = rows.find((r) => r.user_id === null && r.key_ref === `agency-${UBND}`)!;
    assert.equal(agencyCodeOf(certificatesFromPem(ubnd.certificate_chain)[0]!), UBND);
  });

  it('lists them to the agency administrator, agency first, and to no one else', async () => {
    const id = await agencyId(UBND);
    const res = await app.inject({ url: `/api/agencies/${id}/credentials`, headers: { cookie: await login('qt.ubnd') } });
    assert.equal(res.statusCode, 200, res.body);
    const items = (res.json() as { items: { kind: string; agencyCode: string | null; user: { username: string } | null }[] }).items;
    assert.equal(items[0]!.kind, 'agency');
    assert.equal(items[0]!.agencyCode, UBND);
    assert.ok(items.some((c) => c.kind === 'signer' && c.user?.username === 'ld.ubnd'));
    const clerk = await app.inject({ url: `/api/agencies/${id}/credentials`, headers: { cookie: await login('vt.ubnd') } });
    assert.equal(clerk.statusCode, 403);
  });
});

describe('the agency seal image', () => {
  it('is set by the administrator, read by the agency’s people, replaced, and removed', async () => {
    const id = await agencyId(UBND);
    const admin = await login('qt.ubnd');
    const clerk = await login('vt.ubnd');
    assert.equal((await app.inject({ url: `/api/agencies/${id}/seal`, headers: { cookie: clerk } })).statusCode, 404);

    const png = sealPng(240);
    const set = await upload('PUT', `/api/agencies/${id}/seal`, admin, png, 'dau.png');
    assert.equal(set.statusCode, 200, set.body);
    assert.deepEqual(
      (({ mediaType, width, height, size }) => ({ mediaType, width, height, size }))(set.json() as Record<string, unknown>),
      { mediaType: 'image/png', width: 240, height: 240, size: png.length },
    );
    const image = await app.inject({ url: `/api/agencies/${id}/seal/image`, headers: { cookie: clerk } });
    assert.equal(image.statusCode, 200);
    assert.equal(image.headers['content-type'], 'image/png');
    assert.deepEqual(image.rawPayload, png);

    const larger = sealPng(320);
    assert.equal((await upload('PUT', `/api/agencies/${id}/seal`, admin, larger, 'dau2.png')).statusCode, 200);
    const meta = (await app.inject({ url: `/api/agencies/${id}/seal`, headers: { cookie: clerk } })).json() as { width: number };
    assert.equal(meta.width, 320);

    assert.equal((await app.inject({ method: 'DELETE', url: `/api/agencies/${id}/seal`, headers: { cookie: admin } })).statusCode, 204);
    assert.equal((await app.inject({ url: `/api/agencies/${id}/seal/image`, headers: { cookie: clerk } })).statusCode, 404);
  });

  it('refuses what cannot be a seal, with the reason in both languages, and keeps the seal it had', async () => {
    const id = await agencyId(SOTC);
    const admin = await login('qt.ubnd');
    assert.equal((await upload('PUT', `/api/agencies/${id}/seal`, admin, sealPng(), 'dau.png')).statusCode, 200);
    for (const [bytes, pattern] of [
      [Buffer.from('%PDF-1.7 not a picture'), /PNG or JPEG/],
      [sealPng().subarray(0, 100), /cannot be read/],
      [sealPng(20), /20×20 pixels/],
    ] as const) {
      const res = await upload('PUT', `/api/agencies/${id}/seal`, admin, bytes, 'x.png');
      assert.equal(res.statusCode, 400);
      const error = errorOf(res);
      assert.equal(error.code, 'invalid_seal_image');
      assert.match(error.message.en, pattern);
      assert.ok(error.message.vi.length > 0);
    }
    const meta = (await app.inject({ url: `/api/agencies/${id}/seal`, headers: { cookie: admin } })).json() as { width: number };
    assert.equal(meta.width, 200);
  });

  it('may be changed only by an administrator of the agency or above', async () => {
    const id = await agencyId(SOTC);
    for (const who of ['vt.sotc', 'vt.ubnd']) {
      const res = await upload('PUT', `/api/agencies/${id}/seal`, await login(who), sealPng(), 'dau.png');
      assert.equal(res.statusCode, 403, who);
    }
  });
});

describe('checking the signatures of an uploaded file', () => {
  it('reports a PDF signed with an agency credential and its seal as valid, naming the agency', async () => {
    const blank = await PDFDocument.create();
    blank.addPage();
    const signed = await signPdf(await blank.save(), {
      key: await ca.signingKey(`agency-${SOTC}`),
      role: 'agency',
      sealImage: sealPng(),
      timestamp: (r) => ca.answerTimestamp(r),
    });
    const res = await upload('POST', '/api/verifications', await login('vt.ubnd'), signed, 'cv.pdf');
    assert.equal(res.statusCode, 200, res.body);
    const report = res.json() as { kind: string; verdict: string; signatures: { signer: { agencyCode: string } }[] };
    assert.equal(report.kind, 'pdf');
    assert.equal(report.verdict, 'valid');
    assert.equal(report.signatures[0]!.signer.agencyCode, SOTC);

    const tampered = Buffer.from(signed);
    tampered[100] = tampered[100]! ^ 1;
    const bad = (await upload('POST', '/api/verifications', await login('vt.ubnd'), tampered, 'cv.pdf')).json() as { verdict: string };
    assert.equal(bad.verdict, 'invalid');
  });

  it('says plainly when the file is neither PDF nor XML', async () => {
    const res = await upload('POST', '/api/verifications', await login('vt.ubnd'), Buffer.from('hello'), 'x.txt');
    assert.equal(res.statusCode, 400);
    assert.equal(errorOf(res).code, 'invalid_file');
  });
});
