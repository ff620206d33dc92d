import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { BlobStore, connect, createTestDatabase, type Database, type TestDatabase } from '@vanban/db';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { DEMO_PASSWORD, seedDemoProvince } from '../src/demo/seed.js';
import { defaultSettings, migrateOffice } from '../src/office.js';
import type { OfficeSchema } from '../src/schema.js';

const UBND = '000.00.00.H99';
const STC = '000.00.04.H99';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

interface Detail {
  version: number;
  subject: string;
  state: string;
  recipients: { code: string; name: string }[];
  files: { position: number; role: string; name: string; contentType: string; sha256: string }[];
  versions: { version: number; note: string | null }[];
  timeline: { action: string; actor: string | null }[];
  actions: string[];
}

describe('drafting an outgoing document, every save a version', () => {
  let testDb: TestDatabase;
  let office: Database<OfficeSchema>;
  let app: FastifyInstance;
  let stc: string;
  let congVan: string;
  let files: BlobStore;
  const cookies: Record<string, string> = {};
  const ids: Record<string, string> = {};

  const call = async (who: string, method: 'GET' | 'POST' | 'PATCH', path: string, payload?: object) => {
    const res = await app.inject({
      method,
      url: `/api/agencies/${stc}/outgoing${path}`,
      headers: { cookie: cookies[who]! },
      ...(payload ? { payload } : {}),
    });
    const body = res.body ? (res.json() as Record<string, unknown>) : {};
    return { status: res.statusCode, body, code: (body.error as { code?: string } | undefined)?.code };
  };
  const upload = async (who: string, id: string, role: 'main' | 'attachment', name: string, type: string, bytes: Buffer) => {
    const head = `--X\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`;
    const res = await app.inject({
      method: 'POST',
      url: `/api/agencies/${stc}/outgoing/${id}/files?role=${role}`,
      headers: { cookie: cookies[who]!, 'content-type': 'multipart/form-data; boundary=X' },
      payload: Buffer.concat([Buffer.from(head), bytes, Buffer.from('\r\n--X--\r\n')]),
    });
    return { status: res.statusCode, body: res.json() as { version?: number; error?: { code: string } } };
  };
  const detail = async (who: string, id: string) => (await call(who, 'GET', `/${id}`)).body as unknown as Detail;

  before(async () => {
    testDb = await createTestDatabase();
    await migrateOffice(testDb.url);
    office = connect<OfficeSchema>(testDb.url, { max: 2 });
    await seedDemoProvince(office.db);
    files = new BlobStore(mkdtempSync(join(tmpdir(), 'vanban-drafts-')));
    app = await buildApp({
      db: office.db,
      files,
      verifier: null,
      keys: null,
      settings: defaultSettings,
    });
    stc = (await office.db.selectFrom('agencies').select('id').where('code', '=', STC).executeTakeFirstOrThrow()).id;
    congVan = (await office.db.selectFrom('document_types').select('id').where('name', '=', 'Công văn').executeTakeFirstOrThrow()).id;
    for (const username of ['cv.sotc', 'vt.sotc', 'ld.sotc']) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
      cookies[username] = `vanban_session=${res.cookies.find((c) => c.name === 'vanban_session')!.value}`;
      ids[username] = (await office.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
    }
  });
  after(async () => {
    await app?.close();
    await office?.close();
    await testDb?.drop();
  });

  const fields = () => ({ documentTypeId: congVan, subject: 'Về việc góp ý dự thảo kế hoạch tài chính 2027', signerId: ids['ld.sotc'] });

  it('keeps every save of a draft whole: fields, recipients and files as they were', async () => {
    const created = await call('cv.sotc', 'POST', '', {
      fields: fields(),
      recipients: [{ code: UBND }, { code: '000.00.00.G01', name: 'Văn phòng Chính phủ' }],
      note: 'Bản đầu',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id as string;
    let d = await detail('cv.sotc', id);
    assert.deepEqual([d.version, d.state], [1, 'draft']);
    // A recipient of this installation is named as the directory names it.
    assert.deepEqual(
      d.recipients.map((r) => r.code),
      [UBND, '000.00.00.G01'],
    );
    assert.equal(d.recipients[0]!.name, 'Ủy ban nhân dân tỉnh Bình An');

    assert.equal((await upload('cv.sotc', id, 'main', 'du-thao.pdf', 'application/pdf', Buffer.from('%PDF-1.7 bản 1'))).body.version, 2);
    const docx = readFileSync(join(import.meta.dirname, 'fixtures', 'du-thao.docx'));
    assert.equal((await upload('cv.sotc', id, 'main', 'du-thao.docx', DOCX, docx)).body.version, 3);
    assert.equal(
      (await upload('cv.sotc', id, 'attachment', 'Phụ lục.xlsx', 'application/vnd.ms-excel', Buffer.from('bảng'))).body.version,
      4,
    );
    d = await detail('cv.sotc', id);
    assert.deepEqual(
      d.files.map((f) => [f.role, f.name, f.contentType]),
      [
        ['main', 'du-thao.docx', DOCX],
        ['pdf', 'du-thao.pdf', 'application/pdf'],
        ['attachment', 'Phụ lục.xlsx', 'application/vnd.ms-excel'],
      ],
    );
    // The PDF made from the Word document says what it says: that PDF is what will be signed.
    const made = d.files.find((f) => f.role === 'pdf')!;
    const pdfBytes = await buffer(await files.read(made.sha256));
    const text = execFileSync('pdftotext', ['-', '-'], { input: pdfBytes }).toString('utf8');
    assert.match(text, /góp ý dự thảo kế hoạch tài chính năm 2027/);
    const attachment = d.files.find((f) => f.role === 'attachment')!.position;
    const saved = await call('cv.sotc', 'PATCH', `/${id}`, {
      fields: { subject: 'Về việc góp ý dự thảo kế hoạch tài chính năm 2027' },
      recipients: [{ code: UBND }],
      removeFiles: [attachment],
      note: 'Sửa trích yếu, bỏ phụ lục',
    });
    assert.deepEqual(saved.body, { version: 5 });

    d = await detail('cv.sotc', id);
    assert.deepEqual(
      d.versions.map((v) => v.version),
      [5, 4, 3, 2, 1],
    );
    assert.equal(d.versions[0]!.note, 'Sửa trích yếu, bỏ phụ lục');
    const v2 = (await call('cv.sotc', 'GET', `/${id}/versions/2`)).body as {
      content: { subject: string; files: { name: string }[]; recipients: unknown[] };
    };
    assert.equal(v2.content.subject, fields().subject);
    assert.deepEqual(
      v2.content.files.map((f) => f.name),
      ['du-thao.pdf'],
    );
    assert.equal(v2.content.recipients.length, 2);
    assert.deepEqual(
      d.timeline.map((e) => e.action),
      ['create', 'save_version', 'save_version', 'save_version', 'save_version'],
    );
    assert.ok(d.timeline.every((e) => e.actor));
    assert.deepEqual(d.actions, ['save_version', 'submit_review', 'cancel']);
  });

  it('refuses what a draft cannot hold, clearly, and changes nothing', async () => {
    const id = (await call('cv.sotc', 'POST', '', { fields: fields() })).body.id as string;
    const text = await upload('cv.sotc', id, 'main', 'ghi-chu.txt', 'text/plain', Buffer.from('không phải văn bản'));
    assert.deepEqual([text.status, text.body.error?.code], [400, 'invalid_main_file']);
    // A ZIP that calls itself a PDF is no Word document, nor is a ZIP LibreOffice cannot read.
    const zip = await upload('cv.sotc', id, 'main', 'x.pdf', 'application/pdf', Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    assert.equal(zip.body.error?.code, 'invalid_main_file');
    const broken = await upload('cv.sotc', id, 'main', 'hong.docx', DOCX, Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]));
    assert.equal(broken.body.error?.code, 'invalid_main_file');
    assert.equal((await detail('cv.sotc', id)).version, 1);

    const bad = async (payload: object) => (await call('cv.sotc', 'POST', '', payload)).code;
    assert.equal(await bad({ fields: { ...fields(), documentTypeId: '00000000-0000-4000-8000-000000000000' } }), 'invalid_document_type');
    assert.equal(await bad({ fields: fields(), recipients: [{ code: 'không-phải-mã' }] }), 'invalid_recipient');
    assert.equal(await bad({ fields: fields(), recipients: [{ code: UBND }, { code: UBND }] }), 'invalid_recipient');
    assert.equal(await bad({ fields: fields(), recipients: [{ code: '000.00.00.G01' }] }), 'invalid_recipient');
    assert.equal(await bad({ fields: { ...fields(), signerId: ids['vt.sotc'] } }), 'invalid_signer');
  });

  it('lets only the drafter save it; the clerk and the leaders read it; an officer lists only their own', async () => {
    const id = (await call('cv.sotc', 'POST', '', { fields: fields() })).body.id as string;
    assert.equal((await call('vt.sotc', 'PATCH', `/${id}`, { note: 'sửa hộ' })).status, 403);
    assert.equal((await call('vt.sotc', 'GET', `/${id}`)).status, 200);
    const all = (await call('ld.sotc', 'GET', '?view=all')).body as { items: { id: string }[] };
    assert.ok(all.items.some((d) => d.id === id));
    const mine = (await call('cv.sotc', 'GET', '')).body as { items: { id: string }[] };
    assert.ok(mine.items.some((d) => d.id === id));
    assert.equal((await call('cv.sotc', 'GET', '?view=all')).status, 403);
  });
});
