// Runs every *.test.ts / *.test.tsx of the workspaces with node:test through tsx
// (Node 20's --test does not expand globs, so the files are listed here).
// Unless DATABASE_URL is set, one embedded PostgreSQL serves the whole run and
// each test file creates its own database in it.
// Usage: tsx scripts/test.ts [part-of-path ...]
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { resolveServer } from '@vanban/db';

const root = join(import.meta.dirname, '..');
const filters = process.argv.slice(2);

function collect(dir: string, out: string[]): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (/\.test\.tsx?$/.test(name)) out.push(relative(root, path));
  }
  return out;
}

const files = ['packages', 'apps', 'bench', 'scripts']
  .flatMap((dir) => collect(join(root, dir), []))
  .filter((f) => filters.length === 0 || filters.some((part) => f.includes(part)))
  .sort();
if (files.length === 0) {
  console.error('No test files match.');
  process.exit(1);
}

const dataDir = join(root, 'data', 'test-postgres');
if (!process.env.DATABASE_URL) rmSync(dataDir, { recursive: true, force: true });
const server = await resolveServer({ dataDir });
// The tests' temporary folders (CAs, blob stores, browser profiles) go into one folder, removed at
// the end whatever the tests left. Open to all, as /tmp is: the embedded PostgreSQL of a test runs as
// another user.
const scratch = mkdtempSync(join(tmpdir(), 'vanban-tests-'));
chmodSync(scratch, 0o1777);
/** One node:test run over `list`; resolves with its exit code. */
function run(list: string[], concurrency: number): Promise<number> {
  if (list.length === 0) return Promise.resolve(0);
  return new Promise<number>((resolveCode) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...list], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, VANBAN_TEST_ADMIN_URL: server.adminUrl, TMPDIR: scratch },
    });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward).on('SIGTERM', forward);
    child.on('exit', (status) => {
      process.off('SIGINT', forward).off('SIGTERM', forward);
      resolveCode(status ?? 1);
    });
  });
}

// The tests under bench/ (the crash test) load every core with processes of their own: they run
// last and alone, so that they neither slow the browser tests past their timeouts nor are slowed.
const heavy = files.filter((f) => f.startsWith('bench/'));
let code: number;
try {
  code = await run(
    files.filter((f) => !heavy.includes(f)),
    2,
  );
  const heavyCode = await run(heavy, 1);
  code = code || heavyCode;
} finally {
  await server.stop();
  if (server.embedded) rmSync(dataDir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(code);
