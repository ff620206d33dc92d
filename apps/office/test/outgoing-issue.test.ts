import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { until } from '@vanban/hub/testing';
import { CertificateVerifier, RevocationChecker, verifyPdfSignatures } from '@vanban/pki';
import { deliverInternally } from '../src/incoming/internal-delivery.js';
import { remindOutgoing } from '../src/outgoing/reminders.js';
import { paperPdf } from '../src/demo/letter-pdf.js';
import { DEMO_PASSWORD } from '../src/demo/seed.js';
import { PEER_AGENCY } from '../src/testing/peer.js';
import { startTestExchangeSystem, type TestExchangeSystem } from '../src/testing/system.js';

const ARTIFACTS = join(import.meta.dirname, '..', '..', '..', 'test-artifacts');
const UBND = '000.00.00.H99';
const STC = '000.00.04.H99';

interface Detail {
  id: string;
  state: string;
  documentId: string;
  actions: string[];
  toSign: { sha256: string; position: number } | null;
  approvals: { kind: string; who: string; decision: string | null; comment: string | null }[];
  files: { position: number; role: string; sha256: string; name: string }[];
  number: string | null;
  notation: string | null;
  sameDay: string | null;
  timeline: { action: string }[];
  hubDelivery: { state: string } | null;
}

describe('an outgoing document from draft to recipients in and outside the installation', () => {
  let system: TestExchangeSystem;
  const cookies = new Map<string, string>();
  let ubnd: string;
  let congVan: string;
  let signerId: string;

  async function call(username: string, method: string, path: string, body?: unknown, base = system.url) {
    const key = `${base} ${username}`;
    let cookie = cookies.get(key);
    if (!cookie) {
      const login = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: DEMO_PASSWORD }),
      });
      assert.equal(login.status, 200, await login.text());
      cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
      cookies.set(key, cookie);
    }
    const form = body instanceof FormData;
    const res = await fetch(`${base}/api${path}`, {
      method,
      headers: { cookie, ...(body === undefined || form ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: form ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> & { error?: { code: string } } };
  }
  async function ok<T = Record<string, unknown>>(username: string, method: string, path: string, body?: unknown): Promise<T> {
    const res = await call(username, method, path, body);
    assert.ok([200, 201, 204].includes(res.status), `${username} ${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as T;
  }
  const act = (username: string, id: string, body: object) => call(username, 'POST', `/agencies/${ubnd}/outgoing/${id}/actions`, body);
  const waiting = async (username: string) =>
    (await ok<{ items: { id: string }[] }>(username, 'GET', `/agencies/${ubnd}/outgoing?view=waiting`)).items.map((i) => i.id);
  const detail = (username: string, id: string) => ok<Detail>(username, 'GET', `/agencies/${ubnd}/outgoing/${id}`);

  /** Review, the Văn phòng's check and the Chairman's signature, each taken by whom the demo gives it to. */
  async function throughSignature(id: string): Promise<void> {
    for (const [who, action] of [
      ['cv.ubnd', 'submit_review'],
      ['tp.ubnd', 'approve_review'],
      ['cv.ubnd', 'submit_signature'],
      ['cvp.ubnd', 'approve'],
    ] as const) {
      const r = await act(who, id, { action });
      assert.equal(r.status, 200, `${action}: ${JSON.stringify(r.body)}`);
    }
    const toSign = (await detail('ld.ubnd', id)).toSign!;
    assert.equal((await act('ld.ubnd', id, { action: 'sign', sha256: toSign.sha256 })).status, 200);
  }

  /** A one-page Công văn from the template, its number and date left blank for the clerk. */
  const draftPdf = (subject: string) =>
    paperPdf({
      agency: ['ỦY BAN NHÂN DÂN', 'TỈNH BÌNH AN'],
      code: '      /UBND-KGVX',
      placeAndDate: 'Bình An, ngày      tháng      năm 2026',
      subjectUnderNumber: [subject],
      body: ['Kính gửi: Sở Tài chính; Bộ Tài chính.', '', 'Đề nghị các cơ quan phối hợp thực hiện.'],
    });

  async function newDraft(subject: string): Promise<string> {
    const created = await ok<{ id: string }>('cv.ubnd', 'POST', `/agencies/${ubnd}/outgoing`, {
      fields: { documentTypeId: congVan, subject, signerId },
      recipients: [{ code: STC }, { code: PEER_AGENCY.code, name: PEER_AGENCY.name }],
    });
    const form = new FormData();
    form.append('file', new Blob([await draftPdf('V/v phối hợp')], { type: 'application/pdf' }), 'du-thao.pdf');
    await ok('cv.ubnd', 'POST', `/agencies/${ubnd}/outgoing/${created.id}/files?role=main`, form);
    return created.id;
  }

  before(async () => {
    system = await startTestExchangeSystem({ credentialsFor: [UBND], peer: true });
    const db = system.office.database.db;
    ubnd = (await db.selectFrom('agencies').select('id').where('code', '=', UBND).executeTakeFirstOrThrow()).id;
    congVan = (await db.selectFrom('document_types').select('id').where('name', '=', 'Công văn').executeTakeFirstOrThrow()).id;
    signerId = (await db.selectFrom('users').select('id').where('username', '=', 'ld.ubnd').executeTakeFirstOrThrow()).id;
    // The demo has the Văn phòng's head (cvp.ubnd) check every draft before the Chairman signs; the
    // administrator adds the Phòng Kinh tế, which has no leader to decide and so is passed over.
    const department = (code: string) =>
      db.selectFrom('departments').select(['id', 'name']).where('agency_id', '=', ubnd).where('code', '=', code).executeTakeFirstOrThrow();
    const [office, economy] = await Promise.all([department('VP'), department('KT')]);
    type Chain = { steps: { departmentId: string; departmentName: string }[] };
    assert.deepEqual((await ok<Chain>('cv.ubnd', 'GET', `/agencies/${ubnd}/approval-chain`)).steps, [
      { departmentId: office.id, departmentName: office.name },
    ]);
    assert.equal((await call('cv.ubnd', 'PUT', `/agencies/${ubnd}/approval-chain`, { departmentIds: [] })).status, 403);
    const set = await ok<Chain>('qt.ubnd', 'PUT', `/agencies/${ubnd}/approval-chain`, { departmentIds: [economy.id, office.id] });
    assert.deepEqual(
      set.steps.map((s) => s.departmentId),
      [economy.id, office.id],
    );
  });
  after(async () => {
    await system?.stop();
  });

  it('goes through review, the chain and both signatures, is numbered, and reaches both recipients with statuses back', async () => {
    const id = await newDraft('Về việc phối hợp triển khai văn bản điện tử');

    assert.equal((await act('cv.ubnd', id, { action: 'submit_signature' })).body.error?.code, 'review_required');
    assert.equal((await act('cv.ubnd', id, { action: 'submit_review' })).status, 200);
    assert.equal((await act('tp.ubnd', id, { action: 'return_review' })).body.error?.code, 'reason_required');
    assert.equal((await act('tp.ubnd', id, { action: 'return_review', text: 'Bổ sung thời hạn báo cáo.' })).status, 200);
    assert.equal((await detail('cv.ubnd', id)).state, 'draft');
    assert.equal((await act('cv.ubnd', id, { action: 'submit_review' })).status, 200);
    assert.equal((await act('tp.ubnd', id, { action: 'approve_review' })).status, 200);
    assert.equal((await act('cv.ubnd', id, { action: 'submit_signature' })).status, 200);

    let d = await detail('ld.ubnd', id);
    assert.deepEqual(
      d.approvals.map((a) => [a.kind, a.who, a.decision]),
      [
        ['check', 'Văn phòng', null],
        ['sign', d.approvals[1]!.who, null],
      ],
    );
    assert.deepEqual(d.actions, [], 'the signer waits for the Văn phòng');
    assert.deepEqual(await waiting('cvp.ubnd'), [id]);
    assert.deepEqual(await waiting('ld.ubnd'), []);
    assert.equal((await act('ld.ubnd', id, { action: 'sign', sha256: d.toSign!.sha256 })).body.error?.code, 'forbidden');
    assert.equal((await act('cvp.ubnd', id, { action: 'approve', text: 'Đúng thể thức.' })).status, 200);

    d = await detail('ld.ubnd', id);
    assert.deepEqual(d.actions.sort(), ['return_signature', 'sign']);
    assert.deepEqual(await waiting('ld.ubnd'), [id]);
    const wrong = await act('ld.ubnd', id, { action: 'sign', sha256: '0'.repeat(64) });
    assert.equal(wrong.body.error?.code, 'signed_file_changed', 'only the file the signer was shown is signed');
    assert.equal((await act('ld.ubnd', id, { action: 'sign', sha256: d.toSign!.sha256 })).status, 200);

    assert.equal((await act('cv.ubnd', id, { action: 'number' })).body.error?.code, 'forbidden');
    const forClerk = await ok<{ items: { id: string; sameDay: string }[] }>('vt.ubnd', 'GET', `/agencies/${ubnd}/outgoing?view=waiting`);
    assert.deepEqual(
      forClerk.items.map((i) => [i.id, i.sameDay]),
      [[id, (await detail('vt.ubnd', id)).sameDay]],
    );
    assert.match(forClerk.items[0]!.sameDay, /^(none|past_signing_day)$/, 'signed and waiting: flagged only after the working day');
    const numbered = await act('vt.ubnd', id, { action: 'number' });
    assert.equal(numbered.status, 200, JSON.stringify(numbered.body));
    assert.equal(numbered.body.notation, 'UBND-KGVX');
    assert.match(String(numbered.body.number), /^\d{2,}$/);
    const issued = await act('vt.ubnd', id, { action: 'issue' });
    assert.equal(issued.status, 200, JSON.stringify(issued.body));
    assert.deepEqual([issued.body.internal, issued.body.throughHub], [1, 1]);

    d = await detail('vt.ubnd', id);
    assert.equal(d.state, 'issued');
    assert.equal(d.sameDay, 'same_day');
    assert.deepEqual(
      d.timeline.map((e) => e.action),
      [
        'create',
        'save_version',
        'submit_review',
        'return_review',
        'submit_review',
        'approve_review',
        'submit_signature',
        'approve',
        'sign',
        'number',
        'issue',
      ],
    );

    // Inside the installation: straight into the Sở's awaiting list; registering it answers 03.
    const stcId = (await system.office.database.db.selectFrom('agencies').select('id').where('code', '=', STC).executeTakeFirstOrThrow())
      .id;
    const inStc = await system.office.database.db
      .selectFrom('incoming_documents')
      .select(['id', 'number', 'notation', 'channel'])
      .where('agency_id', '=', stcId)
      .where('document_id', '=', d.documentId)
      .executeTakeFirstOrThrow();
    assert.deepEqual([inStc.channel, inStc.number, inStc.notation], ['internal', d.number, 'UBND-KGVX']);
    const stcRegister = await system.office.database.db
      .selectFrom('registers')
      .select('id')
      .where('agency_id', '=', stcId)
      .where('kind', '=', 'incoming')
      .executeTakeFirstOrThrow();
    const registered = await call('vt.sotc', 'POST', `/agencies/${stcId}/incoming/${inStc.id}/register`, { registerId: stcRegister.id });
    assert.equal(registered.status, 200, JSON.stringify(registered.body));

    // Outside: through the hub to the other installation, whose clerk registers it.
    const peer = system.peer!;
    const arrived = await until(
      'the document at the other installation',
      () =>
        peer.office.database.db
          .selectFrom('incoming_documents')
          .select(['id', 'agency_id', 'verdict', 'number', 'notation'])
          .where('document_id', '=', d.documentId)
          .executeTakeFirst(),
      30_000,
    );
    assert.equal(arrived.verdict, 'valid', 'the package’s agency signature checks out at the other side');
    assert.deepEqual([arrived.number, arrived.notation], [d.number, 'UBND-KGVX']);
    const peerRegister = await peer.office.database.db
      .selectFrom('registers')
      .select('id')
      .where('agency_id', '=', arrived.agency_id)
      .where('kind', '=', 'incoming')
      .executeTakeFirstOrThrow();
    const peerRegistered = await call(
      'vt.peer',
      'POST',
      `/agencies/${arrived.agency_id}/incoming/${arrived.id}/register`,
      { registerId: peerRegister.id },
      peer.url,
    );
    assert.equal(peerRegistered.status, 200, JSON.stringify(peerRegistered.body));

    // Both answers reach the issuer: the Sở's at once, the Bộ's through the hub.
    const statuses = await until(
      'status 03 from the other installation',
      async () => {
        const rows = await system.office.database.db
          .selectFrom('sent_statuses')
          .select(['recipient_code', 'status'])
          .where('agency_id', '=', ubnd)
          .where('document_id', '=', d.documentId)
          .execute();
        return rows.some((r) => r.recipient_code === PEER_AGENCY.code && r.status === '03') ? rows : undefined;
      },
      30_000,
    );
    assert.ok(statuses.some((r) => r.recipient_code === STC && r.status === '03'));
    assert.equal((await detail('vt.ubnd', id)).hubDelivery?.state, 'sent', 'the hub took the package for the Bộ');

    // The PDF the other side received carries both signatures, valid; one changed byte breaks them.
    const file = await peer.office.database.db
      .selectFrom('incoming_files')
      .select('sha256')
      .where('incoming_id', '=', arrived.id)
      .orderBy('position')
      .executeTakeFirstOrThrow();
    const pdf = await buffer(await peer.files.read(file.sha256));
    // Kept for a look at where the number and date were written.
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'outgoing-issued.pdf'), pdf);
    const verifier = new CertificateVerifier(system.ca.trustList(), new RevocationChecker(system.ca.fetcher()));
    const reports = await verifyPdfSignatures(pdf, verifier);
    assert.deepEqual(
      reports.map((r) => [r.verdict, r.findings.map((f) => f.code)]),
      [
        ['valid', ['later-text']],
        ['valid', []],
      ],
    );
    assert.match(reports[0]!.findings[0]!.detail ?? '', new RegExp(`“${d.number}”`), 'the number written after the signer is shown');
    const changed = Buffer.from(pdf);
    const at = changed.indexOf('/MediaBox');
    changed[at + 2] = changed[at + 2]! ^ 1;
    const broken = await verifyPdfSignatures(changed, verifier);
    assert.ok(broken.length === 0 || broken.every((r) => r.verdict === 'invalid'), JSON.stringify(broken.map((r) => r.verdict)));
  });

  it('asks a department and another agency for comments on a draft and keeps their answers with it', async () => {
    const id = await newDraft('Về việc lấy ý kiến dự thảo quy chế phối hợp');
    const db = system.office.database.db;
    const office = await db
      .selectFrom('departments')
      .select('id')
      .where('agency_id', '=', ubnd)
      .where('code', '=', 'VP')
      .executeTakeFirstOrThrow();
    const stc = (await db.selectFrom('agencies').select('id').where('code', '=', STC).executeTakeFirstOrThrow()).id;
    const due = new Date(Date.now() + 7 * 86400_000).toISOString().slice(0, 10);
    const ask = (body: object) => call('cv.ubnd', 'POST', `/agencies/${ubnd}/outgoing/${id}/consultations`, body);
    assert.equal(
      (await ask({ departmentId: office.id, question: 'Góp ý thể thức.', due: '2020-01-01' })).body.error?.code,
      'invalid_due_date',
    );
    assert.equal((await ask({ agencyId: ubnd, question: 'Tự hỏi mình?', due })).body.error?.code, 'invalid_assignee');
    assert.equal((await ask({ departmentId: office.id, question: 'Góp ý thể thức.', due })).status, 201);
    assert.equal((await ask({ agencyId: stc, question: 'Góp ý phần kinh phí.', due })).status, 201);

    type Asked = { items: { id: string; question: string; answer: string | null; draftingAgency: string }[] };
    const atOffice = await ok<Asked>('cvp.ubnd', 'GET', `/agencies/${ubnd}/consultations`);
    assert.deepEqual(
      atOffice.items.filter((c) => c.answer === null).map((c) => c.question),
      ['Góp ý thể thức.'],
    );
    const atStc = await ok<Asked>('ld.sotc', 'GET', `/agencies/${stc}/consultations`);
    const fromUbnd = atStc.items.find((c) => c.question === 'Góp ý phần kinh phí.')!;
    assert.equal(fromUbnd.draftingAgency, 'Ủy ban nhân dân tỉnh Bình An');
    assert.deepEqual((await ok<Asked>('cv.sotc', 'GET', `/agencies/${stc}/consultations`)).items, [], 'an officer of the Sở is not asked');
    const draft = await fetch(`${system.url}/api/agencies/${stc}/consultations/${fromUbnd.id}/file`, {
      headers: { cookie: cookies.get(`${system.url} ld.sotc`)! },
    });
    assert.equal(draft.status, 200);
    assert.equal((await draft.arrayBuffer()).byteLength > 1000, true, 'those asked read the draft itself');

    const answer = (who: string, agencyId: string, consultationId: string, text: string) =>
      call(who, 'POST', `/agencies/${agencyId}/consultations/${consultationId}/answer`, { answer: text });
    assert.equal((await answer('cv.sotc', stc, fromUbnd.id, 'Không')).status, 404);
    assert.equal((await answer('ld.sotc', stc, fromUbnd.id, 'Thống nhất, đề nghị nêu rõ nguồn kinh phí.')).status, 204);
    assert.equal((await answer('ld.sotc', stc, fromUbnd.id, 'Lần nữa')).body.error?.code, 'wrong_state');
    assert.equal((await answer('cvp.ubnd', ubnd, atOffice.items.find((c) => c.answer === null)!.id, 'Đúng thể thức.')).status, 204);

    const onDraft = await ok<Asked>('cv.ubnd', 'GET', `/agencies/${ubnd}/outgoing/${id}/consultations`);
    assert.deepEqual(onDraft.items.map((c) => c.answer).sort(), ['Thống nhất, đề nghị nêu rõ nguồn kinh phí.', 'Đúng thể thức.']);
    const timeline = (await detail('cv.ubnd', id)).timeline.map((e) => e.action);
    assert.deepEqual(
      timeline.filter((a) => a.startsWith('consult')),
      ['consult', 'consult', 'consultation_answered', 'consultation_answered'],
    );

    assert.equal((await act('cv.ubnd', id, { action: 'submit_review' })).status, 200);
    assert.equal((await act('tp.ubnd', id, { action: 'approve_review' })).status, 200);
    assert.equal((await act('cv.ubnd', id, { action: 'submit_signature' })).status, 200);
    assert.equal((await ask({ departmentId: office.id, question: 'Muộn rồi', due })).body.error?.code, 'wrong_state');
  });

  /** A document taken through the whole workflow by the API and issued to the Sở and to the other installation. */
  async function issuedDocument(subject: string, extra?: { amends?: object; fields?: object; recipients?: object[] }): Promise<Detail> {
    let id: string;
    if (extra) {
      id = (
        await ok<{ id: string }>('cv.ubnd', 'POST', `/agencies/${ubnd}/outgoing`, {
          fields: { documentTypeId: congVan, subject, signerId, ...extra.fields },
          recipients: extra.recipients ?? [{ code: STC }, { code: PEER_AGENCY.code, name: PEER_AGENCY.name }],
          ...(extra.amends ? { amends: extra.amends } : {}),
        })
      ).id;
      const form = new FormData();
      form.append('file', new Blob([await draftPdf('V/v thay thế')], { type: 'application/pdf' }), 'thay-the.pdf');
      await ok('cv.ubnd', 'POST', `/agencies/${ubnd}/outgoing/${id}/files?role=main`, form);
    } else {
      id = await newDraft(subject);
    }
    await throughSignature(id);
    assert.equal((await act('vt.ubnd', id, { action: 'number' })).status, 200);
    assert.equal((await act('vt.ubnd', id, { action: 'issue' })).status, 200);
    return detail('vt.ubnd', id);
  }

  /** The copy of a document (by DocumentId) an installation holds, once it is there. */
  const copyAt = (where: 'here' | 'peer', documentId: string, agencyCode: string) =>
    until(
      `the copy of ${documentId} at ${agencyCode}`,
      () =>
        (where === 'here' ? system.office : system.peer!.office).database.db
          .selectFrom('incoming_documents as d')
          .innerJoin('agencies as a', 'a.id', 'd.agency_id')
          .select(['d.id', 'd.agency_id', 'd.sender_request', 'd.sender_request_reason', 'd.sender_request_version'])
          .where('d.document_id', '=', documentId)
          .where('a.code', '=', agencyCode)
          .executeTakeFirst(),
      30_000,
    );

  it('recalls an issued document: each recipient is asked and its agreement (15) or refusal (16) comes back', async () => {
    const d = await issuedDocument('Về việc văn bản sẽ được thu hồi');
    assert.equal((await act('vt.ubnd', d.id, { action: 'recall' })).body.error?.code, 'reason_required');
    assert.equal((await act('cv.ubnd', d.id, { action: 'recall', text: 'Sai số liệu' })).body.error?.code, 'forbidden');
    assert.equal((await act('vt.ubnd', d.id, { action: 'recall', text: 'Sai số liệu kèm theo' })).status, 200);

    const atStc = await copyAt('here', d.documentId, STC);
    assert.deepEqual([atStc.sender_request, atStc.sender_request_reason], ['recall', 'Sai số liệu kèm theo']);
    const atPeer = await until('the recall at the other installation', async () => {
      const copy = await copyAt('peer', d.documentId, PEER_AGENCY.code);
      return copy.sender_request === 'recall' ? copy : undefined;
    });
    const agree = await call('vt.sotc', 'POST', `/agencies/${atStc.agency_id}/incoming/${atStc.id}/sender-request/agree`, {});
    assert.equal(agree.status, 204, JSON.stringify(agree.body));
    const refuse = await call(
      'vt.peer',
      'POST',
      `/agencies/${atPeer.agency_id}/incoming/${atPeer.id}/sender-request/refuse`,
      { reason: 'Đã triển khai thực hiện' },
      system.peer!.url,
    );
    assert.equal(refuse.status, 204, JSON.stringify(refuse.body));

    type WithStatuses = Detail & {
      recipients: { code: string; channel: string; statuses: { status: string; description: string | null }[] }[];
    };
    const answered = await until('15 from the Sở and 16 from the Bộ', async () => {
      const now = await ok<WithStatuses>('vt.ubnd', 'GET', `/agencies/${ubnd}/outgoing/${d.id}`);
      const last = (code: string) => now.recipients.find((r) => r.code === code)!.statuses.at(-1);
      return last(STC)?.status === '15' && last(PEER_AGENCY.code)?.status === '16' ? now : undefined;
    });
    assert.deepEqual(
      answered.recipients.map((r) => [r.code, r.channel]),
      [
        [STC, 'internal'],
        [PEER_AGENCY.code, 'hub'],
      ],
    );
    assert.equal(answered.recipients[1]!.statuses.at(-1)!.description, 'Đã triển khai thực hiện');
    assert.ok(answered.timeline.some((e) => e.action === 'recall'));
  });

  it('issues a replacement that names the document it replaces, at every recipient', async () => {
    const original = await issuedDocument('Về việc văn bản sẽ được thay thế');
    const peerOriginal = await copyAt('peer', original.documentId, PEER_AGENCY.code);
    const replacement = await issuedDocument('Về việc văn bản thay thế', {
      amends: { outgoingId: original.id, kind: 'replace', reason: 'Thay thế do sai thể thức' },
    });
    const atStc = await copyAt('here', original.documentId, STC);
    const newAtStc = await copyAt('here', replacement.documentId, STC);
    assert.deepEqual(
      [atStc.sender_request, atStc.sender_request_reason, atStc.sender_request_version],
      ['replace', 'Thay thế do sai thể thức', newAtStc.id],
    );
    const atPeer = await until('the replacement marked at the other installation', async () => {
      const copy = await copyAt('peer', original.documentId, PEER_AGENCY.code);
      return copy.sender_request === 'replace' ? copy : undefined;
    });
    assert.equal(atPeer.id, peerOriginal.id);
    const newAtPeer = await copyAt('peer', replacement.documentId, PEER_AGENCY.code);
    assert.equal(atPeer.sender_request_version, newAtPeer.id);
    const notIssued = await call('cv.ubnd', 'POST', `/agencies/${ubnd}/outgoing`, {
      fields: { documentTypeId: congVan, subject: 'x', signerId },
      amends: { outgoingId: randomUUID(), kind: 'amend', reason: 'x' },
    });
    assert.equal(notIssued.body.error?.code, 'invalid_amended_document');
  });

  it('links a reply and the document it answers both ways, and issuing the reply completes it', async () => {
    const db = system.office.database.db;
    const stc = await db.selectFrom('agencies').select('id').where('code', '=', STC).executeTakeFirstOrThrow();
    const stcClerk = await db.selectFrom('users').select('id').where('username', '=', 'vt.sotc').executeTakeFirstOrThrow();
    const officer = await db.selectFrom('users').select('id').where('username', '=', 'cv.ubnd').executeTakeFirstOrThrow();
    const askedDocumentId = randomUUID();
    const incomingId = await db.transaction().execute((tx) =>
      deliverInternally(
        tx,
        { agencyId: ubnd },
        {
          senderCode: STC,
          senderName: 'Sở Tài chính',
          number: '88',
          notation: 'STC-NV',
          issueDate: new Date().toISOString().slice(0, 10),
          documentType: 'Công văn',
          subject: 'Về việc đề nghị cho ý kiến phương án phân bổ kinh phí',
          urgency: 'normal',
          signerName: null,
          replyDue: null,
          documentId: askedDocumentId,
          files: [],
        },
        { agencyId: stc.id, userId: stcClerk.id },
        new Date(),
      ),
    );
    const register = await db
      .selectFrom('registers')
      .select('id')
      .where('agency_id', '=', ubnd)
      .where('kind', '=', 'incoming')
      .executeTakeFirstOrThrow();
    const incoming = (path: string, who: string, body: object) => ok(who, 'POST', `/agencies/${ubnd}/incoming/${incomingId}/${path}`, body);
    await incoming('register', 'vt.ubnd', { registerId: register.id });
    await incoming('submit', 'vt.ubnd', { leaderId: signerId });
    await incoming('assign', 'ld.ubnd', { lead: { userId: officer.id }, dueInWorkingDays: 5 });

    const stranger = await call('cv.ubnd', 'POST', `/agencies/${ubnd}/outgoing`, {
      fields: { documentTypeId: congVan, subject: 'x', signerId, inReplyTo: randomUUID() },
    });
    assert.equal(stranger.body.error?.code, 'invalid_in_reply_to');

    const reply = await issuedDocument('Về việc cho ý kiến phương án phân bổ kinh phí', {
      fields: { inReplyTo: incomingId, completesIncoming: true },
      recipients: [{ code: STC }],
    });
    type Answered = { state: string; replyDocumentId: string | null; replies: { id: string; number: string | null }[] };
    const answered = await ok<Answered>('cv.ubnd', 'GET', `/agencies/${ubnd}/incoming/${incomingId}`);
    assert.equal(answered.state, 'completed');
    assert.equal(answered.replyDocumentId, reply.documentId);
    assert.deepEqual(
      answered.replies.map((r) => [r.id, r.number]),
      [[reply.id, reply.number]],
    );
    const toStc = await db
      .selectFrom('sent_statuses')
      .select('status')
      .where('agency_id', '=', stc.id)
      .where('document_id', '=', askedDocumentId)
      .orderBy('status')
      .execute();
    assert.deepEqual(
      toStc.map((s) => s.status),
      ['03', '04', '06'],
      'the Sở sees its document registered, assigned and completed',
    );
  });

  it('keeps a classified document from going through the hub, and delivers it inside the installation', async () => {
    const form = new FormData();
    form.append('file', new Blob([await draftPdf('V/v mật')], { type: 'application/pdf' }), 'mat.pdf');
    const outside = await ok<{ id: string }>('cv.ubnd', 'POST', `/agencies/${ubnd}/outgoing`, {
      fields: { documentTypeId: congVan, subject: 'Về việc tài liệu mật', signerId, classification: 'secret' },
      recipients: [{ code: STC }, { code: PEER_AGENCY.code, name: PEER_AGENCY.name }],
    });
    await ok('cv.ubnd', 'POST', `/agencies/${ubnd}/outgoing/${outside.id}/files?role=main`, form);
    assert.equal((await act('cv.ubnd', outside.id, { action: 'submit_review' })).status, 200);
    assert.equal((await act('tp.ubnd', outside.id, { action: 'approve_review' })).status, 200);
    assert.equal((await act('cv.ubnd', outside.id, { action: 'submit_signature' })).body.error?.code, 'classified_through_hub');
    // Without the outside recipient it goes back for review, then on; it is numbered in a classified register only.
    await ok('cv.ubnd', 'PATCH', `/agencies/${ubnd}/outgoing/${outside.id}`, { recipients: [{ code: STC }] });
    assert.equal((await detail('cv.ubnd', outside.id)).state, 'draft', 'a reviewed draft that changes is reviewed again');
    await throughSignature(outside.id);
    assert.equal((await act('vt.ubnd', outside.id, { action: 'number' })).body.error?.code, 'invalid_register');
    const register = await ok<{ id: string }>('vt.ubnd', 'POST', `/agencies/${ubnd}/registers`, {
      kind: 'outgoing',
      name: 'Sổ văn bản mật đi',
      classified: true,
    });
    const numbered = await act('vt.ubnd', outside.id, { action: 'number' });
    assert.equal(numbered.body.number, '01', 'classified documents are numbered in their own register');
    const issued = await act('vt.ubnd', outside.id, { action: 'issue' });
    assert.deepEqual([issued.body.internal, issued.body.throughHub], [1, 0]);
    const numberedIn = await system.office.database.db
      .selectFrom('outgoing_documents')
      .select('register_id')
      .where('id', '=', outside.id)
      .executeTakeFirstOrThrow();
    assert.equal(numberedIn.register_id, register.id);
  });

  it('numbers documents signed at once by parallel clerks without a gap or a repeat', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const id = await newDraft(`Văn bản thử cấp số song song ${i + 1}`);
      await throughSignature(id);
      ids.push(id);
    }
    const before = await system.office.database.db
      .selectFrom('outgoing_documents')
      .select((eb) => eb.fn.max('number').as('last'))
      .where('agency_id', '=', ubnd)
      .executeTakeFirstOrThrow();
    const results = await Promise.all(ids.map((id) => act('vt.ubnd', id, { action: 'number' })));
    for (const r of results) assert.equal(r.status, 200, JSON.stringify(r.body));
    const numbers = results.map((r) => Number(r.body.number)).sort((a, b) => a - b);
    const first = (before.last ?? 0) + 1;
    assert.deepEqual(
      numbers,
      ids.map((_, i) => first + i),
    );
    // A second try on a numbered document is refused and takes no number.
    assert.equal((await act('vt.ubnd', ids[0]!, { action: 'number' })).body.error?.code, 'wrong_state');
  });

  it('reminds the clerks of documents signed and not issued, and the drafter of answers past their date', async () => {
    const db = system.office.database.db;
    // Documents numbered above wait to be issued: two days later they are late.
    const later = new Date(Date.now() + 3 * 86400_000);
    const d = await issuedDocument('Về việc báo cáo trước hạn', {
      fields: { replyDue: new Date().toISOString().slice(0, 10) },
      recipients: [{ code: STC }],
    });
    const first = await remindOutgoing(db, later);
    const waiting = await db
      .selectFrom('outgoing_documents')
      .select('id')
      .where('agency_id', '=', ubnd)
      .where('state', 'in', ['signed', 'numbered'])
      .execute();
    assert.ok(waiting.length > 0);
    assert.equal(first.unissued, waiting.length, 'one notice to the one clerk per document waiting');
    assert.equal(first.lateReplies, 1, 'the Sở has not completed the document whose answer was due');
    const notices = await ok<{ items: { kind: string; outgoingId: string | null; text: { vi: string } }[] }>(
      'cv.ubnd',
      'GET',
      '/notifications?limit=50',
    );
    const late = notices.items.find((n) => n.kind === 'reply_late' && n.outgoingId === d.id);
    assert.match(late?.text.vi ?? '', /Sở Tài chính chưa hoàn thành/);
    assert.deepEqual(await remindOutgoing(db, later), { unissued: 0, lateReplies: 0 }, 'each is given once');
  });
});
