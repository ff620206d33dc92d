import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';
import { buildPackageBytes, type EdxmlPackage } from '@vanban/edxml';
import { APPENDIX, digest, samplePackage } from '@vanban/edxml/testing';
import { CertificateAuthority, CertificateVerifier, UnknownFileError, signEdxml, signPdf, verifyFile } from '../src/index.js';
import { makeCa, signerSubject } from './ca-fixture.js';
import { letter } from './pdf-fixture.js';

const codes = (findings: { code: string }[]) => findings.map((f) => f.code);

/** The sample Công văn with the given files: the main PDF, then the appendix. */
function withFiles(main: Uint8Array, appendix: { id: string; bytes: Uint8Array; type: string }, signature: EdxmlPackage['signature']) {
  const base = samplePackage();
  const p: EdxmlPackage = {
    ...base,
    signature,
    manifest: [base.manifest[0]!, { contentId: appendix.id, contentType: appendix.type, name: appendix.id }],
    attachments: [digest('cv125.pdf', main), digest(appendix.id, appendix.bytes)],
  };
  return buildPackageBytes(
    p,
    new Map([
      ['cv125.pdf', main],
      [appendix.id, appendix.bytes],
    ]),
    'none',
  );
}

// The form several vendors send: an XML Signature element outside the XML-DSig namespace, value left empty.
const PLACEHOLDER = { kind: 'placeholder', xml: '<Signature><SignatureValue></SignatureValue></Signature>' } as const;

describe('verifying an edXML package with the PDFs it carries', () => {
  let ca: CertificateAuthority;
  let verifier: () => CertificateVerifier;
  let signedLetter: Uint8Array;
  let signedAppendix: Uint8Array;
  const sign = async (pdf: Uint8Array) => {
    const bySigner = await signPdf(pdf, { key: await ca.signingKey('an'), role: 'signer', timestamp: (r) => ca.answerTimestamp(r) });
    return signPdf(bySigner, { key: await ca.signingKey('agency'), role: 'agency', timestamp: (r) => ca.answerTimestamp(r) });
  };

  before(async () => {
    ({ ca, verifier } = await makeCa());
    await ca.issue({ name: 'an', profile: 'signer', subject: signerSubject() });
    await ca.issue({
      name: 'agency',
      profile: 'agency',
      subject: { commonName: 'Văn phòng UBND tỉnh Bình An', agencyCode: '000.00.00.H99' },
    });
    signedLetter = await sign(await letter(false));
    signedAppendix = await sign(await letter(true, 'Phu luc I'));
  });

  it('judges a package without an XML signature by the signatures inside its PDFs: all valid, valid', async () => {
    const bytes = await withFiles(signedLetter, { id: 'pl1.pdf', bytes: signedAppendix, type: 'application/pdf' }, PLACEHOLDER);
    const result = await verifyFile(bytes, verifier());
    assert.equal(result.kind, 'edxml');
    assert.deepEqual(result.signatures, []);
    assert.deepEqual(
      result.attachments.map((a) => [a.contentId, a.signatures.map((s) => s.verdict), a.verdict]),
      [
        ['cv125.pdf', ['valid', 'valid'], 'valid'],
        ['pl1.pdf', ['valid', 'valid'], 'valid'],
      ],
    );
    assert.equal(result.verdict, 'valid');
  });

  it('an attachment that nothing signs leaves such a package indeterminate, and says which', async () => {
    const bytes = await withFiles(signedLetter, { id: 'pl1.txt', bytes: APPENDIX, type: 'text/plain' }, PLACEHOLDER);
    const result = await verifyFile(bytes, verifier());
    const appendix = result.attachments.find((a) => a.contentId === 'pl1.txt')!;
    assert.equal(appendix.pdf, false);
    assert.deepEqual(codes(appendix.findings), ['attachment-unsigned']);
    assert.equal(appendix.findings[0]!.detail, 'pl1.txt');
    assert.equal(result.verdict, 'indeterminate');
  });

  it('a PDF changed after signing makes the whole package invalid', async () => {
    const changed = Buffer.from(signedLetter);
    // Inside the first revision, which both signatures cover: the page grows by one point.
    const at = changed.indexOf('/MediaBox [ 0 0 595.28 841.89 ]');
    assert.ok(at > 0);
    changed.write('/MediaBox [ 0 0 595.28 841.88 ]', at, 'latin1');
    const bytes = await withFiles(changed, { id: 'pl1.pdf', bytes: signedAppendix, type: 'application/pdf' }, PLACEHOLDER);
    const result = await verifyFile(bytes, verifier());
    const main = result.attachments.find((a) => a.contentId === 'cv125.pdf')!;
    assert.ok(main.signatures.every((s) => s.verdict === 'invalid' && codes(s.findings).includes('integrity')));
    assert.equal(result.verdict, 'invalid');
  });

  it('a package signed in XML covers its attachments, and still reports the signatures inside its PDFs', async () => {
    const unsignedPdf = await letter(false);
    const xml = (
      await withFiles(unsignedPdf, { id: 'pl1.pdf', bytes: signedAppendix, type: 'application/pdf' }, { kind: 'none' })
    ).toString('utf8');
    const result = await verifyFile(Buffer.from(await signEdxml(xml, await ca.signingKey('agency'))), verifier());
    assert.deepEqual(
      result.signatures.map((s) => s.verdict),
      ['valid'],
    );
    assert.deepEqual(
      result.attachments.map((a) => [a.contentId, a.signatures.length, codes(a.findings)]),
      [
        ['cv125.pdf', 0, []],
        ['pl1.pdf', 2, []],
      ],
    );
    assert.equal(result.verdict, 'valid');
  });

  it('a package with no signature anywhere is invalid: no-signature', async () => {
    const bytes = await withFiles(await letter(false), { id: 'pl1.txt', bytes: APPENDIX, type: 'text/plain' }, PLACEHOLDER);
    const result = await verifyFile(bytes, verifier());
    assert.deepEqual(codes(result.findings), ['no-signature']);
    assert.equal(result.verdict, 'invalid');
  });

  it('a broken package is unreadable, not invalid', async () => {
    const bytes = await withFiles(signedLetter, { id: 'pl1.pdf', bytes: signedAppendix, type: 'application/pdf' }, PLACEHOLDER);
    const cut = bytes.subarray(0, bytes.length - 200);
    await assert.rejects(verifyFile(cut, verifier()), UnknownFileError);
  });
});
