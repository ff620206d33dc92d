import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { buildPackageBytes, readEdxml, type AttachmentSink, type RuleId } from '../src/index.js';
import { SAMPLE_FILES, samplePackage } from './samples.js';

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>';
const NS = 'xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"';

async function refused(input: Uint8Array | AsyncIterable<Uint8Array>, rule: RuleId, options: Parameters<typeof readEdxml>[1] = {}) {
  const result = await readEdxml(input, options);
  assert.ok(!result.ok, 'refused');
  assert.equal(result.problems[0]?.rule, rule, JSON.stringify(result.problems));
  assert.ok(result.problems[0]!.vi.length > 0 && result.problems[0]!.en.length > 0);
  return result.problems[0]!;
}

/** Lazily repeats a chunk; counts how much was pulled, so a test can see reading stopped early. */
function endless(chunk: string, times: number, prefix = '', suffix = '') {
  const stats = { pulled: 0 };
  async function* source() {
    yield Buffer.from(prefix);
    const bytes = Buffer.from(chunk);
    for (let i = 0; i < times; i++) {
      stats.pulled += bytes.length;
      yield bytes;
    }
    yield Buffer.from(suffix);
  }
  return { source: source(), stats };
}

describe('hostile input is refused early, with a clear reason and bounded memory', () => {
  it('XXE: an external entity in a DTD', async () => {
    const p = await refused(
      Buffer.from(`${HEAD}<!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><edXML ${NS}>&xxe;</edXML>`),
      'no-dtd',
    );
    assert.doesNotMatch(p.en, /root:/);
  });

  it('entity expansion (billion laughs)', async () => {
    const entities = Array.from({ length: 10 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('');
    await refused(Buffer.from(`${HEAD}<!DOCTYPE edXML [<!ENTITY l0 "ha">${entities}]><edXML ${NS}>&l10;</edXML>`), 'no-dtd');
  });

  it('an entity used without any declaration', async () => {
    await refused(Buffer.from(`${HEAD}<edXML ${NS}>&xxe;</edXML>`), 'well-formed');
  });

  it('deep nesting', async () => {
    const { source, stats } = endless('<a>', 1_000_000, `${HEAD}<edXML ${NS}>`);
    const p = await refused(source, 'limits');
    assert.match(p.en, /deeper than 32/);
    assert.ok(stats.pulled < 1000, `stopped after ${stats.pulled} bytes`);
  });

  it('too many elements', async () => {
    const { source, stats } = endless('<Place>x</Place>', 10_000_000, `${HEAD}<edXML ${NS}>`);
    await refused(source, 'limits');
    assert.ok(stats.pulled < 2_000_000, `stopped after ${stats.pulled} bytes`);
  });

  it('a long attribute', async () => {
    await refused(Buffer.from(`${HEAD}<edXML ${NS} note="${'x'.repeat(10_000)}"/>`), 'limits');
    const { source } = endless('x', 1_000_000, `${HEAD}<edXML ${NS} note="`);
    await refused(source, 'limits');
  });

  it('a name that never ends', async () => {
    const { source, stats } = endless('a'.repeat(1024), 1_000_000, `${HEAD}<edXML ${NS}><`);
    await refused(source, 'limits');
    assert.ok(stats.pulled < 1_000_000);
  });

  it('a long CDATA section is text, not an unfinished tag: read when within the text limit', async () => {
    const good = (await buildPackageBytes(samplePackage(), SAMPLE_FILES, 'none')).toString('utf8');
    const long = 'Đề nghị các sở thực hiện. '.repeat(4000);
    const bytes = Buffer.from(good.replace(/<edXML:Content>[^<]*<\/edXML:Content>/, `<edXML:Content><![CDATA[${long}]]></edXML:Content>`));
    // Fed in small chunks, so that the section stays open across many of them.
    const chunks = (async function* () {
      for (let i = 0; i < bytes.length; i += 1024) yield bytes.subarray(i, i + 1024);
    })();
    const result = await readEdxml(chunks);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
    assert.equal(result.kind === 'package' && result.package.content, long);
  });

  it('a huge text element in the header', async () => {
    const { source, stats } = endless('chữ '.repeat(1024), 1_000_000, `${HEAD}<edXML ${NS}><Subject>`);
    await refused(source, 'limits');
    assert.ok(stats.pulled < 10_000_000);
  });

  it('invalid UTF-8', async () => {
    const bytes = Buffer.concat([
      Buffer.from(`${HEAD}<edXML ${NS}><Subject>`),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('</Subject></edXML>'),
    ]);
    await refused(bytes, 'utf8');
  });

  it('characters XML forbids, which the SAX parser lets through (found by the mutation property)', async () => {
    const good = (await buildPackageBytes(samplePackage(), SAMPLE_FILES, 'none')).toString('utf8');
    const p = await refused(Buffer.from(good.replace('application/pdf', '\uFFFEapplication/pdf')), 'well-formed');
    assert.equal(p.path, '/edXML/edXMLEnvelope/edXMLBody/edXMLManifest/Reference/ContentType');
    await refused(Buffer.from(`${HEAD}<edXML ${NS} a="\u0001"/>`), 'well-formed');
  });

  it('another encoding declared', async () => {
    await refused(Buffer.from(`<?xml version="1.0" encoding="UTF-16"?><edXML ${NS}/>`), 'utf8');
  });

  it('base64 garbage in an attachment, and the sink drops what it got', async () => {
    const good = (await buildPackageBytes(samplePackage(), SAMPLE_FILES, 'none')).toString('utf8');
    const bad = good.replace(/(<edXML:ContentTransferEncoded>)([A-Za-z0-9+/]{8})/, '$1$2*!#');
    const aborted: string[] = [];
    const sink: AttachmentSink = { open: (id) => ({ write() {}, close() {}, abort: () => void aborted.push(id) }) };
    const p = await refused(Buffer.from(bad), 'base64', { sink });
    assert.equal(p.path, '/edXML/AttachmentEncoded/Attachment/ContentTransferEncoded');
    assert.deepEqual(aborted, ['cv125.pdf']);
  });

  it('base64 with a byte that only a Unicode-aware whitespace test would skip (no-break space 0xA0)', async () => {
    const good = await buildPackageBytes(samplePackage(), SAMPLE_FILES, 'none');
    const at = good.indexOf('<edXML:ContentTransferEncoded>') + '<edXML:ContentTransferEncoded>'.length + 8;
    const bad = Buffer.concat([good.subarray(0, at), Buffer.from([0xa0]), good.subarray(at)]);
    await refused(bad, 'base64');
  });

  it('base64 that is cut short', async () => {
    const good = (await buildPackageBytes(samplePackage(), SAMPLE_FILES, 'none')).toString('utf8');
    await refused(
      Buffer.from(good.replace(/([A-Za-z0-9+/=]{3})<\/edXML:ContentTransferEncoded>/, '</edXML:ContentTransferEncoded>')),
      'base64',
    );
  });

  it('a 2 GB declared length is refused before a byte is read', async () => {
    const { source, stats } = endless('A', 10);
    const p = await refused(source, 'limits', { declaredLength: 2 * 1024 ** 3 });
    assert.match(p.en, /declares 2147483648 bytes/);
    assert.equal(stats.pulled, 0);
  });

  it('a stream longer than the limit stops at the limit', async () => {
    const good = (await buildPackageBytes(samplePackage(), SAMPLE_FILES, 'none')).toString('utf8');
    const start = good.indexOf('<edXML:ContentTransferEncoded>') + '<edXML:ContentTransferEncoded>'.length;
    const { source, stats } = endless('QUFB'.repeat(16 * 1024), 1_000_000, good.slice(0, start));
    await refused(source, 'limits', { limits: { maxBytes: 8 * 1024 * 1024 } });
    assert.ok(stats.pulled < 9 * 1024 * 1024);
  });

  it('a document that just stops', async () => {
    await refused(Buffer.from(`${HEAD}<edXML ${NS}><edXMLEnvelope>`), 'well-formed');
    await refused(Buffer.from(''), 'well-formed');
  });
});
