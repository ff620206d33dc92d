import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { DEMO_PASSWORD } from '../src/demo/seed.js';
import type { OfficeSchema } from '../src/schema.js';
import { rebuildSearchIndex } from '../src/search/search.js';
import { paperPdf, startTestSystem, type TestSystem } from '../src/testing/system.js';

const STC = '000.00.04.H99';

interface Hit {
  kind: string;
  id: string;
  title: { text: string; hit: boolean }[];
  reference: string;
  party: string;
  signer: string | null;
  snippet: { text: string; hit: boolean }[] | null;
  link: string;
}
type Facets = Record<'kind' | 'year' | 'documentType' | 'urgency' | 'state' | 'channel', { value: string; count: number }[]>;
interface Reply {
  items: Hit[];
  nextCursor: string | null;
  facets: Facets | null;
}

/** A multipart form as a browser sends it: text fields, then the file. */
function form(fields: Record<string, string>, file: { name: string; bytes: Uint8Array; type: string }) {
  const boundary = '----vanban-search';
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
    ),
    Buffer.from(file.bytes),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('search: one box over the documents of the agency a person may open', () => {
  let system: TestSystem;
  let db: Kysely<OfficeSchema>;
  let agencyId: string;
  const cookies: Record<string, string> = {};
  const ids = { letter: '', decision: '', report: '' };

  const login = async (username: string) => {
    const res = await system.office.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
    assert.equal(res.statusCode, 200, res.body);
    return `vanban_session=${res.cookies.find((c) => c.name === 'vanban_session')!.value}`;
  };
  const search = async (as: string, params: Record<string, string>): Promise<Reply> => {
    const res = await system.office.app.inject({
      method: 'GET',
      url: `/api/agencies/${agencyId}/search?${new URLSearchParams(params).toString()}`,
      headers: { cookie: cookies[as]! },
    });
    assert.equal(res.statusCode, 200, res.body);
    return res.json<Reply>();
  };
  const found = async (as: string, q: string, extra: Record<string, string> = {}) =>
    (await search(as, { q, ...extra })).items.map((h) => h.id);
  const userId = async (username: string) =>
    (await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;

  before(async () => {
    system = await startTestSystem();
    db = system.office.database.db;
    agencyId = (await db.selectFrom('agencies').select('id').where('code', '=', STC).executeTakeFirstOrThrow()).id;
    for (const u of ['vt.sotc', 'cv.sotc', 'ld.sotc']) cookies[u] = await login(u);
    const officer = await userId('cv.sotc');
    const leader = await userId('ld.sotc');
    // Written straight into the tables, as a bulk load or the hub connector would: the triggers index them.
    const incoming = await db
      .insertInto('incoming_documents')
      .values([
        {
          agency_id: agencyId,
          channel: 'hub',
          state: 'registered',
          sender_name: 'Ủy ban nhân dân thành phố Đà Nẵng',
          sender_code: '000.00.00.G15',
          number: '12',
          notation: 'UBND-VP',
          subject: 'Về việc tổng hợp văn bản đến năm 2026',
          document_type: 'Công văn',
          signer_name: 'Nguyễn Văn Thành',
          issue_date: '2026-03-02',
          urgency: 'urgent',
        },
        {
          agency_id: agencyId,
          channel: 'paper',
          state: 'assigned',
          sender_name: 'Sở Y tế',
          number: '845',
          notation: 'QĐ-SYT',
          subject: 'Quyết định phê duyệt kế hoạch phòng chống dịch bệnh',
          document_type: 'Quyết định',
          signer_name: 'Trần Thị Bích Hạnh',
          issue_date: '2025-05-10',
        },
      ])
      .returning('id')
      .execute();
    ids.letter = incoming[0]!.id;
    ids.decision = incoming[1]!.id;
    // Only the decision is the officer's: he leads its handling.
    await db
      .insertInto('incoming_assignments')
      .values({ incoming_id: ids.decision, part: 'lead', user_id: officer, assigned_by: leader, assigned_at: new Date() })
      .execute();
    const outgoing = await db
      .insertInto('outgoing_documents')
      .values({
        agency_id: agencyId,
        document_type: 'Báo cáo',
        subject: 'Báo cáo tình hình tiếp nhận văn bản đến quý I',
        drafter_id: leader,
        signer_id: leader,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.report = outgoing.id;
    await db
      .insertInto('outgoing_recipients')
      .values({ outgoing_id: ids.report, position: 1, agency_code: '000.00.00.H99', agency_name: 'Ủy ban nhân dân tỉnh Bình An' })
      .execute();
  });
  after(() => system?.stop());

  it('finds the same documents with or without Vietnamese marks', async () => {
    const marked = await found('vt.sotc', 'văn bản đến');
    assert.deepEqual(new Set(marked), new Set([ids.letter, ids.report]));
    assert.deepEqual(await found('vt.sotc', 'van ban den'), marked);
    assert.deepEqual(await found('vt.sotc', 'VĂN BẢN ĐẾN'), marked);
    assert.deepEqual(await found('vt.sotc', 'da nang'), [ids.letter]);
    assert.deepEqual(await found('vt.sotc', 'Đà Nẵng'), [ids.letter]);
  });

  it('marks the words found in the title, whatever marks the query had', async () => {
    const [hit] = (await search('vt.sotc', { q: 'van ban den', kind: 'incoming' })).items;
    assert.deepEqual(
      hit!.title.filter((s) => s.hit).map((s) => s.text),
      ['văn', 'bản', 'đến'],
    );
    assert.equal(hit!.link, `/incoming/${ids.letter}`);
  });

  it('forgives a typo', async () => {
    const typo = (await search('vt.sotc', { q: 'quyet dihn' })).items;
    assert.ok(typo.some((h) => h.id === ids.decision));
    // The word meant is marked, as the word typed would have been.
    const decision = typo.find((h) => h.id === ids.decision)!;
    assert.deepEqual(
      decision.title.filter((s) => s.hit).map((s) => s.text),
      ['Quyết', 'định'],
    );
    assert.ok((await found('vt.sotc', 'phong chong dich benk')).includes(ids.decision));
    assert.deepEqual(await found('vt.sotc', 'xyzzy qwerty'), []);
  });

  it('finds by number and notation, the exact one first', async () => {
    const hits = await found('vt.sotc', '12/UBND-VP');
    assert.equal(hits[0], ids.letter);
    assert.deepEqual(await found('vt.sotc', '845/QĐ-SYT'), [ids.decision]);
    assert.deepEqual(await found('vt.sotc', '845/qd-syt'), [ids.decision]);
  });

  it('finds by sender, signer and recipient', async () => {
    assert.deepEqual(await found('vt.sotc', 'so y te'), [ids.decision]);
    assert.deepEqual(await found('vt.sotc', 'Trần Thị Bích Hạnh'), [ids.decision]);
    assert.deepEqual(await found('vt.sotc', 'binh an'), [ids.report]);
    const leaderName = (await db.selectFrom('users').select('full_name').where('username', '=', 'ld.sotc').executeTakeFirstOrThrow())
      .full_name;
    const [report] = (await search('vt.sotc', { q: leaderName, kind: 'outgoing' })).items;
    assert.equal(report?.id, ids.report);
    assert.equal(report?.signer, leaderName);
  });

  it('filters and counts the matches per facet value', async () => {
    const all = await search('vt.sotc', { q: 'van ban den' });
    assert.deepEqual(all.facets!.kind, [
      { value: 'incoming', count: 1 },
      { value: 'outgoing', count: 1 },
    ]);
    assert.deepEqual(all.facets!.documentType.map((f) => f.value).sort(), ['Báo cáo', 'Công văn']);
    assert.deepEqual(all.facets!.channel, [{ value: 'hub', count: 1 }]);
    const outgoingOnly = await search('vt.sotc', { q: 'van ban den', kind: 'outgoing' });
    assert.deepEqual(
      outgoingOnly.items.map((h) => h.id),
      [ids.report],
    );
    // A facet counts under the other facets' choices, not its own: the other kind stays there to pick.
    assert.deepEqual(outgoingOnly.facets!.kind, all.facets!.kind);
    assert.equal(outgoingOnly.facets!.documentType.length, 1, 'the document types of the outgoing ones only');
    const hubOnly = await search('vt.sotc', { q: 'van ban den', channel: 'hub' });
    assert.deepEqual(hubOnly.facets!.kind, [{ value: 'incoming', count: 1 }], 'no outgoing document came through the hub');
    assert.deepEqual(await found('vt.sotc', '', { year: '2025' }), [ids.decision]);
    assert.deepEqual(await found('vt.sotc', '', { urgency: 'urgent' }), [ids.letter]);
    assert.deepEqual(await found('vt.sotc', '', { from: '2026-01-01', to: '2026-12-31', kind: 'incoming' }), [ids.letter]);
  });

  it('pages ranked results with a cursor, each once', async () => {
    const first = await search('vt.sotc', { q: '', limit: '1' });
    assert.ok(first.nextCursor);
    const seen = [...first.items.map((h) => h.id)];
    let cursor: string | null = first.nextCursor;
    while (cursor) {
      const next = await search('vt.sotc', { q: '', limit: '1', cursor });
      assert.equal(next.facets, null);
      seen.push(...next.items.map((h) => h.id));
      cursor = next.nextCursor;
    }
    assert.equal(new Set(seen).size, seen.length);
    for (const id of Object.values(ids)) assert.ok(seen.includes(id));
  });

  it('shows an officer only the documents he has a part in; the clerk and the leader all', async () => {
    assert.deepEqual(await found('cv.sotc', 'van ban den'), []);
    assert.deepEqual(await found('cv.sotc', 'quyet dinh'), [ids.decision]);
    assert.deepEqual(await found('cv.sotc', '12/UBND-VP'), []);
    assert.deepEqual((await search('cv.sotc', { q: '' })).facets!.kind, [{ value: 'incoming', count: 1 }]);
    assert.ok((await found('ld.sotc', '12/UBND-VP')).includes(ids.letter));
    // Another agency's search is not his to make.
    const ubnd = (await db.selectFrom('agencies').select('id').where('code', '=', '000.00.00.H99').executeTakeFirstOrThrow()).id;
    const res = await system.office.app.inject({
      method: 'GET',
      url: `/api/agencies/${ubnd}/search?q=a`,
      headers: { cookie: cookies['cv.sotc']! },
    });
    assert.equal(res.statusCode, 403);
  });

  it('follows changes to the documents and can be rebuilt whole', async () => {
    await db.updateTable('incoming_documents').set({ subject: 'Về việc kiểm kê tài sản công' }).where('id', '=', ids.letter).execute();
    assert.deepEqual(await found('vt.sotc', 'kiem ke tai san'), [ids.letter]);
    assert.deepEqual(await found('vt.sotc', 'van ban den', { kind: 'incoming' }), []);
    const entries = await rebuildSearchIndex(db);
    assert.ok(entries >= 3);
    assert.deepEqual(await found('vt.sotc', 'kiem ke tai san'), [ids.letter]);
  });

  // The text worker stores a PDF's text while a clerk saves the same document: both rebuild its
  // entry. Whichever waits for the other must neither fail nor write an entry that misses a change.
  it('indexes two changes to one document made at once, both ways round', async () => {
    await db.insertInto('search_texts').values({ document_id: ids.report, kind: 'outgoing' }).execute();
    const changeText = (words: string) =>
      db.updateTable('search_texts').set({ body: words, extracted_at: new Date() }).where('document_id', '=', ids.report).execute();
    const changeSubject = (subject: string) => db.updateTable('outgoing_documents').set({ subject }).where('id', '=', ids.report).execute();
    /** Runs `first` in a transaction held open until `second`, started meanwhile, waits on it. */
    const atOnce = async (first: (tx: Kysely<OfficeSchema>) => Promise<unknown>, second: () => Promise<unknown>) => {
      let waiting: Promise<unknown> = Promise.resolve();
      await db.transaction().execute(async (tx) => {
        await first(tx);
        waiting = second();
        waiting.catch(() => undefined);
        for (let i = 0; i < 100; i++) {
          const blocked = await sql<{ n: number }>`
            SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(db);
          if (blocked.rows[0]!.n > 0) break;
          await sql`SELECT pg_sleep(0.05)`.execute(db);
        }
      });
      await waiting;
    };

    await atOnce(
      (tx) => tx.updateTable('outgoing_documents').set({ subject: 'Báo cáo kiểm định chất lượng' }).where('id', '=', ids.report).execute(),
      () => changeText('quy trình niêm phong mẫu'),
    );
    assert.deepEqual(await found('vt.sotc', 'kiem dinh chat luong niem phong'), [ids.report]);

    await atOnce(
      (tx) =>
        tx
          .updateTable('search_texts')
          .set({ body: 'biên bản nghiệm thu', extracted_at: new Date() })
          .where('document_id', '=', ids.report)
          .execute(),
      () => changeSubject('Báo cáo quyết toán công trình'),
    );
    assert.deepEqual(await found('vt.sotc', 'quyet toan cong trinh nghiem thu'), [ids.report]);
  });

  it('rejects a query too long with a clear error', async () => {
    const res = await system.office.app.inject({
      method: 'GET',
      url: `/api/agencies/${agencyId}/search?q=${'a'.repeat(201)}`,
      headers: { cookie: cookies['vt.sotc']! },
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json<{ error: { code: string } }>().error.code, 'validation_failed');
  });

  it('finds a phrase of the text of a registered PDF, read in the background', async () => {
    const register = await db
      .selectFrom('registers')
      .select('id')
      .where('agency_id', '=', agencyId)
      .where('kind', '=', 'incoming')
      .executeTakeFirstOrThrow();
    const pdf = await paperPdf({
      agency: ['SỞ XÂY DỰNG'],
      code: '77/SXD-QLN',
      placeAndDate: 'Bình An, ngày 5 tháng 3 năm 2026',
      subjectUnderNumber: ['V/v nhà ở xã hội'],
      body: ['Kính gửi: Sở Tài chính.', '', 'Đề nghị bố trí kinh phí hỗ trợ cải tạo chung cư Hòa Khánh theo kế hoạch năm 2026.'],
    });
    const body = form(
      {
        registerId: register.id,
        senderName: 'Sở Xây dựng',
        number: '77',
        notation: 'SXD-QLN',
        issueDate: '2026-03-05',
        documentType: 'Công văn',
        subject: 'V/v nhà ở xã hội',
      },
      { name: 'scan.pdf', bytes: pdf, type: 'application/pdf' },
    );
    const res = await system.office.app.inject({
      method: 'POST',
      url: `/api/agencies/${agencyId}/incoming/paper`,
      payload: body.payload,
      headers: { cookie: cookies['vt.sotc']!, 'content-type': body.contentType },
    });
    assert.equal(res.statusCode, 201, res.body);
    const id = res.json<{ id: string }>().id;
    // The office's text worker reads the PDF after the request, within seconds.
    for (let i = 0; i < 60; i++) {
      const text = await db.selectFrom('search_texts').select('extracted_at').where('document_id', '=', id).executeTakeFirst();
      if (text?.extracted_at) break;
      await sql`SELECT pg_sleep(0.5)`.execute(db);
    }
    // Nothing of the body is in the words of the document's metadata: only the PDF text can find it.
    const hits = (await search('vt.sotc', { q: 'cai tao chung cu hoa khanh' })).items;
    assert.deepEqual(
      hits.map((h) => h.id),
      [id],
    );
    // Words match as prefixes: "hoa" marks "Hòa" and also the "hoạch" of "kế hoạch" after it.
    const marked = hits[0]!.snippet!.filter((s) => s.hit).map((s) => s.text);
    assert.deepEqual(marked, ['cải', 'tạo', 'chung', 'cư', 'Hòa', 'Khánh', 'hoạch']);
  });
});
