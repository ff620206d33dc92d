import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BlobStore, connect, createTestDatabase, type Database, type TestDatabase } from '@vanban/db';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { DEMO_PASSWORD, seedDemoProvince } from '../src/demo/seed.js';
import { defaultSettings, migrateOffice } from '../src/office.js';
import type { OfficeSchema } from '../src/schema.js';

interface DocumentType {
  id: string;
  name: string;
  abbreviation: string | null;
  active: boolean;
}

describe('document types as data the installation keeps', () => {
  let testDb: TestDatabase;
  let office: Database<OfficeSchema>;
  let app: FastifyInstance;
  const cookies: Record<string, string> = {};
  const call = (who: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    app.inject({ method, url: `/api${url}`, headers: { cookie: cookies[who]! }, ...(payload ? { payload } : {}) });

  before(async () => {
    testDb = await createTestDatabase();
    await migrateOffice(testDb.url);
    office = connect<OfficeSchema>(testDb.url, { max: 2 });
    await seedDemoProvince(office.db);
    app = await buildApp({
      db: office.db,
      files: new BlobStore(mkdtempSync(join(tmpdir(), 'vanban-types-'))),
      verifier: null,
      keys: null,
      settings: defaultSettings,
    });
    // qt.ubnd administers the province's top agency; qt.sotc only a Sở.
    for (const username of ['qt.ubnd', 'qt.sotc', 'vt.sotc']) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
      cookies[username] = `vanban_session=${res.cookies.find((c) => c.name === 'vanban_session')!.value}`;
    }
  });
  after(async () => {
    await app?.close();
    await office?.close();
    await testDb?.drop();
  });

  it('comes preloaded with the decree’s types in their order, Công văn without an abbreviation', async () => {
    const { items } = (await call('vt.sotc', 'GET', '/document-types')).json<{ items: DocumentType[] }>();
    assert.equal(items.length, 29);
    assert.deepEqual(
      items.slice(0, 2).map((t) => [t.name, t.abbreviation]),
      [
        ['Nghị quyết', 'NQ'],
        ['Quyết định', 'QĐ'],
      ],
    );
    assert.equal(items.find((t) => t.name === 'Công văn')!.abbreviation, null);
  });

  it('lets only an administrator of a top agency add, rename and retire types', async () => {
    const type = { name: 'Nghị định', abbreviation: 'NĐ' };
    assert.equal((await call('vt.sotc', 'POST', '/document-types', type)).statusCode, 403);
    assert.equal((await call('qt.sotc', 'POST', '/document-types', type)).statusCode, 403);
    const created = await call('qt.ubnd', 'POST', '/document-types', type);
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json<DocumentType>().id;
    assert.equal((await call('qt.ubnd', 'POST', '/document-types', { name: 'nghị ĐỊNH', abbreviation: null })).statusCode, 409);
    assert.equal((await call('qt.ubnd', 'POST', '/document-types', { name: 'Khác', abbreviation: 'NĐ' })).statusCode, 409);
    assert.equal((await call('qt.ubnd', 'POST', '/document-types', { name: 'Lỗi', abbreviation: 'N Đ' })).statusCode, 400);

    const retired = await call('qt.ubnd', 'PATCH', `/document-types/${id}`, { active: false });
    assert.equal(retired.json<DocumentType>().active, false);
    const active = (await call('vt.sotc', 'GET', '/document-types')).json<{ items: DocumentType[] }>().items;
    assert.ok(!active.some((t) => t.id === id));
    const all = (await call('vt.sotc', 'GET', '/document-types?all=true')).json<{ items: DocumentType[] }>().items;
    assert.equal(all[all.length - 1]!.name, 'Nghị định');
  });
});
