import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { buildPackageBytes, readEdxml } from '@vanban/edxml';
import { SAMPLE_FILES, digest, samplePackage } from '@vanban/edxml/testing';
import {
  CertificateAuthority,
  CertificateVerifier,
  TRACE_HEADERS_XPATH,
  signEdxml,
  verifyXmlSignatures,
  type SigningKey,
} from '../src/index.js';
import { makeCa, signerSubject } from './ca-fixture.js';

const codes = (findings: { code: string }[]) => findings.map((f) => f.code).sort();

describe('XML-DSig of edXML packages', () => {
  let ca: CertificateAuthority;
  let dir: string;
  let verifier: () => CertificateVerifier;
  let agency: SigningKey;
  let unsigned: string;
  let signed: string;
  const file = (name: string, content: string) => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };
  const xmlsec = (...args: string[]) => spawnSync('xmlsec1', args, { encoding: 'utf8' });

  before(async () => {
    ({ ca, dir, verifier } = await makeCa());
    await ca.issue({
      name: '000.00.00.H99',
      profile: 'agency',
      subject: {
        commonName: 'Văn phòng Ủy ban nhân dân tỉnh Bình An',
        organization: 'Ủy ban nhân dân tỉnh Bình An',
        agencyCode: '000.00.00.H99',
      },
    });
    agency = await ca.signingKey('000.00.00.H99');
    unsigned = (await buildPackageBytes(samplePackage(), SAMPLE_FILES, 'none')).toString('utf8');
    signed = await signEdxml(unsigned, agency);
  });

  it('signs inside edXMLHeader; the package stays valid edXML and verifies with us', async () => {
    const read = await readEdxml(Buffer.from(signed));
    assert.ok(read.ok, JSON.stringify(!read.ok && read.problems));
    assert.equal(read.ok && read.kind === 'package' && read.package.signature.kind, 'xmldsig');
    const [report, ...more] = await verifyXmlSignatures(signed, verifier());
    assert.equal(more.length, 0);
    assert.equal(report!.verdict, 'valid', JSON.stringify(report!.findings));
    assert.equal(report!.signer?.agencyCode, '000.00.00.H99');
    assert.equal(report!.chain.length, 3);
    assert.equal(report!.revocation?.status, 'good');
  });

  it('xmlsec1 --verify accepts our signature and rejects a tampered copy', () => {
    const trust = ['--trusted-pem', join(ca.dir, 'root.crt.pem'), '--untrusted-pem', join(ca.dir, 'issuing.crt.pem')];
    const ok = xmlsec('--verify', ...trust, file('signed.xml', signed));
    assert.equal(ok.status, 0, ok.stderr);
    const bad = xmlsec('--verify', ...trust, file('tampered.xml', signed.replace('Sở Tài chính', 'Sở Tài chinh')));
    assert.notEqual(bad.status, 0);
  });

  it('survives the trace header a hub appends, in xmlsec1 and in ours', async () => {
    const forwarded = signed.replace(
      /(<\/edXML:TraceHeader>)(?!.*<\/edXML:TraceHeader>)/s,
      '$1<edXML:TraceHeader><edXML:OrganId>000.00.00.G22</edXML:OrganId><edXML:Timestamp>2026/11/25 10:00:00</edXML:Timestamp></edXML:TraceHeader>',
    );
    assert.notEqual(forwarded, signed);
    const [report] = await verifyXmlSignatures(forwarded, verifier());
    assert.equal(report!.verdict, 'valid', JSON.stringify(report!.findings));
    const r = xmlsec(
      '--verify',
      '--trusted-pem',
      join(ca.dir, 'root.crt.pem'),
      '--untrusted-pem',
      join(ca.dir, 'issuing.crt.pem'),
      file('fwd.xml', forwarded),
    );
    assert.equal(r.status, 0, r.stderr);
  });

  it('finds one changed byte anywhere: header, business information, attachment', async () => {
    const attachment = /<edXML:ContentTransferEncoded>(.)/.exec(signed)!;
    const flipped = attachment[1] === 'A' ? 'B' : 'A';
    for (const tampered of [
      signed.replace('Sở Y tế', 'Sở Y tề'),
      signed.replace('<edXML:BussinessDocType>0', '<edXML:BussinessDocType>1'),
      signed.slice(0, attachment.index + attachment[0].length - 1) + flipped + signed.slice(attachment.index + attachment[0].length),
    ]) {
      assert.notEqual(tampered, signed);
      const [report] = await verifyXmlSignatures(tampered, verifier());
      assert.equal(report!.verdict, 'invalid');
      assert.ok(codes(report!.findings).includes('integrity'), JSON.stringify(report!.findings));
    }
  });

  it('a signature made with another key than the certificate shown is invalid', async () => {
    const other = await ca.issue({
      name: 'other',
      profile: 'agency',
      subject: { commonName: 'Sở Tài chính', agencyCode: '000.00.04.H99' },
    });
    const shown = Buffer.from(agency.certificate.rawData).toString('base64');
    const swapped = signed.replace(shown, Buffer.from(other.certificate.rawData).toString('base64'));
    const [report] = await verifyXmlSignatures(swapped, verifier());
    assert.deepEqual(codes(report!.findings), ['signature-value']);
  });

  it('a revoked or untrusted signer makes the signature invalid', async () => {
    await ca.issue({ name: 'revoked', profile: 'agency', subject: { commonName: 'Sở Y tế', agencyCode: '000.00.09.H99' } });
    const revokedKey = await ca.signingKey('revoked');
    const byRevoked = await signEdxml(unsigned, revokedKey);
    await ca.revoke('revoked', 'cessationOfOperation');
    assert.deepEqual(codes((await verifyXmlSignatures(byRevoked, verifier()))[0]!.findings), ['revoked']);
    const { ca: stranger } = await makeCa({ name: 'Stranger' });
    await stranger.issue({ name: 'x', profile: 'agency', subject: signerSubject() });
    const byStranger = await signEdxml(unsigned, await stranger.signingKey('x'));
    assert.deepEqual(codes((await verifyXmlSignatures(byStranger, verifier()))[0]!.findings), ['untrusted']);
  });

  it('verifies a package signed by xmlsec1 from our template', async () => {
    const key = join(ca.dir, 'issued', '000.00.00.H99.key.pem');
    const cert = join(ca.dir, 'issued', '000.00.00.H99.crt.pem');
    // Our own signature with its values emptied is the template xmlsec1 fills in.
    const template = signed
      .replace(/<ds:DigestValue>[^<]*<\/ds:DigestValue>/, '<ds:DigestValue/>')
      .replace(/<ds:SignatureValue>[^<]*<\/ds:SignatureValue>/, '<ds:SignatureValue/>')
      .replace(/<ds:X509Data>.*<\/ds:X509Data>/s, '<ds:X509Data/>');
    const out = join(dir, 'by-xmlsec.xml');
    execFileSync('xmlsec1', ['--sign', '--privkey-pem', `${key},${cert}`, '--output', out, file('template.xml', template)]);
    const bySomeoneElse = readFileSync(out, 'utf8');
    assert.notEqual(bySomeoneElse, signed);
    const [report] = await verifyXmlSignatures(bySomeoneElse, verifier());
    assert.equal(report!.verdict, 'valid', JSON.stringify(report!.findings));
  });

  it('verifies SignedInfo canonicalized inclusively by xmlsec1, with the namespaces in scope from the root', async () => {
    const key = join(ca.dir, 'issued', '000.00.00.H99.key.pem');
    const cert = join(ca.dir, 'issued', '000.00.00.H99.crt.pem');
    // Inclusive c14n writes every namespace in scope on SignedInfo (the root's edXML one too), so
    // its bytes depend on the document around it, not on SignedInfo alone.
    for (const [name, algorithm] of [
      ['c14n-1.0', 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315'],
      ['c14n-1.1', 'http://www.w3.org/2006/12/xml-c14n11'],
    ] as const) {
      const template = signed
        .replace(/(<ds:CanonicalizationMethod Algorithm=")[^"]*"/, `$1${algorithm}"`)
        .replace(/<ds:DigestValue>[^<]*<\/ds:DigestValue>/, '<ds:DigestValue/>')
        .replace(/<ds:SignatureValue>[^<]*<\/ds:SignatureValue>/, '<ds:SignatureValue/>')
        .replace(/<ds:X509Data>.*<\/ds:X509Data>/s, '<ds:X509Data/>');
      const out = join(dir, `${name}.xml`);
      execFileSync('xmlsec1', ['--sign', '--privkey-pem', `${key},${cert}`, '--output', out, file(`${name}-template.xml`, template)]);
      const byXmlsec = readFileSync(out, 'utf8');
      const [report] = await verifyXmlSignatures(byXmlsec, verifier());
      assert.equal(report!.verdict, 'valid', `${name}: ${JSON.stringify(report!.findings)}`);
      // The same signature under SignedInfo with one namespace more in scope is no longer its signature.
      const moved = byXmlsec.replace('<ds:Signature ', '<ds:Signature xmlns:x="urn:x" ');
      const [changed] = await verifyXmlSignatures(moved, verifier());
      assert.deepEqual(codes(changed!.findings), ['signature-value'], name);
    }
  });

  it('judges each of two signatures on its own: a copy of the signature beside it breaks both digests, not their values', async () => {
    const signature = /<ds:Signature .*<\/ds:Signature>/s.exec(signed)![0];
    const twice = signed.replace(signature, signature + signature);
    const reports = await verifyXmlSignatures(twice, verifier());
    assert.equal(reports.length, 2);
    for (const report of reports) {
      // Each enveloped transform removes its own Signature only, so each digest sees the other one.
      assert.deepEqual(codes(report.findings), ['integrity']);
      assert.equal(report.signer?.agencyCode, '000.00.00.H99');
    }
  });

  it('refuses to sign twice and refuses DTDs, wherever the prolog puts them', async () => {
    await assert.rejects(signEdxml(signed, agency), /already carries a Signature/);
    await assert.rejects(verifyXmlSignatures('<!DOCTYPE x [<!ENTITY a "b">]><x/>', verifier()), /DTD/);
    const late = '<?xml version="1.0"?><!-- <x/> --><?note <y/>?>\n<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>';
    await assert.rejects(verifyXmlSignatures(Buffer.from(late), verifier()), /DTD/);
    // After the root element the same letters are only text.
    assert.deepEqual(await verifyXmlSignatures('<x><!-- <!DOCTYPE x> --></x>', verifier()), []);
  });

  it('a subtract filter that names a node and its descendant removes each once', async () => {
    const key = join(ca.dir, 'issued', '000.00.00.H99.key.pem');
    const cert = join(ca.dir, 'issued', '000.00.00.H99.crt.pem');
    const overlapping = `${TRACE_HEADERS_XPATH} | ${TRACE_HEADERS_XPATH}/edXML:OrganId`;
    const template = signed
      .replace(TRACE_HEADERS_XPATH, overlapping)
      .replace(/<ds:DigestValue>[^<]*<\/ds:DigestValue>/, '<ds:DigestValue/>')
      .replace(/<ds:SignatureValue>[^<]*<\/ds:SignatureValue>/, '<ds:SignatureValue/>')
      .replace(/<ds:X509Data>.*<\/ds:X509Data>/s, '<ds:X509Data/>');
    const out = join(dir, 'overlapping.xml');
    execFileSync('xmlsec1', ['--sign', '--privkey-pem', `${key},${cert}`, '--output', out, file('overlapping-template.xml', template)]);
    const [report] = await verifyXmlSignatures(readFileSync(out), verifier());
    assert.equal(report!.verdict, 'valid', JSON.stringify(report!.findings));
  });

  it('finds one changed byte in a large attachment, which it hashes without libxml2 reading it', async () => {
    const big = randomBytes(100 * 1024);
    const pkg = { ...samplePackage(), manifest: [{ contentId: 'big.bin', contentType: 'application/octet-stream', name: 'lon.bin' }] };
    const bytes = await buildPackageBytes({ ...pkg, attachments: [digest('big.bin', big)] }, new Map([['big.bin', big]]), 'none');
    const bigSigned = Buffer.from(await signEdxml(bytes.toString('utf8'), agency));
    assert.equal((await verifyXmlSignatures(bigSigned, verifier()))[0]!.verdict, 'valid');
    const body = bigSigned.indexOf('<edXML:ContentTransferEncoded>') + '<edXML:ContentTransferEncoded>'.length;
    const end = bigSigned.indexOf('</edXML:ContentTransferEncoded>');
    for (const at of [body, body + 50_000, end - 1]) {
      const tampered = Buffer.from(bigSigned);
      tampered[at] = tampered[at] === 0x41 ? 0x42 : 0x41;
      const [report] = await verifyXmlSignatures(tampered, verifier());
      assert.ok(codes(report!.findings).includes('integrity'), `byte ${at - body} of the attachment`);
    }
  });

  it('verifies a package with a long run of whitespace before its root element', async () => {
    const root = signed.indexOf('<edXML:edXML');
    assert.ok(root >= 0);
    const spaced = `${signed.slice(0, root)}${'\n'.repeat(20_000)}${signed.slice(root)}`;
    const [report] = await verifyXmlSignatures(spaced, verifier());
    assert.equal(report!.verdict, 'valid', JSON.stringify(report!.findings));
  });

  it('applies an XPath filter that looks at text to the text itself', async () => {
    // The signer leaves out of the signature every attachment without "+++++" in it; one with it is covered.
    const big = randomBytes(30 * 1024);
    const pkg = { ...samplePackage(), manifest: [{ contentId: 'big.bin', contentType: 'application/octet-stream', name: 'lon.bin' }] };
    const bytes = await buildPackageBytes({ ...pkg, attachments: [digest('big.bin', big)] }, new Map([['big.bin', big]]), 'none');
    const bigSigned = await signEdxml(bytes.toString('utf8'), agency);
    assert.ok(!bigSigned.includes('+++++'));
    const uncovered = `${TRACE_HEADERS_XPATH} | /edXML:edXML/edXML:AttachmentEncoded/edXML:Attachment[not(contains(., '+++++'))]`;
    const template = bigSigned
      .replace(TRACE_HEADERS_XPATH, uncovered)
      .replace(/<ds:DigestValue>[^<]*<\/ds:DigestValue>/, '<ds:DigestValue/>')
      .replace(/<ds:SignatureValue>[^<]*<\/ds:SignatureValue>/, '<ds:SignatureValue/>')
      .replace(/<ds:X509Data>.*<\/ds:X509Data>/s, '<ds:X509Data/>');
    const key = join(ca.dir, 'issued', '000.00.00.H99.key.pem');
    const cert = join(ca.dir, 'issued', '000.00.00.H99.crt.pem');
    const out = join(dir, 'text-filter.xml');
    execFileSync('xmlsec1', ['--sign', '--privkey-pem', `${key},${cert}`, '--output', out, file('text-filter-template.xml', template)]);
    const byXmlsec = readFileSync(out, 'utf8');
    assert.equal((await verifyXmlSignatures(byXmlsec, verifier()))[0]!.verdict, 'valid');
    const covered = byXmlsec.replace(/(<edXML:ContentTransferEncoded>)(.{5})/, '$1+++++');
    assert.notEqual(covered, byXmlsec);
    const [report] = await verifyXmlSignatures(covered, verifier());
    assert.ok(codes(report!.findings).includes('integrity'), JSON.stringify(report!.findings));
  });

  it('verifies a package whose attachment is over libxml2’s usual 10 MB limit for one text node', async () => {
    const big = randomBytes(9 * 1024 * 1024);
    const pkg = { ...samplePackage(), manifest: [{ contentId: 'big.bin', contentType: 'application/octet-stream', name: 'lon.bin' }] };
    const bytes = await buildPackageBytes({ ...pkg, attachments: [digest('big.bin', big)] }, new Map([['big.bin', big]]), 'none');
    const bigSigned = Buffer.from(await signEdxml(bytes.toString('utf8'), agency));
    assert.ok(bigSigned.length > 12 * 1024 * 1024);
    const [report] = await verifyXmlSignatures(bigSigned, verifier());
    assert.equal(report!.verdict, 'valid', JSON.stringify(report!.findings));
  });
});
