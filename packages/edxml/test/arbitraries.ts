import fc from 'fast-check';
import { URGENCIES, BUSINESS_KINDS, type EdxmlPackage, type Organization } from '../src/index.js';
import { digest } from './samples.js';

const LETTERS = [...'aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ0123456789'];
const PUNCTUATION = [...' ,.;:/-()"\'&<>%#'];
const WHITESPACE = ['\n', '\t', '\r', ' '];

/** Free text as people write it: Vietnamese, punctuation XML must escape, line breaks. */
export const text = fc.string({ unit: fc.constantFrom(...LETTERS, ...PUNCTUATION, ...WHITESPACE), maxLength: 40 });
/** Text the schema requires to hold something besides whitespace. */
export const someText = fc.tuple(fc.constantFrom(...LETTERS), text).map(([a, b]) => a + b);
/** Codes, ids and numbers: no surrounding whitespace. */
export const code = fc.string({ unit: fc.constantFrom(...LETTERS, '-', '/', '.', ','), minLength: 1, maxLength: 30 });
export const isoDate = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
export const isoTimestamp = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 19));

const two = fc.integer({ min: 1, max: 99 }).map((n) => String(n).padStart(2, '0'));
export const agencyCode = fc
  .record({
    level: fc.integer({ min: 1, max: 4 }),
    g1: fc.constantFrom('G', 'H', 'K').chain((l) => two.map((d) => l + d)),
    g2: two,
    g3: two,
    g4: fc.integer({ min: 1, max: 999 }),
  })
  .map(
    ({ level, g1, g2, g3, g4 }) =>
      `${level >= 4 ? String(g4).padStart(3, '0') : '000'}.${level >= 3 ? g3 : '00'}.${level >= 2 ? g2 : '00'}.${g1}`,
  );

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

export const organization: fc.Arbitrary<Organization> = fc.record(
  { agencyCode, organizationInCharge: text, name: text, address: text, email: text, telephone: text, fax: text, website: text },
  { requiredKeys: ['agencyCode'] },
);

const files = fc.uniqueArray(fc.tuple(code, fc.uint8Array({ maxLength: 300 })), { selector: ([id]) => id, maxLength: 4 });

export const edxmlPackage: fc.Arbitrary<{ pkg: EdxmlPackage; files: Map<string, Uint8Array> }> = fc
  .record({
    from: organization,
    to: fc.uniqueArray(organization, { selector: (o) => o.agencyCode, minLength: 1, maxLength: 4 }),
    documentId: opt(code),
    number: code,
    notation: code,
    issuePlace: opt(text),
    issueDate: isoDate,
    documentTypeCode: opt(code),
    documentTypeDetail: opt(text),
    documentTypeName: someText,
    subject: someText,
    content: opt(text),
    signer: opt(fc.record({ competence: text, position: text, fullName: text }, { requiredKeys: [] })),
    dueDate: opt(isoDate),
    recipientsText: opt(fc.array(text, { maxLength: 3 })),
    urgency: fc.constantFrom(...URGENCIES),
    sphereOfPromulgation: opt(text),
    typistNotation: opt(text),
    copies: opt(fc.integer({ min: 0, max: 999_999_999 })),
    pages: opt(fc.integer({ min: 0, max: 999_999_999 })),
    appendixes: opt(fc.array(text, { maxLength: 3 })),
    responseFor: fc.uniqueArray(fc.record({ agencyCode, code: text, issueDate: isoDate, documentId: code }), {
      selector: (r) => r.documentId,
      maxLength: 3,
    }),
    steeringType: opt(text),
    traces: fc.array(fc.record({ agencyCode, at: isoTimestamp }), { maxLength: 3 }),
    business: opt(
      fc.record(
        {
          kind: fc.constantFrom(...BUSINESS_KINDS),
          reason: someText,
          documentId: code,
          paperCopyFollows: fc.boolean(),
          staff: fc.record({ department: text, name: text, email: text, mobile: text }, { requiredKeys: [] }),
          documentInfo: fc.record(
            {
              documentInfo: text,
              documentReceiver: text,
              receivers: fc.array(fc.record({ receiverType: code, agencyCode }), { maxLength: 2 }),
            },
            { requiredKeys: ['receivers'] },
          ),
          replacements: fc.uniqueArray(fc.record({ documentId: code, agencyCodes: fc.array(agencyCode, { maxLength: 2 }) }), {
            selector: (r) => r.documentId,
            maxLength: 2,
          }),
        },
        { requiredKeys: ['kind', 'reason'] },
      ),
    ),
    files,
    descriptions: fc.array(opt(text), { minLength: 4, maxLength: 4 }),
    types: fc.array(code, { minLength: 4, maxLength: 4 }),
    names: fc.array(someText, { minLength: 4, maxLength: 4 }),
  })
  .filter((r) => r.documentId === undefined || !r.responseFor.some((x) => x.documentId === r.documentId))
  .map(({ files, descriptions, types, names, ...fields }) => {
    const manifest = files.map(([contentId], i) => ({
      contentId,
      contentType: types[i]!,
      name: names[i]!,
      ...(descriptions[i] === undefined ? {} : { description: descriptions[i] }),
    }));
    // Through JSON, so that the records fast-check builds (without a prototype) compare equal to what is read.
    const pkg = JSON.parse(
      JSON.stringify({
        ...fields,
        signature: { kind: 'none' as const },
        manifest,
        attachments: files.map(([id, bytes]) => digest(id, bytes)),
      }),
    ) as EdxmlPackage;
    return { pkg, files: new Map(files) };
  });
