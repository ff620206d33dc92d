import { strict as assert } from 'node:assert';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from '@vanban/db';
import { buildPackageBytes } from '@vanban/edxml';
import { SAMPLE_FILES, digest, samplePackage } from '@vanban/edxml/testing';
import { CertificateAuthority, buildCaServer, signEdxml, signPdf } from '@vanban/pki';
import type { FastifyInstance } from 'fastify';
import { PDFDocument } from 'pdf-lib';
import { servicePort } from '../src/demo-ca.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** Asynchronous: the CLI asks the CA service this test process runs. */
function vanban(...args: string[]) {
  return new Promise<{ code: number; out: string; err: string }>((resolve) =>
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'apps', 'cli', 'src', 'main.ts'), ...args],
      { cwd: ROOT, encoding: 'utf8' },
      (error, out, err) => resolve({ code: error ? Number(error.code) : 0, out, err }),
    ),
  );
}

async function blankPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage();
  return doc.save();
}

describe('vanban ca and vanban verify', () => {
  const work = mkdtempSync(join(tmpdir(), 'vanban-verify-'));
  const dir = join(work, 'ca');
  let server: FastifyInstance;
  let ca: CertificateAuthority;
  const file = (name: string, bytes: Uint8Array | string) => {
    writeFileSync(join(work, name), bytes);
    return join(work, name);
  };

  before(async () => {
    const port = await freePort();
    const init = await vanban('ca', 'init', '--dir', dir, '--name', 'vanban CLI Test', '--url', `http://127.0.0.1:${port}`);
    assert.equal(init.code, 0, init.err);
    const issue = await vanban(
      'ca',
      'issue',
      '--dir',
      dir,
      '--profile',
      'signer',
      '--name',
      'an',
      '--cn',
      'Nguyễn Văn An',
      '--org',
      'Sở Tài chính',
    );
    assert.equal(issue.code, 0, issue.err);
    assert.match(issue.out, /an\.crt\.pem/);
    const agency = await vanban(
      'ca',
      'issue',
      '--dir',
      dir,
      '--profile',
      'agency',
      '--name',
      '000.00.00.H99',
      '--cn',
      'Văn phòng UBND tỉnh',
      '--agency-code',
      '000.00.00.H99',
    );
    assert.equal(agency.code, 0, agency.err);
    ca = await CertificateAuthority.open(dir);
    server = await buildCaServer(ca);
    await server.listen({ port, host: '127.0.0.1' });
  });
  after(() => server.close());

  it('verify --json: a PDF signed with a timestamp is valid, exit 0', async () => {
    const pdf = file(
      'signed.pdf',
      await signPdf(await blankPdf(), { key: await ca.signingKey('an'), role: 'signer', timestamp: (r) => ca.answerTimestamp(r) }),
    );
    const r = await vanban('verify', pdf, '--ca', dir, '--json');
    assert.equal(r.code, 0, r.out + r.err);
    const report = JSON.parse(r.out) as {
      kind: string;
      verdict: string;
      signatures: { verdict: string; signer: { subject: string }; timestamp: unknown }[];
    };
    assert.equal(report.kind, 'pdf');
    assert.equal(report.signatures.length, 1);
    assert.match(report.signatures[0]!.signer.subject, /Nguyễn Văn An/);
    assert.ok(report.signatures[0]!.timestamp);
  });

  it('verify: a signed edXML package is valid and shows the agency code', async () => {
    const xml = (await buildPackageBytes(samplePackage(), SAMPLE_FILES, 'none')).toString('utf8');
    const r = await vanban('verify', file('signed.xml', await signEdxml(xml, await ca.signingKey('000.00.00.H99'))), '--ca', dir);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /HỢP LỆ \/ VALID/);
    assert.match(r.out, /000\.00\.00\.H99/);
  });

  it('verify: a package signed only inside its PDF is judged by the PDF, and lists its attachments', async () => {
    const pdf = await signPdf(await blankPdf(), { key: await ca.signingKey('000.00.00.H99'), role: 'agency' });
    const base = samplePackage();
    const xml = await buildPackageBytes(
      {
        ...base,
        signature: { kind: 'placeholder', xml: '<Signature><SignatureValue></SignatureValue></Signature>' },
        manifest: [base.manifest[0]!],
        attachments: [digest('cv125.pdf', pdf)],
      },
      new Map([['cv125.pdf', pdf]]),
      'none',
    );
    const r = await vanban('verify', file('pdf-signed.xml', xml), '--ca', dir);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /Tệp đính kèm \/ attachment cv125\.pdf: HỢP LỆ \/ VALID/);
    assert.match(r.out, /Văn phòng UBND tỉnh/);
  });

  it('verify: a tampered package is invalid with the reason in both languages, exit 1', async () => {
    const xml = (await buildPackageBytes(samplePackage(), SAMPLE_FILES, 'none')).toString('utf8');
    const signed = await signEdxml(xml, await ca.signingKey('000.00.00.H99'));
    const r = await vanban('verify', file('tampered.xml', signed.replace('Sở Y tế', 'Sở Y tê')), '--ca', dir);
    assert.equal(r.code, 1);
    assert.match(r.out, /KHÔNG HỢP LỆ \/ INVALID/);
    assert.match(r.out, /Nội dung đã bị thay đổi sau khi ký/);
    assert.match(r.out, /The content was changed after signing/);
  });

  it('ca revoke, then verify says revoked; --offline leaves it indeterminate', async () => {
    const pdf = file('bb.pdf', await signPdf(await blankPdf(), { key: await ca.signingKey('an'), role: 'signer' }));
    const offline = await vanban('verify', pdf, '--ca', dir, '--offline');
    assert.equal(offline.code, 1);
    assert.match(offline.out, /CHƯA XÁC ĐỊNH \/ INDETERMINATE/);
    const revoke = await vanban('ca', 'revoke', 'an', '--dir', dir, '--reason', 'keyCompromise');
    assert.equal(revoke.code, 0, revoke.err);
    const r = await vanban('verify', pdf, '--ca', dir, '--json');
    assert.equal(r.code, 1);
    assert.match(r.out, /"code": "revoked"/);
    const list = await vanban('ca', 'list', '--dir', dir);
    assert.match(list.out, /REVOKED/);
  });

  it('an unsigned PDF is not valid (exit 1); a file that is neither PDF nor XML is unreadable (exit 2)', async () => {
    const unsigned = await vanban('verify', file('unsigned.pdf', await blankPdf()), '--ca', dir);
    assert.equal(unsigned.code, 1);
    assert.match(unsigned.out, /Tệp không có chữ ký số/);
    const junk = await vanban('verify', file('junk.bin', 'hello'), '--ca', dir);
    assert.equal(junk.code, 2);
    assert.match(junk.err, /neither a PDF nor an XML/);
  });

  it('ca serve listens on the port of the URL its certificates name', async () => {
    const port = await freePort();
    const servedDir = join(work, 'served');
    assert.equal((await vanban('ca', 'init', '--dir', servedDir, '--url', `http://127.0.0.1:${port}`)).code, 0);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'apps', 'cli', 'src', 'main.ts'), 'ca', 'serve', '--dir', servedDir],
      { cwd: ROOT },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('CA service') && resolve());
        child.once('exit', (code) => reject(new Error(`ca serve exited ${code}`)));
      });
      const crl = await fetch(`http://127.0.0.1:${port}/crl/root.crl`);
      assert.equal(crl.headers.get('content-type'), 'application/pkix-crl');
    } finally {
      child.kill('SIGINT');
    }
  });

  it('ca serve takes the default port of a URL without one, and --port over both', () => {
    assert.equal(servicePort('http://ca.binhan.gov.vn'), 80);
    assert.equal(servicePort('https://ca.binhan.gov.vn/'), 443);
    assert.equal(servicePort('http://127.0.0.1:3100'), 3100);
    assert.equal(servicePort('http://127.0.0.1:3100', '4000'), 4000);
  });
});
