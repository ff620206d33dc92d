import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  buildPackageBytes,
  buildStatus,
  checkPackage,
  checkStatus,
  readEdxml,
  RULES,
  type EdxmlPackage,
  type Problem,
  type RuleId,
} from '../src/index.js';
import { SAMPLE_FILES, samplePackage, sampleStatus } from './samples.js';

const M = '/edXML/edXMLEnvelope/edXMLHeader/MessageHeader';

function only(problems: Problem[], rule: RuleId): Problem {
  assert.equal(problems.length, 1, JSON.stringify(problems, null, 1));
  const [p] = problems;
  assert.equal(p!.rule, rule);
  assert.ok(p!.vi && p!.en && p!.vi !== p!.en, 'a message in each language');
  return p!;
}

function withPackage(change: (p: EdxmlPackage) => void): EdxmlPackage {
  const p = samplePackage();
  change(p);
  return p;
}

/** The sample package as written, with one edit to its text. */
async function edited(from: string | RegExp, to: string): Promise<Buffer> {
  const text = (await buildPackageBytes(samplePackage(), SAMPLE_FILES, 'none')).toString('utf8');
  const next = text.replace(from, to);
  assert.notEqual(next, text, `the sample contains ${String(from)}`);
  return Buffer.from(next, 'utf8');
}

async function problemsOf(bytes: Buffer): Promise<Problem[]> {
  const result = await readEdxml(bytes);
  assert.ok(!result.ok, 'the package is refused');
  return result.problems;
}

describe('package rules', () => {
  it('the sample package breaks no rule', () => {
    assert.deepEqual(checkPackage(samplePackage()), []);
    assert.deepEqual(checkStatus(sampleStatus()), []);
  });

  it('every rule has a name in both languages', () => {
    for (const [id, name] of Object.entries(RULES)) assert.ok(name.vi && name.en, id);
  });

  it('agency-code: every OrganId has the shape xxx.xx.xx.L99', () => {
    const p = only(checkPackage(withPackage((p) => (p.to[1]!.agencyCode = '000.12.00.H99x'))), 'agency-code');
    assert.equal(p.path, `${M}/To[2]/OrganId`);
    assert.match(p.vi, /000\.12\.00\.H99x/);
  });

  it('date: a date that does not exist is named with its element', async () => {
    const p = only(await problemsOf(await edited('<edXML:PromulgationDate>2026/11/20<', '<edXML:PromulgationDate>2026/02/30<')), 'date');
    assert.equal(p.path, `${M}/PromulgationInfo/PromulgationDate`);
    assert.match(p.en, /2026\/02\/30/);
  });

  it('date: a timestamp that does not exist', () => {
    const p = only(checkPackage(withPackage((p) => (p.traces[0]!.at = '2026-11-20T24:00:00'))), 'date');
    assert.equal(p.path, '/edXML/edXMLEnvelope/edXMLHeader/TraceHeaderList/TraceHeader/Timestamp');
  });

  it('document-id-unique: a document cannot answer itself, nor answer one document twice', () => {
    only(checkPackage(withPackage((p) => (p.responseFor[0]!.documentId = p.documentId!))), 'document-id-unique');
    const p = only(checkPackage(withPackage((p) => p.responseFor.push({ ...p.responseFor[0]! }))), 'document-id-unique');
    assert.equal(p.path, `${M}/ResponseFor[2]`);
  });

  it('manifest-matches-attachments: every reference has its attachment and every attachment its reference', () => {
    const missing = only(checkPackage(withPackage((p) => p.attachments.pop())), 'manifest-matches-attachments');
    assert.equal(missing.path, '/edXML/edXMLEnvelope/edXMLBody/edXMLManifest/Reference[2]/ContentId');
    const unlisted = only(checkPackage(withPackage((p) => p.manifest.pop())), 'manifest-matches-attachments');
    assert.equal(unlisted.path, '/edXML/AttachmentEncoded/Attachment[2]/ContentId');
  });

  it('manifest-matches-attachments: in a package read from the wire', async () => {
    const problems = await problemsOf(
      await edited(
        '<edXML:ContentId>pl1.txt</edXML:ContentId><edXML:ContentType>',
        '<edXML:ContentId>pl2.txt</edXML:ContentId><edXML:ContentType>',
      ),
    );
    assert.deepEqual(
      problems.map((p) => [p.rule, p.path]),
      [
        ['manifest-matches-attachments', '/edXML/edXMLEnvelope/edXMLBody/edXMLManifest/Reference[2]/ContentId'],
        ['manifest-matches-attachments', '/edXML/AttachmentEncoded/Attachment[2]/ContentId'],
      ],
    );
  });

  it('status-code-known: only the codes of QCVN 102:2016', async () => {
    const text = buildStatus(sampleStatus()).toString('utf8').replace('<edXML:StatusCode>03<', '<edXML:StatusCode>07<');
    const p = only(await problemsOf(Buffer.from(text)), 'status-code-known');
    assert.equal(p.path, '/edXMLEnvelope/edXMLHeader/Status/StatusCode');
  });

  it('business-kind-known: BussinessDocType is 0 to 3', async () => {
    only(await problemsOf(await edited('<edXML:BussinessDocType>0<', '<edXML:BussinessDocType>7<')), 'business-kind-known');
  });

  it('business-reason-required: recall, amend and replace say why', () => {
    const p = only(checkPackage(withPackage((p) => (p.business = { kind: 'recall', documentId: 'x' }))), 'business-reason-required');
    assert.equal(p.path, '/edXML/edXMLEnvelope/edXMLHeader/TraceHeaderList/Bussiness/BussinessDocReason');
  });

  it('priority-known: Priority is 0 to 4', async () => {
    only(await problemsOf(await edited('<edXML:Priority>1<', '<edXML:Priority>9<')), 'priority-known');
  });

  it('recipient-unique: one agency is not sent the same package twice', () => {
    const p = only(checkPackage(withPackage((p) => p.to.push({ agencyCode: '000.00.04.H99' }))), 'recipient-unique');
    assert.equal(p.path, `${M}/To[3]`);
  });

  it('classified-refused: a classified document never goes through the hub', () => {
    only(checkPackage(samplePackage(), { classification: 'confidential' }), 'classified-refused');
    assert.deepEqual(checkPackage(samplePackage(), { classification: 'none' }), []);
  });

  it('schema: a missing required element is named with its path, in Vietnamese too', async () => {
    const problems = await problemsOf(await edited(/<edXML:Subject>.*?<\/edXML:Subject>/, ''));
    const p = only(problems, 'schema');
    assert.equal(p.path, `${M}/Content`);
    assert.equal(p.vi, 'Phần tử không được phép ở đây; cần: Subject.');
  });

  it('schema: text where only elements belong', async () => {
    const p = only(await problemsOf(await edited('<edXML:Code>', '<edXML:Code>lạc chỗ')), 'schema');
    assert.equal(p.path, `${M}/Code`);
  });
});
