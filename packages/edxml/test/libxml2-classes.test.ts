import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';

const MODULE = pathToFileURL(join(import.meta.dirname, '..', 'src', 'libxml2.ts')).href;

/**
 * Asks V8 (`%GetOptimizationStatus`, behind --allow-natives-syntax) whether the constructor of each
 * of libxml2-wasm's decorated classes gets optimized when told to, after importing ours and, as a
 * control, for three of them with libxml2-wasm imported alone.
 */
function optimizedConstructions(imported: 'ours' | 'libxml2-wasm alone'): Record<string, boolean> {
  const classes =
    imported === 'ours'
      ? `const { DECORATED_CLASSES } = await import(${JSON.stringify(MODULE)});`
      : `const { XmlElement, XmlText, XmlDocument } = await import('libxml2-wasm');
         const DECORATED_CLASSES = [XmlElement, XmlText, XmlDocument];`;
  const script = `
    ${classes}
    const OPTIMIZED = 1 << 4;
    const result = {};
    const natives = (call) => new Function('f', call);
    for (const C of DECORATED_CLASSES) {
      natives('%PrepareFunctionForOptimization(f)')(C);
      new C(0);
      new C(0);
      natives('%OptimizeFunctionOnNextCall(f)')(C);
      new C(0);
      result[C.name] = (natives('return %GetOptimizationStatus(f)')(C) & OPTIMIZED) !== 0;
    }
    console.log(JSON.stringify(result));
  `;
  const run = spawnSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: join(import.meta.dirname, '..'),
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as Record<string, boolean>;
}

test('code that makes libxml2-wasm’s nodes, documents and validators can be optimized', (t) => {
  const result = optimizedConstructions('ours');
  assert.equal(Object.keys(result).length, 18);
  assert.deepEqual(
    Object.entries(result).filter(([, optimized]) => !optimized),
    [],
  );
  // A later V8 may optimize these without help; then libxml2.ts's loop is no longer needed, which is news, not a failure.
  const alone = optimizedConstructions('libxml2-wasm alone');
  if (Object.values(alone).some(Boolean)) t.diagnostic(`this V8 optimizes libxml2-wasm's classes as they are: ${JSON.stringify(alone)}`);
});
