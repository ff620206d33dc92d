/**
 * Signature verifications per second, side by side with Debian's tools on the same files:
 * a signed 1 MB edXML package (ours vs `xmlsec1 --verify`) and a 1 MB PDF with two PAdES B-T
 * signatures (ours vs `pdfsig`), plus `openssl speed rsa2048` verify/s as the ceiling.
 * Usage: npx tsx bench/pki.ts [--seconds 10]
 * Ours is measured twice: in process as the hub runs it (revocation answers cached, as they are
 * between a CA's updates) and as `vanban verify --offline`, one process per file like the others.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { buildPackageBytes, type EdxmlPackage } from '../packages/edxml/src/index.js';
import { CertificateAuthority, CertificateVerifier, RevocationChecker, signEdxml, signPdf, verifyFile } from '../packages/pki/src/index.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' } } });
const seconds = Number(values.seconds);
const root = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'vanban-bench-pki-'));

async function rate(work: () => unknown): Promise<{ perSecond: number; ms: number }> {
  await work();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    await work();
    n++;
  }
  const ms = (performance.now() - start) / n;
  return { perSecond: 1000 / ms, ms };
}

const ca = await CertificateAuthority.create(join(dir, 'ca'), { name: 'vanban Bench', baseUrl: 'http://127.0.0.1:9' });
await ca.issue({ name: 'an', profile: 'signer', subject: { commonName: 'Nguyễn Văn An', organization: 'Sở Tài chính' } });
await ca.issue({ name: 'agency', profile: 'agency', subject: { commonName: 'Sở Tài chính', agencyCode: '000.00.04.H99' } });
const tsa = (request: Uint8Array) => ca.answerTimestamp(request);

// A 1 MB package: header and one attachment of random bytes.
const attachment = randomBytes(740 * 1024);
const model: EdxmlPackage = {
  from: { agencyCode: '000.00.04.H99', name: 'Sở Tài chính' },
  to: [{ agencyCode: '000.00.00.H99', name: 'Ủy ban nhân dân tỉnh Bình An' }],
  documentId: '000.00.04.H99,2026/11/25,12/STC-VP',
  number: '12',
  notation: 'STC-VP',
  issueDate: '2026-11-25',
  documentTypeName: 'Công văn',
  subject: 'Về việc đo hiệu năng kiểm tra chữ ký',
  urgency: 'normal',
  responseFor: [],
  traces: [{ agencyCode: '000.00.04.H99', at: '2026-11-25T09:00:00' }],
  signature: { kind: 'none' },
  manifest: [{ contentId: 'a1', contentType: 'application/pdf', name: 'van-ban.pdf' }],
  attachments: [
    { contentId: 'a1', size: attachment.length, sha256: createHash('sha256').update(attachment).digest('hex'), sniffed: 'other' },
  ],
};
const xml = await signEdxml(
  (await buildPackageBytes(model, new Map([['a1', attachment]]), 'none')).toString('utf8'),
  await ca.signingKey('agency'),
);
const xmlFile = join(dir, 'package.xml');
writeFileSync(xmlFile, xml);

// A 1 MB PDF: text pages and an attached appendix of random bytes, then the signer's and the agency's signatures.
const doc = await PDFDocument.create();
const font = await doc.embedFont(StandardFonts.Helvetica);
for (let i = 0; i < 20; i++) doc.addPage().drawText(`Trang ${i + 1}`, { x: 50, y: 700, font });
await doc.attach(randomBytes(900 * 1024), 'phu-luc.bin', { mimeType: 'application/octet-stream' });
const unsigned = await doc.save();
const pdf = await signPdf(await signPdf(unsigned, { key: await ca.signingKey('an'), role: 'signer', timestamp: tsa }), {
  key: await ca.signingKey('agency'),
  role: 'agency',
  timestamp: tsa,
});
const pdfFile = join(dir, 'signed.pdf');
writeFileSync(pdfFile, pdf);

const verifier = new CertificateVerifier(ca.trustList(), new RevocationChecker(ca.fetcher()));
for (const [bytes, name] of [
  [Buffer.from(xml), 'xml'],
  [pdf, 'pdf'],
] as const) {
  const result = await verifyFile(bytes, verifier);
  if (result.verdict !== 'valid') throw new Error(`${name}: ${JSON.stringify(result)}`);
}

const nss = join(dir, 'nss');
mkdirSync(nss);
execFileSync('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']);
execFileSync('certutil', ['-A', '-d', `sql:${nss}`, '-n', 'root', '-t', 'CT,C,C', '-i', join(dir, 'ca', 'root.crt.pem')]);
const run = (command: string, args: string[], expect: RegExp) => () => {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (!expect.test(r.stdout + r.stderr)) throw new Error(`${command}: ${r.stdout}${r.stderr}`);
};
const vanban = (file: string) =>
  run(
    process.execPath,
    ['--import', 'tsx', join(root, 'apps/cli/src/main.ts'), 'verify', file, '--ca', join(dir, 'ca'), '--offline', '--json'],
    /"kind"/,
  );

const results = {
  xml: {
    size: xml.length,
    oursInProcess: await rate(() => verifyFile(Buffer.from(xml), verifier)),
    oursProcess: await rate(vanban(xmlFile)),
    xmlsec1: await rate(
      run(
        'xmlsec1',
        ['--verify', '--trusted-pem', join(dir, 'ca/root.crt.pem'), '--untrusted-pem', join(dir, 'ca/issuing.crt.pem'), xmlFile],
        /OK/,
      ),
    ),
  },
  pdf: {
    size: pdf.length,
    oursInProcess: await rate(() => verifyFile(pdf, verifier)),
    oursProcess: await rate(vanban(pdfFile)),
    pdfsig: await rate(run('pdfsig', ['-nssdir', `sql:${nss}`, '-no-ocsp', pdfFile], /Signature is Valid[\s\S]*Signature is Valid/)),
  },
};
const speed = execFileSync('openssl', ['speed', '-seconds', '3', 'rsa2048'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
const rsa = /rsa\s+2048 bits\s+[\d.]+s\s+[\d.]+s\s+([\d.]+)\s+([\d.]+)/.exec(speed);
console.log(
  JSON.stringify(
    {
      cpu: cpus()[0]?.model,
      cores: cpus().length,
      node: process.version,
      results,
      opensslRsa2048: rsa ? { signPerSecond: Number(rsa[1]), verifyPerSecond: Number(rsa[2]) } : speed,
    },
    null,
    2,
  ),
);
rmSync(dir, { recursive: true, force: true });
