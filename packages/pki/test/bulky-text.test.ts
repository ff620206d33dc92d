import { strict as assert } from 'node:assert';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { ParseOption, XmlC14NMode, XmlDocument, type C14NOptions } from '@vanban/edxml/libxml2';
import { SplicingHash, setAsideBulkyText } from '../src/bulky-text.js';

const PARSE = { option: ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_HUGE };
const MODES: [string, C14NOptions][] = [
  ['exclusive', { mode: XmlC14NMode.XML_C14N_EXCLUSIVE_1_0 }],
  ['1.0 with comments', { mode: XmlC14NMode.XML_C14N_1_0, withComments: true }],
  ['1.1', { mode: XmlC14NMode.XML_C14N_1_1 }],
];

function canonical(xml: Uint8Array, options: C14NOptions): Buffer {
  const doc = XmlDocument.fromBuffer(xml, PARSE);
  try {
    const chunks: Buffer[] = [];
    doc.canonicalize({ write: (bytes) => (chunks.push(Buffer.from(bytes)), bytes.length), close: () => true }, options);
    return Buffer.concat(chunks);
  } finally {
    doc.dispose();
  }
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const base64 = (n: number) => randomBytes(n).toString('base64').replace(/.{76}/g, '$&\n');

describe('text set aside while a document is canonicalized', () => {
  const documents: [string, string, number][] = [
    ['an attachment', `<?xml version="1.0" encoding="UTF-8"?>\n<e:a xmlns:e="urn:e"><e:b>${base64(300)}</e:b></e:a>`, 1],
    ['two, beside small text', `<a><n>1 &amp; 2</n><b>${base64(200)}</b><c>x</c><b>${base64(150)}</b></a>`, 2],
    ['Vietnamese text', `<a><p>${'Ủy ban nhân dân tỉnh Bình An '.repeat(20)}</p></a>`, 1],
    ['a run in a comment', `<a><!-- > ${base64(200)} < --><b/></a>`, 1],
    ['a run in CDATA', `<a><![CDATA[${base64(200)}]]></a>`, 0],
    ['a run in a processing instruction', `<a><?note > ${base64(200)} <x?></a>`, 1],
    ['text with an entity and a CR reference', `<a>x &amp; ${base64(200)}&#13;</a>`, 0],
  ];

  for (const [what, xml, runs] of documents) {
    it(`gives the canonical bytes of the whole document: ${what}`, () => {
      const bytes = Buffer.from(xml);
      const bulky = setAsideBulkyText(bytes, 100);
      assert.equal(bulky?.runs.length ?? 0, runs);
      for (const [mode, options] of MODES) {
        const hash = createHash('sha256');
        const marked = canonical(bulky?.document ?? bytes, options);
        if (bulky) {
          const splicing = new SplicingHash(hash, bulky);
          splicing.write(marked);
          splicing.end();
        } else hash.update(marked);
        assert.equal(hash.digest('hex'), sha256(canonical(bytes, options)), mode);
      }
    });
  }

  it('puts each run back however the canonical bytes are cut into chunks', () => {
    const xml = Buffer.from(`<a><b>${base64(120)}</b><b>${base64(90)}</b></a>`);
    const bulky = setAsideBulkyText(xml, 100)!;
    assert.equal(bulky.runs.length, 2);
    const marked = canonical(bulky.document, MODES[0]![1]);
    const expected = sha256(canonical(xml, MODES[0]![1]));
    for (let size = 1; size <= bulky.token.length + 4; size++) {
      for (let offset = 0; offset < size; offset++) {
        const hash = createHash('sha256');
        const splicing = new SplicingHash(hash, bulky);
        splicing.write(marked.subarray(0, offset));
        for (let i = offset; i < marked.length; i += size) splicing.write(marked.subarray(i, i + size));
        splicing.end();
        assert.equal(hash.digest('hex'), expected, `chunks of ${size} from ${offset}`);
      }
    }
  });

  it('leaves text that a parser rewrites or canonicalization escapes, text outside the root and other encodings', () => {
    const run = base64(200);
    for (const xml of [
      `<a>${run}&amp;${run}</a>`,
      `<a>${run}\r\n${run}</a>`,
      `<a>${run} > ${run}</a>`,
      `<a x="1>2" y="${run}"/>`,
      `<a/>${' '.repeat(400)}`,
      `<?xml version="1.0" encoding="ISO-8859-1"?><a>${run}</a>`,
      `<?xml version="1.0"${' '.repeat(300)}encoding="windows-1258"?><a>${run}</a>`,
    ]) {
      assert.equal(setAsideBulkyText(Buffer.from(xml), 100), null, xml.slice(0, 60));
    }
    const utf16 = Buffer.from(`<a>${run}</a>`, 'utf16le');
    assert.equal(setAsideBulkyText(utf16, 100), null);
    assert.equal(setAsideBulkyText(Buffer.concat([Buffer.from([0xff, 0xfe]), utf16]), 100), null);
    assert.notEqual(setAsideBulkyText(Buffer.from(`\ufeff<?xml version="1.0" encoding="utf-8"?>\n<a>${run}</a>`), 100), null);
  });

  it('marks with a token of its own each time, and leaves short text be', () => {
    const xml = Buffer.from(`<a>${base64(200)}</a>`);
    assert.notDeepEqual(setAsideBulkyText(xml, 100)!.token, setAsideBulkyText(xml, 100)!.token);
    assert.equal(setAsideBulkyText(xml), null);
  });
});
