import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import * as asn1js from 'asn1js';
import { agencyCodeOf, issueCertificate, privateKeyPem, type KeyAndCertificate } from '../src/index.js';
import { positiveInteger } from '../src/x509.js';

const DAY = 86_400_000;
const now = Date.now();
const years = (n: number) => new Date(now + n * 365 * DAY);

describe('certificate authority', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vanban-pki-'));
  const file = (name: string, issued: KeyAndCertificate) => {
    const path = join(dir, name);
    writeFileSync(path, issued.certificate.toString('pem'));
    return path;
  };
  const openssl = (...args: string[]) => spawnSync('openssl', args, { encoding: 'utf8' });
  let root: KeyAndCertificate;
  let intermediate: KeyAndCertificate;

  before(async () => {
    root = await issueCertificate({
      profile: 'root-ca',
      subject: { commonName: 'vanban Demo Root CA', organization: 'vanban' },
      notBefore: years(-1),
      notAfter: years(20),
    });
    intermediate = await issueCertificate({
      profile: 'intermediate-ca',
      subject: { commonName: 'vanban Demo Signing CA', organization: 'vanban' },
      issuer: root,
      notBefore: years(-1),
      notAfter: years(10),
      crlUrl: 'http://127.0.0.1:9/crl/root.crl',
    });
    file('root.pem', root);
    file('intermediate.pem', intermediate);
  });

  it('issues signer certificates that openssl verifies to the root for document signing', async () => {
    const signer = await issueCertificate({
      profile: 'signer',
      subject: { commonName: 'Nguyễn Văn An', organization: 'Ủy ban nhân dân tỉnh Bình An', email: 'an@binhan.gov.vn' },
      issuer: intermediate,
      notBefore: years(-1),
      notAfter: years(2),
      crlUrl: 'http://127.0.0.1:9/crl/signing.crl',
      ocspUrl: 'http://127.0.0.1:9/ocsp',
    });
    const r = openssl(
      'verify',
      '-CAfile',
      join(dir, 'root.pem'),
      '-untrusted',
      join(dir, 'intermediate.pem'),
      '-purpose',
      'smimesign',
      file('signer.pem', signer),
    );
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const text = openssl('x509', '-in', join(dir, 'signer.pem'), '-noout', '-text', '-nameopt', 'utf8').stdout;
    assert.match(text, /CN ?= ?Nguyễn Văn An/);
    assert.match(text, /Digital Signature, Non Repudiation/);
    assert.match(text, /OCSP - URI:http:\/\/127.0.0.1:9\/ocsp/);
  });

  it('puts the agency code in agency certificates and reads it back', async () => {
    const agency = await issueCertificate({
      profile: 'agency',
      subject: { commonName: 'Ủy ban nhân dân tỉnh Bình An', agencyCode: '000.00.00.H99', locality: 'Bình An' },
      issuer: intermediate,
      notBefore: years(-1),
      notAfter: years(3),
    });
    assert.equal(agencyCodeOf(agency.certificate), '000.00.00.H99');
    const r = openssl('verify', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'intermediate.pem'), file('agency.pem', agency));
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it('issues TLS server and client certificates for the right purposes only, servers named by DNS name or IP address', async () => {
    const server = await issueCertificate({
      profile: 'tls-server',
      subject: { commonName: 'hub.binhan.gov.vn' },
      dnsNames: ['hub.binhan.gov.vn', 'localhost'],
      ipAddresses: ['127.0.0.1'],
      issuer: intermediate,
      notBefore: years(-1),
      notAfter: years(1),
    });
    const client = await issueCertificate({
      profile: 'tls-client',
      subject: { commonName: 'office.binhan.gov.vn' },
      issuer: intermediate,
      notBefore: years(-1),
      notAfter: years(1),
    });
    const verify = (purpose: string, path: string) =>
      openssl('verify', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'intermediate.pem'), '-purpose', purpose, path).status;
    assert.equal(verify('sslserver', file('server.pem', server)), 0);
    assert.equal(verify('sslclient', file('client.pem', client)), 0);
    assert.notEqual(verify('sslserver', join(dir, 'client.pem')), 0);
    const named = (flag: string, name: string) =>
      openssl('verify', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'intermediate.pem'), flag, name, join(dir, 'server.pem'))
        .status;
    assert.equal(named('-verify_ip', '127.0.0.1'), 0);
    assert.equal(named('-verify_hostname', 'localhost'), 0);
    assert.notEqual(named('-verify_ip', '10.0.0.1'), 0);
  });

  it('an expired certificate fails verification', async () => {
    const old = await issueCertificate({
      profile: 'signer',
      subject: { commonName: 'Hết hạn' },
      issuer: intermediate,
      notBefore: years(-3),
      notAfter: years(-1),
    });
    const r = openssl('verify', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'intermediate.pem'), file('old.pem', old));
    assert.notEqual(r.status, 0);
    assert.match(r.stdout + r.stderr, /expired/);
  });

  it('exports the private key as PKCS#8 that matches the certificate', async () => {
    const signer = await issueCertificate({
      profile: 'signer',
      subject: { commonName: 'Khóa' },
      issuer: intermediate,
      notBefore: years(-1),
      notAfter: years(1),
    });
    writeFileSync(join(dir, 'key.pem'), await privateKeyPem(signer.keys));
    const fromKey = openssl('pkey', '-in', join(dir, 'key.pem'), '-pubout').stdout;
    const fromCert = openssl('x509', '-in', file('k.pem', signer), '-noout', '-pubkey').stdout;
    assert.equal(fromKey, fromCert);
  });
});

describe('serial numbers and nonces', () => {
  it('are positive DER integers without a leading zero, whatever the random bytes were', () => {
    // 00 05: a leading zero before a byte below 0x80 is "illegal padding" to openssl (a flaky timestamp test found it).
    for (const raw of [
      [0x00, 0x05, 0xff],
      [0x80, 0x05],
      [0xff, 0xff],
      [0x00, 0x00],
    ]) {
      const content = positiveInteger(Buffer.from(raw));
      assert.ok(content[0]! >= 0x01 && content[0]! <= 0x7f, `${Buffer.from(raw).toString('hex')} → ${content.toString('hex')}`);
      assert.equal(content.length, raw.length);
      const der = Buffer.from(new asn1js.Integer({ valueHex: content }).toBER());
      const parsed = spawnSync('openssl', ['asn1parse', '-inform', 'DER'], { input: der, encoding: 'utf8' });
      assert.equal(parsed.status, 0, parsed.stderr);
      assert.match(parsed.stdout, /INTEGER\s+:[0-9A-F]+/, parsed.stdout);
    }
  });
});
