import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { buildPackageBytes, readEdxml } from '../src/index.js';
import { edxmlPackage } from './arbitraries.js';
import { mutate } from './mutations.js';
import { SAMPLE_FILES, samplePackage } from './samples.js';

describe('round trip over generated packages', () => {
  it('reading what was written gives back the same package, and writing it again the same bytes', async () => {
    await fc.assert(
      fc.asyncProperty(edxmlPackage, async ({ pkg, files }) => {
        const bytes = await buildPackageBytes(pkg, files, 'none');
        const result = await readEdxml(bytes);
        assert.ok(result.ok && result.kind === 'package', JSON.stringify(result.ok ? result.warnings : result.problems));
        assert.deepEqual(result.package, pkg);
        assert.deepEqual(await buildPackageBytes(result.package, files, 'none'), bytes);
      }),
      { numRuns: 150 },
    );
  });

  it('damaged packages are refused or read, never crash the reader', async () => {
    const good = await buildPackageBytes(samplePackage(), SAMPLE_FILES, 'none');
    await fc.assert(
      fc.asyncProperty(mutate(good), async (bytes) => {
        const result = await readEdxml(bytes);
        if (!result.ok) assert.ok(result.problems.length > 0 && result.problems.every((p) => p.path.startsWith('/') && p.vi && p.en));
      }),
      { numRuns: 300 },
    );
  });
});
