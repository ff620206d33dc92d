import { createServer } from 'node:net';
import { startEmbeddedPostgres } from './embedded.js';

export interface ServerHandle {
  /** URL of a database on the server with the right to create databases. */
  readonly adminUrl: string;
  /** True when vanban started the server itself and must stop it. */
  readonly embedded: boolean;
  stop(): Promise<void>;
}

/** A port the kernel says is free now. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * `DATABASE_URL` when it is set (a PostgreSQL server run elsewhere), otherwise
 * an embedded PostgreSQL started here with its data in `dataDir`.
 */
export async function resolveServer(options: {
  dataDir: string;
  port?: number;
  env?: NodeJS.ProcessEnv;
  onLog?: (line: string) => void;
}): Promise<ServerHandle> {
  const env = options.env ?? process.env;
  if (env.DATABASE_URL) {
    return { adminUrl: env.DATABASE_URL, embedded: false, stop: async () => undefined };
  }
  const server = await startEmbeddedPostgres({
    dataDir: options.dataDir,
    port: options.port ?? (await freePort()),
    ...(options.onLog ? { onLog: options.onLog } : {}),
  });
  return { adminUrl: server.url, embedded: true, stop: () => server.stop() };
}
