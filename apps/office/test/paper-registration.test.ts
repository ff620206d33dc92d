import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { BlobStore, connect, createTestDatabase, type Database, type TestDatabase } from '@vanban/db';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { PDFDocument } from 'pdf-lib';
import { buildApp } from '../src/app.js';
import { DEMO_PASSWORD, seedDemoProvince } from '../src/demo/seed.js';
import { defaultSettings, migrateOffice } from '../src/office.js';
import type { OfficeSchema } from '../src/schema.js';
import { DECISION, LETTER, paperPdf, scanOf } from './paper-fixture.js';

const UBND = '000.00.00.H99';
const SNV = '000.00.02.H99';
const STC = '000.00.04.H99';

interface Prefill {
  source: 'text_layer' | 'ocr';
  text: string;
  suggestion: Record<string, unknown> & { found: string[]; inferred: string[] };
}
interface ErrorReply {
  error: { code: string; message: { vi: string; en: string }; details?: unknown };
}

/** A multipart form as a browser sends it: text fields, then the file. */
function form(fields: Record<string, string>, file?: { name: string; bytes: Uint8Array; type: string }) {
  const boundary = '----vanban-paper';
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      Buffer.from(file.bytes),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Every file under a folder: what the blob store holds. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('registering paper documents: a scan, its text read to pre-fill the form, created and registered', () => {
  let testDb: TestDatabase;
  let office: Database<OfficeSchema>;
  let filesDir: string;
  let files: BlobStore;
  let app: FastifyInstance;
  let stc: string;
  let clerk: string;
  let registerId: string;
  let decisionPdf: Buffer;
  let letterScan: Buffer;

  const login = async (username: string) => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
    assert.equal(res.statusCode, 200, res.body);
    return `vanban_session=${res.cookies.find((c) => c.name === 'vanban_session')!.value}`;
  };
  const post = (cookie: string, url: string, body: ReturnType<typeof form>) =>
    app.inject({ method: 'POST', url, payload: body.payload, headers: { cookie, 'content-type': body.contentType } });
  const prefill = (file: { name: string; bytes: Uint8Array; type: string }, cookie = clerk) =>
    post(cookie, `/api/agencies/${stc}/incoming/paper/prefill`, form({}, file));
  const create = (fields: Record<string, string>, file?: { name: string; bytes: Uint8Array; type: string }, cookie = clerk) =>
    post(cookie, `/api/agencies/${stc}/incoming/paper`, form(fields, file));
  const countDocuments = async () =>
    Number(
      (
        await office.db
          .selectFrom('incoming_documents')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  /** The form as the clerk confirms it for the decision of the province People's Committee. */
  const decisionForm = () => ({
    registerId,
    senderName: 'Ủy ban nhân dân tỉnh Bình An',
    senderCode: UBND,
    number: '125',
    notation: 'QĐ-UBND',
    issueDate: '2026-03-05',
    documentType: 'Quyết định',
    subject: 'Về việc phê duyệt Kế hoạch chuyển đổi số của tỉnh Bình An năm 2026',
    urgency: 'urgent',
    replyDue: '',
  });

  /** How the incoming list shows the decision once registered. */
  const expectedItem = {
    id: '',
    state: 'registered',
    channel: 'paper',
    senderCode: UBND,
    senderName: 'Ủy ban nhân dân tỉnh Bình An',
    number: '125',
    notation: 'QĐ-UBND',
    issueDate: '2026-03-05',
    documentType: 'Quyết định',
    subject: 'Về việc phê duyệt Kế hoạch chuyển đổi số của tỉnh Bình An năm 2026',
    urgency: 'urgent',
    replyDue: null,
    verdict: null,
  };

  before(async () => {
    testDb = await createTestDatabase();
    await migrateOffice(testDb.url);
    office = connect<OfficeSchema>(testDb.url, { max: 4 });
    await seedDemoProvince(office.db);
    filesDir = mkdtempSync(join(tmpdir(), 'vanban-paper-files-'));
    files = new BlobStore(filesDir);
    app = await buildApp({ db: office.db, files, verifier: null, keys: null, settings: defaultSettings });
    stc = (await office.db.selectFrom('agencies').select('id').where('code', '=', STC).executeTakeFirstOrThrow()).id;
    clerk = await login('vt.sotc');
    const registers = await app.inject({ method: 'GET', url: `/api/agencies/${stc}/registers?kind=incoming`, headers: { cookie: clerk } });
    registerId = registers.json<{ items: { id: string }[] }>().items[0]!.id;
    decisionPdf = await paperPdf(DECISION);
    // A scanner's page: an image of the printed letter, without any text layer, at a modest resolution.
    letterScan = await scanOf(await paperPdf(LETTER), 150);
  });
  after(async () => {
    await app?.close();
    await office?.close();
    await testDb?.drop();
    if (filesDir) rmSync(filesDir, { recursive: true, force: true });
  });

  it('pre-fills from the PDF’s text layer: number, notation, date, sender with its directory code, type and subject; stores nothing', async (t) => {
    const before = await countDocuments();
    const started = performance.now();
    const res = await prefill({ name: 'qd-125.pdf', bytes: decisionPdf, type: 'application/pdf' });
    t.diagnostic(`text layer read in ${Math.round(performance.now() - started)} ms`);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json<Prefill>();
    assert.equal(body.source, 'text_layer');
    assert.match(body.text, /QUYẾT ĐỊNH/);
    assert.deepEqual(body.suggestion, {
      number: '125',
      notation: 'QĐ-UBND',
      issueDate: '2026-03-05',
      senderName: 'Ủy ban nhân dân tỉnh Bình An',
      senderCode: UBND,
      documentType: 'Quyết định',
      subject: 'Về việc phê duyệt Kế hoạch chuyển đổi số của tỉnh Bình An năm 2026',
      found: ['number', 'notation', 'issueDate', 'senderName', 'documentType', 'subject'],
      inferred: [],
    });
    assert.equal(await countDocuments(), before);
    assert.deepEqual(filesUnder(filesDir), []);
  });

  it('pre-fills from OCR of a scanned image, the national motto beside the agency left out of the sender', async (t) => {
    const started = performance.now();
    const res = await prefill({ name: 'scan.png', bytes: letterScan, type: 'image/png' });
    t.diagnostic(`one page (PNG, 150 dpi) OCR in ${Math.round(performance.now() - started)} ms`);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json<Prefill>();
    assert.equal(body.source, 'ocr');
    assert.match(body.text, /Kính gửi/);
    const s = body.suggestion;
    assert.equal(s.number, '347');
    assert.equal(s.notation, 'SNV-CCVC');
    assert.equal(s.issueDate, '2026-01-12');
    assert.equal(s.senderName, 'Sở Nội vụ');
    assert.equal(s.senderCode, SNV);
    assert.equal(s.senderParent, 'UBND tỉnh Bình An');
    assert.equal(s.documentType, 'Công văn');
    assert.equal(s.subject, 'Về việc báo cáo số lượng công chức, viên chức năm 2025');
  });

  it('pre-fills a scanned PDF without a text layer by rendering its first page for OCR', async (t) => {
    // What a scanner's "scan to PDF" gives: the page image wrapped in a PDF, no text.
    const pdf = await PDFDocument.create();
    const image = await pdf.embedPng(await scanOf(decisionPdf, 150));
    pdf.addPage([595.28, 841.89]).drawImage(image, { x: 0, y: 0, width: 595.28, height: 841.89 });
    const scanned = Buffer.from(await pdf.save());
    const started = performance.now();
    const res = await prefill({ name: 'scan.pdf', bytes: scanned, type: 'application/pdf' });
    t.diagnostic(`one page (scanned PDF, rendered at 300 dpi) OCR in ${Math.round(performance.now() - started)} ms`);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json<Prefill>();
    assert.equal(body.source, 'ocr');
    const s = body.suggestion;
    assert.deepEqual(
      [s.number, s.notation, s.issueDate, s.senderCode, s.documentType, s.subject],
      ['125', 'QĐ-UBND', '2026-03-05', UBND, 'Quyết định', 'Về việc phê duyệt Kế hoạch chuyển đổi số của tỉnh Bình An năm 2026'],
    );
  });

  it('creates the document with its scan, registers it with the next number, and journals its arrival and registration', async () => {
    const res = await create(decisionForm(), { name: 'QĐ 125-UBND.pdf', bytes: decisionPdf, type: 'application/pdf' });
    assert.equal(res.statusCode, 201, res.body);
    const created = res.json<{ id: string; registerNumber: string; registerYear: number; possibleDuplicateOf: string | null }>();
    const year = Number(new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 4));
    assert.deepEqual({ ...created, id: undefined }, { id: undefined, registerNumber: '01', registerYear: year, possibleDuplicateOf: null });

    const list = await app.inject({ method: 'GET', url: `/api/agencies/${stc}/incoming?channel=paper`, headers: { cookie: clerk } });
    assert.equal(list.statusCode, 200, list.body);
    const items = list.json<{ items: Record<string, unknown>[] }>().items;
    assert.deepEqual(
      items.map((i) => i.id),
      [created.id],
    );
    const item = items[0]!;
    const shown = Object.fromEntries(Object.entries(item).filter(([k]) => k in expectedItem));
    assert.deepEqual(shown, { ...expectedItem, id: created.id });

    const detail = await app.inject({ method: 'GET', url: `/api/agencies/${stc}/incoming/${created.id}`, headers: { cookie: clerk } });
    assert.equal(detail.statusCode, 200, detail.body);
    const doc = detail.json<{
      verification: unknown;
      files: { position: number; name: string; contentType: string; sha256: string; size: number }[];
    }>();
    assert.equal(doc.verification, null);
    assert.deepEqual(
      doc.files.map((f) => [f.position, f.name, f.contentType, f.size]),
      [[1, 'QĐ 125-UBND.pdf', 'application/pdf', decisionPdf.length]],
    );
    assert.deepEqual(await buffer(await files.read(doc.files[0]!.sha256)), decisionPdf);

    const row = await office.db
      .selectFrom('incoming_documents')
      .select(['register_id', 'register_number', 'registered_by'])
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    const clerkId = (await office.db.selectFrom('users').select('id').where('username', '=', 'vt.sotc').executeTakeFirstOrThrow()).id;
    assert.deepEqual(row, { register_id: registerId, register_number: 1, registered_by: clerkId });

    const journal = await office.db
      .selectFrom('office_journal')
      .select(['chain', 'body'])
      .where(sql<string>`body ->> 'subject'`, '=', created.id)
      .orderBy('seq')
      .execute();
    const events = journal.map(
      (e) => e.body as { action: string; actor: { id: string } | null; from: string | null; to: string; details: Record<string, unknown> },
    );
    assert.ok(journal.every((e) => e.chain === stc));
    assert.deepEqual(
      events.map((e) => [e.action, e.actor?.id, e.from, e.to]),
      [
        ['receive', clerkId, null, 'awaiting'],
        ['register', clerkId, 'awaiting', 'registered'],
      ],
    );
    assert.deepEqual(events[0]!.details, { channel: 'paper' });
    assert.equal(events[1]!.details.registerNumber, 1);
    // Nothing goes back through the hub for a document that did not come through it.
    const statuses = await office.db.selectFrom('hub_outbox').select('id').where('kind', '=', 'status').execute();
    assert.equal(statuses.length, 0);
  });

  it('numbers the same document received twice next, and flags it as a possible duplicate of the first', async () => {
    const [first] = await office.db.selectFrom('incoming_documents').select('id').where('channel', '=', 'paper').execute();
    const res = await create(decisionForm(), { name: 'scan.png', bytes: letterScan, type: 'image/png' });
    assert.equal(res.statusCode, 201, res.body);
    const created = res.json<{ registerNumber: string; possibleDuplicateOf: string | null }>();
    assert.equal(created.registerNumber, '02');
    assert.equal(created.possibleDuplicateOf, first!.id);
    const files = await office.db.selectFrom('incoming_files').select(['name', 'content_type']).orderBy('size').execute();
    assert.ok(files.some((f) => f.content_type === 'image/png' && f.name === 'scan.png'));
  });

  it('refuses a file that is no scan, a form with missing or wrong fields, and a register it cannot use, clearly and storing nothing', async () => {
    const documents = await countDocuments();
    const blobs = filesUnder(filesDir).length;
    const codeOf = (res: { json: <T>() => T }) => res.json<ErrorReply>().error;

    const text = await prefill({ name: 'note.txt', bytes: Buffer.from('Số: 12/QĐ-UBND'), type: 'text/plain' });
    assert.equal(text.statusCode, 400);
    assert.equal(codeOf(text).code, 'unsupported_scan');
    assert.match(codeOf(text).message.vi, /PDF/);
    // A Word file called .pdf: the content decides, not the name or the type the browser gave.
    const docx = await create(decisionForm(), {
      name: 'qd.pdf',
      bytes: Buffer.from('PK\u0003\u0004word/document.xml'),
      type: 'application/pdf',
    });
    assert.equal(docx.statusCode, 400);
    assert.equal(codeOf(docx).code, 'unsupported_scan');

    const noFile = await create(decisionForm());
    assert.equal(noFile.statusCode, 400);
    assert.equal(codeOf(noFile).code, 'validation_failed');
    assert.deepEqual(
      (codeOf(noFile).details as { path: string }[]).map((d) => d.path),
      ['body/file'],
    );

    const { subject: _subject, issueDate: _issueDate, ...partial } = decisionForm();
    const missing = await create(
      { ...partial, senderCode: '12345', urgency: 'soon' },
      { name: 'qd.pdf', bytes: decisionPdf, type: 'application/pdf' },
    );
    assert.equal(missing.statusCode, 400);
    assert.equal(codeOf(missing).code, 'validation_failed');
    assert.deepEqual((codeOf(missing).details as { path: string }[]).map((d) => d.path).sort(), [
      'body/issueDate',
      'body/senderCode',
      'body/subject',
      'body/urgency',
    ]);
    const badDate = await create(
      { ...decisionForm(), issueDate: '2026-02-30' },
      { name: 'qd.pdf', bytes: decisionPdf, type: 'application/pdf' },
    );
    assert.equal(badDate.statusCode, 400);
    assert.deepEqual(
      (codeOf(badDate).details as { path: string }[]).map((d) => d.path),
      ['body/issueDate'],
    );

    const outgoing = await app.inject({ method: 'GET', url: `/api/agencies/${stc}/registers?kind=outgoing`, headers: { cookie: clerk } });
    const outgoingId = outgoing.json<{ items: { id: string }[] }>().items[0]!.id;
    const ubnd = (await office.db.selectFrom('agencies').select('id').where('code', '=', UBND).executeTakeFirstOrThrow()).id;
    const othersRegister = (
      await office.db
        .selectFrom('registers')
        .select('id')
        .where('agency_id', '=', ubnd)
        .where('kind', '=', 'incoming')
        .executeTakeFirstOrThrow()
    ).id;
    for (const id of [outgoingId, othersRegister, '00000000-0000-4000-8000-000000000000']) {
      const res = await create({ ...decisionForm(), registerId: id }, { name: 'qd.pdf', bytes: decisionPdf, type: 'application/pdf' });
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(codeOf(res).code, 'invalid_register');
    }

    const json = await app.inject({
      method: 'POST',
      url: `/api/agencies/${stc}/incoming/paper`,
      headers: { cookie: clerk },
      payload: decisionForm(),
    });
    assert.equal(json.statusCode, 415);

    assert.equal(await countDocuments(), documents);
    assert.equal(filesUnder(filesDir).length, blobs);
  });

  it('lets only the agency’s clerks read scans and register paper documents', async () => {
    const file = { name: 'qd.pdf', bytes: decisionPdf, type: 'application/pdf' };
    for (const username of ['ld.sotc', 'cv.sotc', 'vt.ubnd']) {
      const cookie = await login(username);
      assert.equal((await prefill(file, cookie)).statusCode, 403, username);
      assert.equal((await create(decisionForm(), file, cookie)).statusCode, 403, username);
    }
  });

  it('documents both routes in the API description, the form’s fields included', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json<{
      paths: Record<string, { post?: { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } } }>;
    }>();
    const create = doc.paths['/api/agencies/{agencyId}/incoming/paper']?.post;
    const fields = Object.keys(create?.requestBody?.content['multipart/form-data']?.schema.properties ?? {});
    for (const field of [
      'file',
      'registerId',
      'senderName',
      'number',
      'notation',
      'issueDate',
      'documentType',
      'subject',
      'urgency',
      'replyDue',
    ]) {
      assert.ok(fields.includes(field), `${field} in ${fields.join(', ')}`);
    }
    assert.ok(doc.paths['/api/agencies/{agencyId}/incoming/paper/prefill']?.post);
  });
});
