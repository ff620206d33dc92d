import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';

/**
 * Runs `program` (an ES module) in a process of its own, started with `nice` steps of nice when
 * given; ends it after 60 s, its code then null.
 */
export async function runProgram(
  program: string,
  options: { nice?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // From a file: worker threads inherit the flags, and --input-type would stop them.
  const folder = mkdtempSync(join(tmpdir(), 'vanban-hub-program-'));
  const file = join(folder, 'program.mjs');
  writeFileSync(file, program);
  const node = [process.execPath, '--import', 'tsx', file];
  const [command, ...args] = options.nice === undefined ? node : ['nice', '-n', String(options.nice), ...node];
  try {
    const child = spawn(command!, args, { timeout: 60_000, killSignal: 'SIGKILL' });
    const [stdout, stderr, code] = await Promise.all([
      buffer(child.stdout),
      buffer(child.stderr),
      new Promise<number | null>((exited) => child.once('exit', exited)),
    ]);
    return { code, stdout: stdout.toString(), stderr: stderr.toString() };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
