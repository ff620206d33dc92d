import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { samplePackage, sampleStatus } from '@vanban/edxml/testing';
import type { FileVerification } from '@vanban/pki';
import { decideAcceptance, type AcceptanceInput } from '../src/acceptance.js';
import { appendTrace, TraceError } from '../src/trace.js';

const HUB = '000.00.00.G22';
const valid: FileVerification = { kind: 'edxml', signatures: [], attachments: [], findings: [], verdict: 'valid' };
const table = {
  localAgencies: new Map([
    ['000.00.00.H99', 'office-a'],
    ['000.00.04.H99', 'office-b'],
    ['000.00.09.H99', 'office-b'],
  ]),
  peerRoutes: [{ pattern: '*.H44', peerId: 'hub-h44' }],
};
const input = (over: Partial<AcceptanceInput> = {}): AcceptanceInput => ({
  message: { kind: 'package', package: samplePackage() },
  speaksFor: new Set(['000.00.00.H99']),
  verification: valid,
  classification: null,
  table,
  hubCode: HUB,
  hops: [],
  envelope: null,
  ...over,
});

describe('what the hub accepts', () => {
  it('a signed package from an agency its system speaks for, to known agencies: one recipient each', () => {
    const d = decideAcceptance(input());
    assert.ok(d.ok);
    assert.deepEqual(
      d.accepted.recipients.map((r) => [r.code, r.target]),
      [
        ['000.00.04.H99', { kind: 'system', systemId: 'office-b' }],
        ['000.00.09.H99', { kind: 'system', systemId: 'office-b' }],
      ],
    );
  });

  it('routes an agency of another province to the hub that serves it; a peer hub may speak for anyone', () => {
    const p = samplePackage();
    p.to = [{ agencyCode: '000.00.01.H44', name: 'Sở Tài chính tỉnh khác' }];
    const d = decideAcceptance(input({ message: { kind: 'package', package: p }, speaksFor: null }));
    assert.ok(d.ok);
    assert.deepEqual(d.accepted.recipients[0]!.target, { kind: 'peer', peerId: 'hub-h44' });
  });

  it('sends a status message back to the agency that issued the document', () => {
    const status = sampleStatus();
    const d = decideAcceptance(
      input({ message: { kind: 'status', status }, speaksFor: new Set([status.from.agencyCode]), verification: null }),
    );
    assert.ok(d.ok);
    assert.deepEqual(
      d.accepted.recipients.map((r) => r.code),
      [status.responseFor.agencyCode],
    );
    assert.equal(d.accepted.kind, 'status');
    assert.equal(d.accepted.status, '03', 'the code is on the record');
  });

  it('records what a package does: a replacement names the document it replaces', () => {
    const p = samplePackage();
    p.business = { ...p.business, kind: 'replace', documentId: '000.00.00.H99,2026/11/02,88/UBND-VP', reason: 'Sai số liệu' };
    const d = decideAcceptance(input({ message: { kind: 'package', package: p } }));
    assert.ok(d.ok);
    assert.equal(d.accepted.business, 'replace');
    assert.equal(d.accepted.relatedDocumentId, '000.00.00.H99,2026/11/02,88/UBND-VP');
  });

  for (const [name, over, check] of [
    ['another agency’s package', { speaksFor: new Set(['000.00.04.H99']) }, 'sender'],
    ['a package whose signature is not valid', { verification: { ...valid, verdict: 'indeterminate' } }, 'signature'],
    ['an unchecked package', { verification: null }, 'signature'],
    ['a classified document', { classification: 'confidential' }, 'classified'],
  ] as const) {
    it(`refuses ${name} (${check})`, () => {
      const d = decideAcceptance(input(over as Partial<AcceptanceInput>));
      assert.equal(d.ok ? null : d.refusal.check, check);
    });
  }

  it('refuses a package that already passed this hub, and one to an agency nobody serves', () => {
    const looping = samplePackage();
    looping.traces.push({ agencyCode: HUB, at: '2026-11-25T08:00:00' });
    const loop = decideAcceptance(input({ message: { kind: 'package', package: looping } }));
    assert.equal(loop.ok ? null : loop.refusal.check, 'loop');
    const lost = samplePackage();
    lost.to.push({ agencyCode: '000.00.01.H98', name: 'Không ai phục vụ' });
    const unknown = decideAcceptance(input({ message: { kind: 'package', package: lost } }));
    assert.ok(!unknown.ok);
    assert.equal(unknown.refusal.check, 'recipients');
    assert.deepEqual(unknown.refusal.details, { unknown: ['000.00.01.H98'] });
  });

  it('refuses a status message that already passed this hub, known from the hops the previous hub names', () => {
    const status = sampleStatus();
    const d = decideAcceptance(
      input({ message: { kind: 'status', status }, speaksFor: null, verification: null, hops: ['000.00.00.G01', HUB] }),
    );
    assert.equal(d.ok ? null : d.refusal.check, 'loop');
  });

  it('delivers only the recipients on the envelope when the previous hub split the list, and refuses an envelope naming others', () => {
    const split = decideAcceptance(input({ speaksFor: null, envelope: ['000.00.09.H99'] }));
    assert.ok(split.ok);
    assert.deepEqual(
      split.accepted.recipients.map((r) => r.code),
      ['000.00.09.H99'],
    );
    const stray = decideAcceptance(input({ speaksFor: null, envelope: ['000.00.09.H99', '000.00.01.H44'] }));
    assert.ok(!stray.ok);
    assert.equal(stray.refusal.check, 'recipients');
    assert.deepEqual(stray.refusal.details, { outside: ['000.00.01.H44'] });
  });
});

describe('the trace a hub appends', () => {
  it('goes last in TraceHeaderList, in the document’s own prefix, in Vietnam time, and changes nothing else', () => {
    const xml = Buffer.from(
      '<e:edXML xmlns:e="x"><e:TraceHeaderList><e:TraceHeader/>\n  </e:TraceHeaderList><e:Body>\u00e1</e:Body></e:edXML>',
    );
    const out = Buffer.concat(appendTrace(xml, HUB, new Date('2026-11-25T01:02:03Z'))).toString('utf8');
    assert.equal(
      out,
      '<e:edXML xmlns:e="x"><e:TraceHeaderList><e:TraceHeader/>\n  <e:TraceHeader><e:OrganId>000.00.00.G22</e:OrganId><e:Timestamp>2026/11/25 08:02:03</e:Timestamp></e:TraceHeader></e:TraceHeaderList><e:Body>\u00e1</e:Body></e:edXML>',
    );
    const bare = Buffer.concat(
      appendTrace(Buffer.from('<edXML><TraceHeaderList></TraceHeaderList></edXML>'), HUB, new Date('2026-11-25T17:00:00Z')),
    );
    assert.match(
      bare.toString(),
      /<TraceHeader><OrganId>000\.00\.00\.G22<\/OrganId><Timestamp>2026\/11\/26 00:00:00<\/Timestamp><\/TraceHeader><\/TraceHeaderList>/,
    );
  });

  it('goes after the last TraceHeader and before Bussiness, where the schema wants it, so a second hub can add its own', () => {
    const xml = Buffer.from(
      '<e:TraceHeaderList><e:TraceHeader><e:OrganId>A</e:OrganId></e:TraceHeader><e:Bussiness><e:BussinessDocType>0</e:BussinessDocType></e:Bussiness></e:TraceHeaderList>',
    );
    const twice = Buffer.concat(appendTrace(Buffer.concat(appendTrace(xml, HUB, new Date())), '000.00.00.G01', new Date())).toString(
      'utf8',
    );
    assert.match(
      twice,
      /^<e:TraceHeaderList><e:TraceHeader><e:OrganId>A<\/e:OrganId><\/e:TraceHeader><e:TraceHeader><e:OrganId>000\.00\.00\.G22<\/e:OrganId>.*?<\/e:TraceHeader><e:TraceHeader><e:OrganId>000\.00\.00\.G01<\/e:OrganId>.*?<\/e:TraceHeader><e:Bussiness>/,
    );
  });

  it('finds the list wherever it ends in the first 4 MiB, even across the first 64 KiB looked at', () => {
    const pad = (n: number) => `<!--${' '.repeat(n)}-->`;
    for (const before of [64 * 1024 - 30, 200 * 1024]) {
      const xml = Buffer.from(`<edXML>${pad(before)}<TraceHeaderList></TraceHeaderList><Body/></edXML>`);
      const out = Buffer.concat(appendTrace(xml, HUB, new Date())).toString('utf8');
      assert.match(out, /<TraceHeaderList><TraceHeader><OrganId>000\.00\.00\.G22<\/OrganId>.*<\/TraceHeader><\/TraceHeaderList><Body\/>/);
      assert.equal(out.length, xml.length + out.indexOf('</TraceHeaderList>') - xml.indexOf('</TraceHeaderList>'));
    }
  });

  it('needs a TraceHeaderList', () => {
    assert.throws(() => appendTrace(Buffer.from('<edXML/>'), HUB, new Date()), TraceError);
  });
});
