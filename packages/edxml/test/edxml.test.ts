import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  buildPackage,
  buildPackageBytes,
  buildStatus,
  EdxmlBuildError,
  readEdxml,
  SCHEMA_PATH,
  type AttachmentSink,
} from '../src/index.js';
import { SAMPLE_FILES, samplePackage, sampleStatus } from './samples.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Keeps every attachment in memory, as a test double of the blob store. */
function memorySink() {
  const files = new Map<string, Buffer>();
  const aborted: string[] = [];
  const sink: AttachmentSink = {
    open(contentId) {
      const parts: Buffer[] = [];
      return {
        write: (bytes) => void parts.push(Buffer.from(bytes)),
        close: () => void files.set(contentId, Buffer.concat(parts)),
        abort: () => void aborted.push(contentId),
      };
    },
  };
  return { sink, files, aborted };
}

describe('edXML packages', () => {
  it('reads back exactly the package it wrote, files included', async () => {
    const bytes = await buildPackageBytes(samplePackage(), SAMPLE_FILES, 'none');
    const { sink, files } = memorySink();
    const result = await readEdxml(bytes, { sink });
    assert.ok(result.ok && result.kind === 'package', JSON.stringify(result));
    assert.deepEqual(result.package, samplePackage());
    assert.deepEqual(files, SAMPLE_FILES);
  });

  it('writes what xmllint accepts against the same schema', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edxml-'));
    writeFileSync(join(dir, 'package.xml'), await buildPackageBytes(samplePackage(), SAMPLE_FILES, 'none'));
    writeFileSync(join(dir, 'status.xml'), buildStatus(sampleStatus()));
    const out = execFileSync('xmllint', ['--noout', '--schema', SCHEMA_PATH, join(dir, 'package.xml'), join(dir, 'status.xml')], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
    assert.equal(out, '');
  });

  it('writes the strict form: edXML prefix, yyyy/MM/dd dates, attachments beside the envelope', async () => {
    const text = (await buildPackageBytes(samplePackage(), SAMPLE_FILES, 'none')).toString('utf8');
    assert.match(
      text,
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<edXML:edXML xmlns:edXML="http:\/\/www.mic.gov.vn\/TBT\/QCVN_102_2016">/,
    );
    assert.match(text, /<edXML:PromulgationDate>2026\/11\/20<\/edXML:PromulgationDate>/);
    assert.match(text, /<edXML:Timestamp>2026\/11\/20 15:04:05<\/edXML:Timestamp>/);
    assert.match(text, /<\/edXML:edXMLEnvelope><edXML:AttachmentEncoded>/);
    assert.match(text, /&amp; báo cáo &lt;tháng 11&gt;/);
  });

  it('refuses to write a classified document, whatever else is right', () => {
    assert.throws(
      () => buildPackage(samplePackage(), { content: (id) => SAMPLE_FILES.get(id)!, classification: 'secret' }),
      (err: unknown) => err instanceof EdxmlBuildError && err.problems.some((p) => p.rule === 'classified-refused'),
    );
  });

  it('refuses to write a file whose bytes differ from the package digest', async () => {
    const wrong = new Map(SAMPLE_FILES);
    wrong.set('pl1.txt', Buffer.from('something else'));
    await assert.rejects(buildPackageBytes(samplePackage(), wrong, 'none'), /pl1.txt: content is 14 bytes/);
  });

  it('reads and writes status messages, dates in the dd/MM/yyyy HH:mm:ss form of the standard', async () => {
    const bytes = buildStatus(sampleStatus());
    assert.match(bytes.toString('utf8'), /<edXML:Timestamp>20\/11\/2026 16:30:00<\/edXML:Timestamp>/);
    const result = await readEdxml(bytes);
    assert.ok(result.ok && result.kind === 'status');
    assert.deepEqual(result.status, sampleStatus());
  });
});

describe('reading packages written by other implementations', () => {
  it('default namespace, pretty-printed, dd/MM/yyyy dates, attachments inside the envelope, CRLF references in base64', async () => {
    const { sink, files } = memorySink();
    const result = await readEdxml(fixture('vendor-default-namespace.xml'), { sink });
    assert.ok(result.ok && result.kind === 'package', JSON.stringify(result));
    const p = result.package;
    assert.equal(p.from.agencyCode, '000.00.00.G22');
    assert.equal(p.from.fax, '');
    assert.equal(p.issueDate, '2026-11-18');
    assert.equal(p.dueDate, undefined);
    assert.equal(p.urgency, 'express_scheduled');
    assert.deepEqual(p.traces, [{ agencyCode: '000.00.00.G22', at: '2026-11-18T09:15:02' }]);
    assert.equal(p.signature.kind, 'placeholder');
    assert.deepEqual(files.get('cid_1'), fixture('vendor-default-namespace.pdf'));
    assert.deepEqual(p.attachments, [
      { contentId: 'cid_1', size: 192, sha256: sha256(fixture('vendor-default-namespace.pdf')), sniffed: 'pdf' },
    ]);
    assert.deepEqual(
      result.warnings.map((w) => w.rule),
      ['xml-signature'],
    );
  });

  it('another prefix, ISO dates with zones, a UUID document id, base64 in CDATA, a zipped PDF', async () => {
    const { sink, files } = memorySink();
    const result = await readEdxml(fixture('vendor-iso-cdata.xml'), { sink });
    assert.ok(result.ok && result.kind === 'package', JSON.stringify(result));
    assert.equal(result.package.issueDate, '2026-11-19');
    assert.equal(result.package.traces[0]?.at, '2026-11-19T10:20:30');
    assert.equal(result.package.documentId, '3f0c9a52-7a4e-4d16-9f0e-5f5b3d0c2a11');
    assert.deepEqual(files.get('bc45'), fixture('vendor-zipped.zip'));
    assert.equal(result.package.attachments[0]?.sniffed, 'zip');
    assert.deepEqual(
      result.warnings.map((w) => w.rule),
      ['xml-signature', 'attachment-type'],
    );
  });

  it('a status message with its From fields in the order the standard lists for status', async () => {
    const result = await readEdxml(fixture('vendor-status.xml'));
    assert.ok(result.ok && result.kind === 'status', JSON.stringify(result));
    assert.equal(result.status.status, '04');
    assert.equal(result.status.at, '2026-11-21T08:05:00');
    assert.equal(result.status.responseFor.issueDate, '2026-11-20');
    assert.equal(result.status.from.organizationInCharge, 'Chính phủ');
  });
});
