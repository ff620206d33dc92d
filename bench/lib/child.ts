import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Issued } from '../../packages/pki/src/index.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'apps', 'cli', 'src', 'main.ts');

/** A child process that is up once it prints `ready`, and can be killed and started again. */
export class Child {
  #process: ChildProcess | null = null;
  constructor(
    readonly name: string,
    private readonly args: string[],
    private readonly env: NodeJS.ProcessEnv,
    private readonly ready: RegExp,
  ) {}

  async start(): Promise<void> {
    // BENCH_CPU_PROFILE=DIR: every child writes a V8 CPU profile there when it exits (Node refuses the flag in NODE_OPTIONS).
    const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
    const child = spawn(process.execPath, [...profile, '--import', 'tsx', ...this.args], {
      cwd: ROOT,
      env: { ...process.env, ...this.env },
    });
    this.#process = child;
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const seen = (chunk: Buffer) => {
        out += chunk.toString();
        if (this.ready.test(out)) resolve();
        if (out.length > 20_000) out = out.slice(-10_000);
      };
      child.stdout?.on('data', seen);
      child.stderr?.on('data', seen);
      child.once('exit', (code, signal) => reject(new Error(`${this.name} exited (${code ?? signal}) before it was ready:\n${out}`)));
    });
    child.removeAllListeners('exit');
  }

  /** The running process's id, once started. */
  get pid(): number | undefined {
    return this.#process?.pid;
  }

  kill(): Promise<void> {
    const child = this.#process;
    this.#process = null;
    if (!child || child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  async stop(): Promise<void> {
    const child = this.#process;
    this.#process = null;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const hard = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(hard);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}

/** A `vanban hub serve` process, its TLS certificates and the CA that trusts them from `caFile`. */
export function hubServeChild(
  name: string,
  hub: {
    databaseUrl: string;
    code: string;
    server: Issued;
    client: Issued;
    caFile: string;
    blobsDir: string;
    port: number;
    /** More options, such as `--lease-seconds 3`. */
    extra?: readonly string[];
  },
): Child {
  return new Child(
    name,
    [
      CLI,
      'hub',
      'serve',
      '--database',
      hub.databaseUrl,
      '--code',
      hub.code,
      '--tls-key',
      hub.server.keyFile,
      '--tls-cert',
      hub.server.certificateFile,
      '--tls-ca',
      hub.caFile,
      '--client-key',
      hub.client.keyFile,
      '--client-cert',
      hub.client.certificateFile,
      '--trust',
      hub.caFile,
      '--blobs',
      hub.blobsDir,
      '--port',
      String(hub.port),
      ...(hub.extra ?? []),
    ],
    { LOG_LEVEL: 'warn' },
    /Hub listening at/,
  );
}
