import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { verifyJournal } from '@vanban/db';
import { buildPackageBytes } from '@vanban/edxml';
import { SAMPLE_FILES, samplePackage } from '@vanban/edxml/testing';
import { CertificateAuthority, signEdxml, type Issued } from '@vanban/pki';
import type { RunningHub } from '../src/hub.js';
import { assignAgencies, registerSystem } from '../src/registry.js';
import { HubHarness, until, type Caller } from './harness.js';

const UBND = '000.00.00.H99';
const LIMIT = 64 * 1024;

describe('the hub facing bad input', () => {
  let h: HubHarness;
  let hub: RunningHub;
  let officeA: Issued;
  let asA: Caller;
  let asB: Caller;
  let signed: Buffer;

  const stored = async () => Number((await hub.pool.query<{ n: string }>('SELECT count(*) AS n FROM packages')).rows[0]!.n);
  /** A raw TLS connection as office A, to send what no well-behaved HTTP client would. */
  const raw = (): Promise<TLSSocket> =>
    new Promise((resolve, reject) => {
      const socket = tlsConnect(
        { host: '127.0.0.1', port: hub.port, ca: h.caPem, key: readFileSync(officeA.keyFile), cert: readFileSync(officeA.certificateFile) },
        () => resolve(socket),
      );
      socket.once('error', reject);
    });
  const head = (length: number) =>
    `POST /packages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/xml\r\nContent-Length: ${length}\r\n\r\n`;
  const stillServing = async () => {
    const fresh = samplePackage();
    fresh.subject = `Sau sự cố ${Math.random()}`;
    const bytes = await signEdxml((await buildPackageBytes(fresh, SAMPLE_FILES, 'none')).toString('utf8'), await h.ca.signingKey('ubnd'));
    const sent = await asA('POST', `${hub.url}/packages`, Buffer.from(bytes));
    assert.equal(sent.status, 201, sent.body.toString());
  };

  before(async () => {
    h = await HubHarness.create();
    ({ hub } = await h.hub('hub', '000.00.00.G99', { limits: { maxBytes: LIMIT }, requestTimeoutMs: 1_500 }));
    officeA = await h.client('office-a');
    const officeB = await h.client('office-b');
    asA = h.caller(officeA);
    asB = h.caller(officeB);
    await registerSystem(hub.pool, { id: 'office-a', name: 'A', certSha256: HubHarness.fingerprint(officeA) });
    await registerSystem(hub.pool, { id: 'office-b', name: 'B', certSha256: HubHarness.fingerprint(officeB) });
    await assignAgencies(hub.pool, 'office-a', [{ code: UBND, name: 'UBND tỉnh' }]);
    await assignAgencies(hub.pool, 'office-b', [
      { code: '000.00.04.H99', name: 'Sở Tài chính' },
      { code: '000.00.09.H99', name: 'Sở Y tế' },
    ]);
    await h.ca.issue({ name: 'ubnd', profile: 'agency', subject: { commonName: 'UBND tỉnh Bình An', agencyCode: UBND } });
    signed = Buffer.from(
      await signEdxml((await buildPackageBytes(samplePackage(), SAMPLE_FILES, 'none')).toString('utf8'), await h.ca.signingKey('ubnd')),
    );
    assert.ok(signed.length < LIMIT);
  });
  after(() => h?.close());

  it('an upload cut off half-way stores nothing and the hub goes on', async () => {
    const before = await stored();
    const socket = await raw();
    socket.write(head(signed.length) + signed.subarray(0, signed.length / 2).toString('latin1'), 'latin1');
    await new Promise((r) => setTimeout(r, 200));
    socket.destroy();
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await stored(), before);
    await stillServing();
  });

  it('a client that stalls mid-upload is cut off after the request timeout while others are served', async () => {
    const socket = await raw();
    let answer = '';
    socket.on('data', (c: Buffer) => (answer += c.toString()));
    const closed = new Promise<number>((resolve) => {
      const started = Date.now();
      socket.once('close', () => resolve(Date.now() - started));
    });
    socket.write(head(signed.length) + signed.subarray(0, 100).toString('latin1'), 'latin1');
    await stillServing();
    const after = await closed;
    assert.ok(after < 10_000, `closed after ${after} ms`);
    assert.match(answer, /^HTTP\/1\.1 408/);
  });

  it('a client certificate from a CA the hub does not trust is refused, on the record', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'vanban-other-ca-'));
    const other = await CertificateAuthority.create(folder, { name: 'Someone Else', baseUrl: 'http://other.test' });
    const impostor = await other.issue({ name: 'office-a', profile: 'tls-client', subject: { commonName: 'office-a' } });
    const asImpostor = h.caller(impostor);
    rmSync(folder, { recursive: true, force: true });
    const r = await asImpostor('POST', `${hub.url}/packages`, signed);
    assert.equal(r.status, 401);
    assert.equal(r.json().check, 'client-certificate');
  });

  it('a package replayed by its sender is held once; replayed by another system it is refused', async () => {
    assert.equal((await asA('POST', `${hub.url}/packages`, signed)).status, 201);
    const before = await stored();
    const again = await asA('POST', `${hub.url}/packages`, signed);
    assert.equal(again.status, 200);
    assert.equal(again.json().duplicate, true);
    const replay = await asB('POST', `${hub.url}/packages`, signed);
    assert.equal(replay.status, 403);
    assert.equal(replay.json().check, 'sender');
    assert.equal(await stored(), before);
  });

  it('an oversized package is refused with a clear reason before it is read, declared or not', async () => {
    const big = Buffer.concat([signed, Buffer.alloc(LIMIT, 0x20)]);
    const r = await asA('POST', `${hub.url}/packages`, big);
    assert.equal(r.status, 413);
    const body = r.json<{ check: string; message: { vi: string; en: string } }>();
    assert.equal(body.check, 'too-large');
    assert.match(body.message.en, /65536 bytes/);

    // Chunked, without a length: the limit holds as the bytes come.
    const socket = await raw();
    let answer = '';
    socket.on('data', (c: Buffer) => (answer += c.toString()));
    socket.write('POST /packages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/xml\r\nTransfer-Encoding: chunked\r\n\r\n');
    for (let i = 0; i < 20 && !answer; i++) {
      socket.write(`${(8192).toString(16)}\r\n${' '.repeat(8192)}\r\n`);
      await new Promise((r) => setTimeout(r, 10));
    }
    await new Promise((r) => setTimeout(r, 200));
    socket.destroy();
    assert.match(answer, /^HTTP\/1\.1 413/);
    const { rows } = await hub.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM hub_journal WHERE body ->> 'event' = 'refused' AND body ->> 'check' = 'too-large'`,
    );
    assert.equal(Number(rows[0]!.n), 2);
    assert.deepEqual((await verifyJournal(hub.pool, 'hub_journal')).breaks, []);
    await stillServing();
  });

  it('a system long-polling again and again on one connection leaves nothing behind on it', async () => {
    const sockets: TLSSocket[] = [];
    const seen = (socket: TLSSocket) => sockets.push(socket);
    hub.app.server.on('secureConnection', seen);
    const poll = async () => assert.equal((await asA('GET', `${hub.url}/deliveries?after=1000000&wait=1`)).status, 200);
    try {
      await poll();
      assert.equal(sockets.length, 1, 'the polls share one keep-alive connection');
      const afterOne = sockets[0]!.listenerCount('close');
      await poll();
      await poll();
      assert.equal(sockets.length, 1);
      assert.equal(sockets[0]!.listenerCount('close'), afterOne);
    } finally {
      hub.app.server.off('secureConnection', seen);
    }
  });

  it('stops at once though connected systems keep connections open and wait on a long poll', async () => {
    const { hub: stopping } = await h.hub('stopping', '000.00.00.G98');
    await registerSystem(stopping.pool, { id: 'office-a', name: 'A', certSha256: HubHarness.fingerprint(officeA) });
    // The first call leaves a keep-alive connection behind; the second waits for deliveries.
    assert.equal((await asA('GET', `${stopping.url}/directory`)).status, 200);
    const polling = asA('GET', `${stopping.url}/deliveries?wait=60`).catch((error: unknown) => error);
    await until('the long poll is held', async () => ((await openConnections(stopping)) === 2 ? true : undefined));
    await stopping.stop();
    assert.equal(await openConnections(stopping), 0);
    assert.ok((await polling) instanceof Error, 'the long poll is cut, not answered as if nothing were owed');
  });
});

function openConnections(hub: RunningHub): Promise<number> {
  return new Promise((resolve, reject) => hub.app.server.getConnections((error, n) => (error ? reject(error) : resolve(n))));
}
