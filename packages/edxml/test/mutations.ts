import fc from 'fast-check';

const TOKENS = [
  '<',
  '>',
  '&',
  '&amp;',
  '&#0;',
  '&#x110000;',
  ']]>',
  '<![CDATA[',
  '<!--',
  '-->',
  '<?xml',
  '<!DOCTYPE x>',
  '</',
  '/>',
  '"',
  '=',
  'xmlns:edXML="x"',
  '\u0000',
  '\uFFFE',
  'é',
  '💥',
  '\r\n',
];

/** Damaged copies of a document: flipped bytes, cuts, duplicated and inserted pieces, XML tokens in odd places. */
export function mutate(good: Buffer): fc.Arbitrary<Buffer> {
  const position = fc.integer({ min: 0, max: good.length });
  const one = fc.oneof(
    fc.tuple(position, fc.integer({ min: 0, max: 255 })).map(([at, byte]) => (b: Buffer) => {
      const copy = Buffer.from(b);
      if (copy.length) copy[Math.min(at, copy.length - 1)] = byte;
      return copy;
    }),
    position.map((at) => (b: Buffer) => b.subarray(0, Math.min(at, b.length))),
    fc.tuple(position, fc.integer({ min: 1, max: 200 })).map(
      ([at, length]) =>
        (b: Buffer) =>
          Buffer.concat([b.subarray(0, at), b.subarray(at + length)]),
    ),
    fc.tuple(position, position).map(
      ([from, to]) =>
        (b: Buffer) =>
          Buffer.concat([b.subarray(0, to), b.subarray(Math.min(from, to), Math.max(from, to)), b.subarray(to)]),
    ),
    fc.tuple(position, fc.constantFrom(...TOKENS)).map(
      ([at, token]) =>
        (b: Buffer) =>
          Buffer.concat([b.subarray(0, at), Buffer.from(token, 'utf8'), b.subarray(at)]),
    ),
  );
  return fc.array(one, { minLength: 1, maxLength: 4 }).map((steps) => steps.reduce((b, step) => step(b), good));
}
