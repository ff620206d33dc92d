import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import {
  CertificateAuthority,
  CertificateVerifier,
  RevocationChecker,
  buildCaServer,
  httpRevocationFetcher,
  issueCertificate,
  obtainTimestamp,
  verifyTimestamp,
  httpTimestampSource,
  type Issued,
} from '../src/index.js';
import { DAY, makeCa, signerSubject, freePort } from './ca-fixture.js';

const codes = (findings: { code: string }[]) => findings.map((f) => f.code).sort();

describe('certificate chain and revocation', () => {
  let ca: CertificateAuthority;
  let verifier: () => CertificateVerifier;
  let signer: Issued;

  before(async () => {
    ({ ca, verifier } = await makeCa());
    signer = await ca.issue({ name: 'an', profile: 'signer', subject: signerSubject() });
  });

  it('accepts a certificate of the CA that OCSP says is good', async () => {
    const report = await verifier().check(signer.certificate, { at: new Date(), purpose: 'document' });
    assert.deepEqual(report.findings, []);
    assert.equal(report.chain.length, 3);
    assert.equal(report.revocation?.status, 'good');
    assert.equal(report.revocation?.status === 'good' && report.revocation.source, 'ocsp');
  });

  it('falls back to the CRL when the OCSP responder cannot be reached', async () => {
    const fetcher = ca.fetcher();
    const checker = new RevocationChecker({ crl: fetcher.crl, ocsp: async () => Promise.reject(new Error('connection refused')) });
    const report = await new CertificateVerifier(ca.trustList(), checker).check(signer.certificate, {
      at: new Date(),
      purpose: 'document',
    });
    assert.deepEqual(report.findings, []);
    assert.equal(report.revocation?.status === 'good' && report.revocation.source, 'crl');
  });

  it('says revoked, by OCSP and by CRL, once the CA revokes; revoked after signing time only informs', async () => {
    const victim = await ca.issue({ name: 'binh', profile: 'signer', subject: signerSubject('Trần Thị Bình') });
    const signedAt = new Date(Date.now() - 60_000);
    await ca.revoke('binh', 'keyCompromise');
    const byOcsp = await verifier().check(victim.certificate, { at: new Date(), purpose: 'document' });
    assert.deepEqual(codes(byOcsp.findings), ['revoked']);
    assert.equal(byOcsp.revocation?.status === 'revoked' && byOcsp.revocation.reason, 'keyCompromise');
    const fetcher = ca.fetcher();
    const crlOnly = new RevocationChecker({ crl: fetcher.crl, ocsp: async () => Promise.reject(new Error('down')) });
    const byCrl = await new CertificateVerifier(ca.trustList(), crlOnly).check(victim.certificate, { at: new Date(), purpose: 'document' });
    assert.deepEqual(codes(byCrl.findings), ['revoked']);
    const earlier = await verifier().check(victim.certificate, { at: signedAt, purpose: 'document' });
    assert.deepEqual(codes(earlier.findings), ['revoked-later']);
  });

  it('asks the responder once for signatures checked together', async () => {
    const fresh = await ca.issue({ name: 'together', profile: 'signer', subject: signerSubject('Đỗ Văn Cùng') });
    const served = ca.fetcher();
    const counted = (asked: string[]) =>
      new CertificateVerifier(
        ca.trustList(),
        new RevocationChecker({
          ocsp: (url, request) => (asked.push(url), served.ocsp(url, request)),
          crl: (url) => (asked.push(url), served.crl(url)),
        }),
      );
    const alone: string[] = [];
    assert.deepEqual((await counted(alone).check(fresh.certificate, { at: new Date(), purpose: 'document' })).findings, []);
    const together: string[] = [];
    const verifier = counted(together);
    const reports = await Promise.all(
      Array.from({ length: 10 }, () => verifier.check(fresh.certificate, { at: new Date(), purpose: 'document' })),
    );
    assert.ok(reports.every((r) => r.findings.length === 0));
    assert.ok(alone.length > 0);
    assert.deepEqual(together, alone);
  });

  it('judges validity at signing time: expired and not yet valid', async () => {
    const { ca, verifier } = await makeCa({ now: new Date(Date.now() - 500 * DAY) });
    const old = await ca.issue({
      name: 'old',
      profile: 'signer',
      subject: signerSubject('Lê Văn Cũ'),
      notBefore: new Date(Date.now() - 400 * DAY),
      notAfter: new Date(Date.now() - 30 * DAY),
    });
    assert.deepEqual(codes((await verifier().check(old.certificate, { at: new Date(), purpose: 'document' })).findings), ['expired']);
    const then = new Date(Date.now() - 100 * DAY);
    assert.deepEqual((await verifier().check(old.certificate, { at: then, purpose: 'document' })).findings, []);
    const future = await ca.issue({
      name: 'future',
      profile: 'signer',
      subject: signerSubject('Phạm Văn Mới'),
      notBefore: new Date(Date.now() + 30 * DAY),
      notAfter: new Date(Date.now() + 400 * DAY),
    });
    assert.deepEqual(codes((await verifier().check(future.certificate, { at: new Date(), purpose: 'document' })).findings), [
      'not-yet-valid',
    ]);
  });

  it('refuses a certificate from another CA, and one meant for TLS', async () => {
    const { ca: other } = await makeCa({ baseUrl: 'http://other.test', name: 'Other' });
    const stranger = await other.issue({ name: 'x', profile: 'signer', subject: signerSubject() });
    assert.deepEqual(codes((await verifier().check(stranger.certificate, { at: new Date(), purpose: 'document' })).findings), [
      'untrusted',
    ]);
    const selfSigned = await issueCertificate({
      profile: 'root-ca',
      subject: { commonName: 'vanban Test Signing CA', organization: 'vanban Test' },
      notBefore: new Date(Date.now() - DAY),
      notAfter: new Date(Date.now() + DAY),
    });
    const forged = await issueCertificate({
      profile: 'signer',
      subject: signerSubject(),
      issuer: selfSigned,
      notBefore: new Date(Date.now() - DAY),
      notAfter: new Date(Date.now() + DAY),
    });
    assert.deepEqual(codes((await verifier().check(forged.certificate, { at: new Date(), purpose: 'document' })).findings), [
      'chain-signature',
    ]);
    const server = await ca.issue({
      name: 'web',
      profile: 'tls-server',
      subject: { commonName: 'office.binhan.gov.vn' },
      dnsNames: ['office'],
    });
    assert.deepEqual(codes((await verifier().check(server.certificate, { at: new Date(), purpose: 'document' })).findings), ['key-usage']);
  });

  it('stays indeterminate when no revocation source answers', async () => {
    const down = new RevocationChecker({
      crl: async () => Promise.reject(new Error('down')),
      ocsp: async () => Promise.reject(new Error('down')),
    });
    const report = await new CertificateVerifier(ca.trustList(), down).check(signer.certificate, { at: new Date(), purpose: 'document' });
    assert.deepEqual(codes(report.findings), ['revocation-unknown', 'revocation-unknown'], 'the signer and the issuing CA');
    assert.match(report.findings[0]!.detail!, /Nguyễn Văn An: .*down/);
  });

  it('re-reads revocations another process wrote', async () => {
    const fresh = await ca.issue({ name: 'cuong', profile: 'signer', subject: signerSubject('Đỗ Văn Cường') });
    const elsewhere = await CertificateAuthority.open(ca.dir);
    await elsewhere.revoke(fresh.certificate.serialNumber, 'superseded');
    const report = await verifier().check(fresh.certificate, { at: new Date(), purpose: 'document' });
    assert.deepEqual(codes(report.findings), ['revoked']);
  });

  it('keeps every certificate issued in parallel on its books, and says good for each', async () => {
    const names = Array.from({ length: 8 }, (_, i) => `parallel-${i}`);
    const issued = await Promise.all(names.map((name) => ca.issue({ name, profile: 'signer', subject: signerSubject(name) })));
    const reopened = await CertificateAuthority.open(ca.dir);
    const listed = new Set((await reopened.list()).map((e) => e.name));
    assert.deepEqual(
      names.filter((n) => !listed.has(n)),
      [],
    );
    for (const one of issued) {
      const report = await verifier().check(one.certificate, { at: new Date(), purpose: 'document' });
      assert.deepEqual(codes(report.findings), []);
    }
  });
});

describe('CA over HTTP, checked by openssl', () => {
  let ca: CertificateAuthority;
  let dir: string;
  let server: FastifyInstance;
  let base: string;
  let signer: Issued;
  // Asynchronous: openssl calls back into the server this process runs.
  const openssl = (...args: string[]) =>
    new Promise<{ stdout: string; stderr: string }>((resolve) =>
      execFile('openssl', args, { encoding: 'utf8' }, (_error, stdout, stderr) => resolve({ stdout, stderr })),
    );

  before(async () => {
    // The base URL must be known before the certificates are issued: take a free port first.
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    ({ ca, dir } = await makeCa({ baseUrl: base }));
    server = await buildCaServer(ca);
    await server.listen({ port, host: '127.0.0.1' });
    signer = await ca.issue({ name: 'an', profile: 'signer', subject: signerSubject() });
    writeFileSync(join(dir, 'chain.pem'), ca.issuing.certificate.toString('pem'));
  });
  after(() => server.close());

  it('openssl ocsp gets good, then revoked, from our responder', async () => {
    const ask = () =>
      openssl(
        'ocsp',
        '-issuer',
        join(dir, 'issuing.crt.pem'),
        '-cert',
        signer.certificateFile,
        '-url',
        `${base}/ocsp`,
        '-CAfile',
        join(dir, 'root.crt.pem'),
      );
    const good = await ask();
    assert.match(good.stdout, /: good/, good.stderr);
    assert.match(good.stderr + good.stdout, /Response verify OK/);
    await ca.revoke('an', 'keyCompromise');
    const revoked = await ask();
    assert.match(revoked.stdout, /: revoked/, revoked.stderr);
    assert.match(revoked.stdout, /Reason: keyCompromise/);
  });

  it('serves CRLs in DER that openssl verifies against the issuing CA', async () => {
    const response = await fetch(`${base}/crl/issuing.crl`);
    assert.equal(response.headers.get('content-type'), 'application/pkix-crl');
    writeFileSync(join(dir, 'issuing.crl'), Buffer.from(await response.arrayBuffer()));
    const r = await openssl(
      'crl',
      '-inform',
      'DER',
      '-in',
      join(dir, 'issuing.crl'),
      '-CAfile',
      join(dir, 'issuing.crt.pem'),
      '-noout',
      '-text',
    );
    assert.match(r.stderr + r.stdout, /verify OK/);
    assert.match(r.stdout, /X509v3 CRL Number/);
  });

  it('our verifier reaches the CA over HTTP', async () => {
    const fresh = await ca.issue({ name: 'dung', profile: 'signer', subject: signerSubject('Vũ Thị Dung') });
    const verifier = new CertificateVerifier(ca.trustList(), new RevocationChecker(httpRevocationFetcher()));
    const report = await verifier.check(fresh.certificate, { at: new Date(), purpose: 'document' });
    assert.deepEqual(report.findings, []);
  });

  it('keeps no connection to the CA open once it has its answer', async () => {
    const open = () => new Promise<number>((resolve, reject) => server.server.getConnections((e, n) => (e ? reject(e) : resolve(n))));
    const allClosed = async () => {
      for (let i = 0; i < 50 && (await open()) > 0; i++) await new Promise((r) => setTimeout(r, 50));
      return open();
    };
    // Other tests here fetch from the server with keep-alive: their idle connections go first.
    server.server.closeIdleConnections();
    assert.equal(await allClosed(), 0);
    const fresh = await ca.issue({ name: 'khai', profile: 'signer', subject: signerSubject('Mai Văn Khải') });
    const verifier = new CertificateVerifier(ca.trustList(), new RevocationChecker(httpRevocationFetcher()));
    assert.deepEqual((await verifier.check(fresh.certificate, { at: new Date(), purpose: 'document' })).findings, []);
    // The server would keep an idle keep-alive connection for over a minute.
    assert.equal(await allClosed(), 0);
  });

  it('timestamps that openssl ts verifies and we verify', async () => {
    const data = Buffer.from('chữ ký số của văn bản');
    const token = await obtainTimestamp(httpTimestampSource(`${base}/tsa`), data);
    writeFileSync(join(dir, 'data.bin'), data);
    writeFileSync(join(dir, 'token.der'), token);
    const r = await openssl(
      'ts',
      '-verify',
      '-data',
      join(dir, 'data.bin'),
      '-in',
      join(dir, 'token.der'),
      '-token_in',
      '-CAfile',
      join(dir, 'root.crt.pem'),
      '-untrusted',
      join(dir, 'tsa.crt.pem'),
    );
    assert.match(r.stdout + r.stderr, /Verification: OK/, r.stderr);
    const verifier = new CertificateVerifier(ca.trustList(), new RevocationChecker(ca.fetcher()));
    const report = await verifyTimestamp(token, data, verifier);
    assert.deepEqual([...report.findings, ...report.authority.findings], []);
    assert.ok(Math.abs(report.time.getTime() - Date.now()) < 60_000);
    const other = await verifyTimestamp(token, Buffer.from('other'), verifier);
    assert.deepEqual(codes(other.findings), ['timestamp-invalid']);
  });

  it('answers garbage with an OCSP error and a timestamp rejection, not a crash', async () => {
    const ocsp = await fetch(`${base}/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: 'garbage' });
    assert.equal(ocsp.status, 200);
    assert.deepEqual([...new Uint8Array(await ocsp.arrayBuffer())], [0x30, 0x03, 0x0a, 0x01, 0x01]);
    const tsa = await fetch(`${base}/tsa`, { method: 'POST', headers: { 'content-type': 'application/timestamp-query' }, body: 'garbage' });
    assert.equal(tsa.status, 200);
    await assert.rejects(
      obtainTimestamp(async () => ca.answerTimestamp(new Uint8Array([1, 2, 3])), Buffer.from('x')),
      /refused: malformed request/,
    );
  });
});
