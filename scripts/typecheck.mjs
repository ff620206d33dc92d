// Type-checks every workspace with its own tsconfig (strict, no emit).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
let failed = false;
for (const ws of ['.', ...workspaces]) {
  if (!existsSync(join(root, ws, 'tsconfig.json'))) continue;
  // A workspace whose sources are not written yet has nothing to check.
  if (ws !== '.' && !(existsSync(join(root, ws, 'src')) && readdirSync(join(root, ws, 'src')).length)) continue;
  // A workspace whose tests need another environment than its sources (the browser app) has a test/tsconfig.json.
  for (const project of [join(root, ws), join(root, ws, 'test', 'tsconfig.json')]) {
    if (!existsSync(project)) continue;
    const r = spawnSync(process.execPath, [tsc, '-p', project], { stdio: 'inherit' });
    if (r.status !== 0) {
      console.error(`typecheck failed in ${project}`);
      failed = true;
    }
  }
}
process.exit(failed ? 1 : 0);
