/**
 * Property-based fuzzing of the reader: damaged copies of real-looking packages (ours, other
 * vendors', generated ones, status messages) must be read or refused with problems, never
 * crash and never hang. Usage: npx tsx packages/edxml/fuzz/fuzz.ts [--minutes 10] [--seed N]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { buildPackageBytes, buildStatus, readEdxml } from '../src/index.js';
import { edxmlPackage } from '../test/arbitraries.js';
import { mutate } from '../test/mutations.js';
import { SAMPLE_FILES, samplePackage, sampleStatus } from '../test/samples.js';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, seed: { type: 'string' } } });
const minutes = Number(values.minutes);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
const fixtures = join(import.meta.dirname, '..', 'test', 'fixtures');

const seeds = [
  await buildPackageBytes(samplePackage(), SAMPLE_FILES, 'none'),
  buildStatus(sampleStatus()),
  ...['vendor-default-namespace.xml', 'vendor-iso-cdata.xml', 'vendor-status.xml'].map((f) => readFileSync(join(fixtures, f))),
];
const generated = edxmlPackage.chain(({ pkg, files }) => fc.constant({ pkg, files }));

let runs = 0;
let refused = 0;
const input = fc.oneof(
  fc.constantFrom(...seeds).chain((good) => mutate(good)),
  generated.map(({ pkg, files }) => ({ pkg, files })).chain((g) => fc.constant(g)),
);

const started = Date.now();
const property = fc.asyncProperty(input, async (value) => {
  runs++;
  const bytes = Buffer.isBuffer(value) ? value : await buildPackageBytes(value.pkg, value.files, 'none');
  const result = await readEdxml(bytes);
  if (!result.ok) {
    refused++;
    if (!result.problems.length || result.problems.some((p) => !p.path.startsWith('/') || !p.vi || !p.en))
      throw new Error('a refusal without a clear problem');
  } else if (!Buffer.isBuffer(value) && result.kind !== 'package') throw new Error('a generated package read as something else');
});

const outcome = await fc.check(property, {
  seed,
  numRuns: Number.MAX_SAFE_INTEGER,
  interruptAfterTimeLimit: minutes * 60_000,
  timeout: 10_000,
  markInterruptAsFailure: false,
});
const seconds = ((Date.now() - started) / 1000).toFixed(0);
if (outcome.failed) {
  console.error(fc.defaultReportMessage(outcome));
  process.exit(1);
}
console.log(
  `edxml fuzz: seed ${seed}, ${runs} inputs in ${seconds} s (${refused} refused with problems, ${runs - refused} read), no crash, no hang over 10 s`,
);
