import { strict as assert } from 'node:assert';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { PDFArray, PDFDocument, PDFName, PDFRawStream, PDFRef } from 'pdf-lib';
import {
  CertificateAuthority,
  CertificateVerifier,
  RevocationChecker,
  addTextAnnotations,
  appendIncrement,
  checkSealImage,
  SealImageError,
  buildCaServer,
  httpRevocationFetcher,
  preparePdf,
  signPdf,
  verifyPdfSignatures,
  type SigningKey,
} from '../src/index.js';
import { DAY, makeCa, signerSubject, freePort } from './ca-fixture.js';
import { letter } from './pdf-fixture.js';
import { sealPng } from './seal-fixture.js';

const codes = (findings: { code: string }[]) => findings.map((f) => f.code).sort();
const run = (command: string, args: string[]) =>
  new Promise<{ code: number; out: string }>((resolve) =>
    execFile(command, args, { encoding: 'utf8' }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout + stderr }),
    ),
  );

describe('PAdES signatures of PDFs', () => {
  let ca: CertificateAuthority;
  let dir: string;
  let server: FastifyInstance;
  let verifier: () => CertificateVerifier;
  let signer: SigningKey;
  let agency: SigningKey;
  let nss: string;
  const tsa = (request: Uint8Array) => ca.answerTimestamp(request);
  const file = (name: string, bytes: Uint8Array) => {
    writeFileSync(join(dir, name), bytes);
    return join(dir, name);
  };

  before(async () => {
    // pdfsig (NSS) checks revocation online: serve the CA for real.
    const port = await freePort();
    ({ ca, dir } = await makeCa({ baseUrl: `http://127.0.0.1:${port}` }));
    server = await buildCaServer(ca);
    await server.listen({ port, host: '127.0.0.1' });
    verifier = () => new CertificateVerifier(ca.trustList(), new RevocationChecker(httpRevocationFetcher()));
    await ca.issue({ name: 'an', profile: 'signer', subject: signerSubject() });
    await ca.issue({
      name: '000.00.00.H99',
      profile: 'agency',
      subject: { commonName: 'Ủy ban nhân dân tỉnh Bình An', organization: 'Ủy ban nhân dân tỉnh Bình An', agencyCode: '000.00.00.H99' },
    });
    signer = await ca.signingKey('an');
    agency = await ca.signingKey('000.00.00.H99');
    nss = join(dir, 'nss');
    mkdirSync(nss);
    execFileSync('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']);
    execFileSync('certutil', ['-A', '-d', `sql:${nss}`, '-n', 'vanban-test-root', '-t', 'CT,C,C', '-i', join(ca.dir, 'root.crt.pem')]);
  });
  after(() => server.close());

  for (const objectStreams of [true, false]) {
    const seal = objectStreams ? 'drawn ring' : 'seal image';
    it(`signer then agency, both B-T, both valid with us and with pdfsig (${objectStreams ? 'cross-reference streams' : 'classic table'}, ${seal})`, async () => {
      const once = await signPdf(await letter(objectStreams), { key: signer, role: 'signer', timestamp: tsa });
      const twice = await signPdf(once, {
        key: agency,
        role: 'agency',
        timestamp: tsa,
        ...(objectStreams ? {} : { sealImage: sealPng() }),
      });
      const added = Buffer.from(twice.subarray(once.length)).toString('latin1');
      assert.equal(/\/Subtype\s*\/Image/.test(added), !objectStreams, 'the seal image is embedded in the agency signature only when given');
      const reports = await verifyPdfSignatures(twice, verifier());
      assert.equal(reports.length, 2);
      const [first, second] = reports;
      assert.equal(first!.verdict, 'valid', JSON.stringify(first!.findings));
      assert.deepEqual(codes(first!.findings), ['later-changes']);
      assert.equal(first!.coversWholeFile, false);
      assert.equal(first!.signer?.subject.includes('Nguyễn Văn An'), true);
      assert.ok(first!.timestamp, 'B-T');
      assert.equal(second!.verdict, 'valid', JSON.stringify(second!.findings));
      assert.equal(second!.coversWholeFile, true);
      assert.equal(second!.signer?.agencyCode, '000.00.00.H99');
      const pdfsig = await run('pdfsig', ['-nssdir', `sql:${nss}`, file(`two-${objectStreams}.pdf`, twice)]);
      assert.equal(pdfsig.out.match(/Signature Validation: Signature is Valid\./g)?.length, 2, pdfsig.out);
      assert.equal(pdfsig.out.match(/Certificate Validation: Certificate is Trusted\./g)?.length, 2, pdfsig.out);
      const info = await run('pdfinfo', [file(`two-info-${objectStreams}.pdf`, twice)]);
      assert.doesNotMatch(info.out, /Error/, 'the incremental updates leave a well-formed PDF');
    });
  }

  it('one changed byte in the signed content makes the signature invalid, for us and pdfsig', async () => {
    const signed = Buffer.from(await signPdf(await letter(false), { key: signer, role: 'signer' }));
    const at = signed.indexOf('/MediaBox [ 0 0 595.28');
    assert.ok(at > 0);
    signed[at + '/MediaBox [ 0 0 59'.length] = '6'.charCodeAt(0);
    const [report] = await verifyPdfSignatures(signed, verifier());
    assert.equal(report!.verdict, 'invalid');
    assert.ok(codes(report!.findings).includes('integrity'));
    const pdfsig = await run('pdfsig', ['-nssdir', `sql:${nss}`, file('tampered.pdf', signed)]);
    assert.doesNotMatch(pdfsig.out, /Signature is Valid/);
  });

  it('an update that changes the page after signing is reported, one that only signs is not', async () => {
    const signed = await signPdf(await letter(false), { key: signer, role: 'signer' });
    const doc = await PDFDocument.load(signed, { updateMetadata: false });
    const page = doc.getPages()[0]!;
    const contents = page.node.get(PDFName.of('Contents'));
    const contentsRef = contents instanceof PDFArray ? contents.get(0) : contents;
    assert.ok(contentsRef instanceof PDFRef);
    const forged = PDFRawStream.of(doc.context.obj({}), Buffer.from('BT /F1 14 Tf 50 700 Td (Cong van so 999/UBND-VP) Tj ET'));
    doc.context.assign(contentsRef, forged);
    const altered = appendIncrement(signed, doc, [contentsRef]);
    const [report] = await verifyPdfSignatures(altered, verifier());
    assert.equal(report!.verdict, 'invalid');
    assert.deepEqual(codes(report!.findings), ['content-changed-later']);
  });

  for (const objectStreams of [true, false]) {
    it(`the clerk's number written between the two signatures is shown, not hidden, and both stay valid (${objectStreams ? 'streams' : 'table'})`, async () => {
      const signed = await signPdf(await letter(objectStreams), { key: signer, role: 'signer' });
      const numbered = await addTextAnnotations(signed, [
        { page: 1, x: 100, y: 760, text: '12/UBND-VP', size: 12 },
        { page: 1, x: 400, y: 760, text: 'ngày 30 tháng 11 năm 2026', size: 12 },
      ]);
      assert.ok(Buffer.from(numbered.subarray(0, signed.length)).equals(Buffer.from(signed)), 'nothing signed is rewritten');
      const issued = await signPdf(numbered, { key: agency, role: 'agency' });
      const [first, second] = await verifyPdfSignatures(issued, verifier());
      assert.equal(first!.verdict, 'valid', JSON.stringify(first!.findings));
      assert.deepEqual(codes(first!.findings), ['later-text']);
      assert.match(first!.findings[0]!.detail ?? '', /“12\/UBND-VP”; “ngày 30 tháng 11 năm 2026”/);
      assert.equal(second!.verdict, 'valid', JSON.stringify(second!.findings));
      assert.deepEqual(codes(second!.findings), []);
      const text = await run('pdftotext', [file(`numbered-${objectStreams}.pdf`, issued), '-']);
      assert.match(text.out, /12\/UBND-VP/, 'the number is part of the page a reader prints');
      const pdfsig = await run('pdfsig', ['-nssdir', `sql:${nss}`, file(`numbered-sig-${objectStreams}.pdf`, issued)]);
      assert.equal(pdfsig.out.match(/Signature Validation: Signature is Valid\./g)?.length, 2, pdfsig.out);
    });
  }

  it('an annotation other than a line of text added after signing is a change of content', async () => {
    const signed = await signPdf(await letter(false), { key: signer, role: 'signer' });
    const doc = await PDFDocument.load(signed, { updateMetadata: false });
    const page = doc.getPages()[0]!;
    const square = doc.context.register(doc.context.obj({ Type: 'Annot', Subtype: 'Square', Rect: [0, 0, 595, 842], IC: [1, 1, 1] }));
    page.node.set(PDFName.of('Annots'), doc.context.obj([square]));
    const altered = appendIncrement(signed, doc, [page.ref, square]);
    const [report] = await verifyPdfSignatures(altered, verifier());
    assert.equal(report!.verdict, 'invalid');
    assert.deepEqual(codes(report!.findings), ['content-changed-later']);
  });

  it('verifies a PDF whose CMS was made by openssl cms (adbe.pkcs7.detached)', async () => {
    const prepared = await preparePdf(await letter(true), { key: signer, role: 'signer', subFilter: 'adbe.pkcs7.detached' });
    const content = file('to-sign.bin', Buffer.concat(prepared.signedBytes()));
    const out = join(dir, 'openssl.p7s');
    execFileSync('openssl', [
      'cms',
      '-sign',
      '-binary',
      '-md',
      'sha256',
      '-in',
      content,
      '-outform',
      'DER',
      '-out',
      out,
      '-signer',
      join(ca.dir, 'issued', 'an.crt.pem'),
      '-inkey',
      join(ca.dir, 'issued', 'an.key.pem'),
      '-certfile',
      join(ca.dir, 'issuing.crt.pem'),
    ]);
    const pdf = prepared.fill(readFileSync(out));
    const [report] = await verifyPdfSignatures(pdf, verifier());
    assert.equal(report!.verdict, 'valid', JSON.stringify(report!.findings));
    assert.equal(report!.subFilter, 'adbe.pkcs7.detached');
    assert.ok(report!.claimedTime, 'openssl puts a signing-time attribute');
    const pdfsig = await run('pdfsig', ['-nssdir', `sql:${nss}`, file('openssl.pdf', pdf)]);
    assert.match(pdfsig.out, /Signature is Valid/);
  });

  it('a timestamp keeps a signature valid after its certificate expires; without one it is judged now', async () => {
    const shortLived = await ca.issue({
      name: 'short',
      profile: 'signer',
      subject: signerSubject('Hoàng Văn Ngắn'),
      notAfter: new Date(Date.now() + 30 * DAY),
    });
    const key = await ca.signingKey('short');
    const later = new Date(shortLived.certificate.notAfter.getTime() + 10 * DAY);
    const bt = await signPdf(await letter(false), { key, role: 'signer', timestamp: tsa });
    const bb = await signPdf(await letter(false), { key, role: 'signer' });
    const [withTimestamp] = await verifyPdfSignatures(bt, verifier(), later);
    assert.equal(withTimestamp!.verdict, 'valid', JSON.stringify(withTimestamp!.findings));
    const [without] = await verifyPdfSignatures(bb, verifier(), later);
    assert.deepEqual(codes(without!.findings), ['expired']);
  });

  it('revocation after a timestamped signature leaves it valid; before, or without a timestamp, it does not', async () => {
    await ca.issue({ name: 'leaver', profile: 'signer', subject: signerSubject('Đinh Văn Đi') });
    const key = await ca.signingKey('leaver');
    const bt = await signPdf(await letter(false), { key, role: 'signer', timestamp: tsa });
    const bb = await signPdf(await letter(false), { key, role: 'signer' });
    await new Promise((resolve) => setTimeout(resolve, 1100)); // timestamps have whole seconds
    await ca.revoke('leaver', 'affiliationChanged');
    const [a] = await verifyPdfSignatures(bt, verifier());
    assert.equal(a!.verdict, 'valid');
    assert.deepEqual(codes(a!.findings), ['revoked-later']);
    const [b] = await verifyPdfSignatures(bb, verifier());
    assert.deepEqual(codes(b!.findings), ['revoked']);
  });

  it('a wrong key and an untrusted signer are named as such', async () => {
    const wrong: SigningKey = { certificate: agency.certificate, chain: agency.chain, signDigest: (d) => signer.signDigest(d) };
    const [w] = await verifyPdfSignatures(await signPdf(await letter(false), { key: wrong, role: 'signer' }), verifier());
    assert.deepEqual(codes(w!.findings), ['signature-value']);
    const { ca: other } = await makeCa({ name: 'Elsewhere' });
    await other.issue({ name: 'x', profile: 'signer', subject: signerSubject() });
    const [u] = await verifyPdfSignatures(
      await signPdf(await letter(false), { key: await other.signingKey('x'), role: 'signer' }),
      verifier(),
    );
    assert.deepEqual(codes(u!.findings), ['untrusted']);
  });

  it('takes a PNG seal of sensible size and shape; refuses other files, tiny or elongated images, with a reason', async () => {
    assert.deepEqual(await checkSealImage(sealPng(300)), { mediaType: 'image/png', width: 300, height: 300 });
    const refusal = async (bytes: Uint8Array, pattern: RegExp) => {
      const error = await checkSealImage(bytes).then(
        () => assert.fail('accepted'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof SealImageError);
      assert.match(error.message, pattern);
      assert.ok(error.vi.length > 0);
    };
    await refusal(Buffer.from('%PDF-1.7 not an image'), /PNG or JPEG/);
    await refusal(sealPng(300).subarray(0, 60), /cannot be read/);
    await refusal(sealPng(32), /32×32 pixels/);
    await refusal(sealPng(400, 100), /too elongated/);
    const huge = sealPng(100);
    huge.writeUInt32BE(100_000, 16);
    await refusal(huge, /100000×100 pixels/);
  });

  it('an unsigned PDF has no signatures', async () => {
    assert.deepEqual(await verifyPdfSignatures(await letter(true), verifier()), []);
  });
});
