import { ensureDatabase, resolveServer } from '@vanban/db';
import { join, resolve } from 'node:path';

export interface OpenDatabase {
  /** The office's database. */
  readonly url: string;
  /** Whether vanban runs its own embedded PostgreSQL (no DATABASE_URL). */
  readonly embedded: boolean;
  stop(): Promise<void>;
}

export function dataDirOf(option: string | undefined): string {
  return resolve(option ?? process.env.VANBAN_DATA ?? 'data');
}

/**
 * The office's database: DATABASE_URL as given, or the `vanban` database on an
 * embedded PostgreSQL kept in `<data>/postgres`. Other parts (the demo's hubs) get a database of
 * their own, by name, on the same server.
 */
export async function openDatabase(dataDir: string, name = 'vanban'): Promise<OpenDatabase> {
  const server = await resolveServer({ dataDir: join(dataDir, 'postgres') });
  if (!server.embedded && name === 'vanban') return { url: server.adminUrl, embedded: false, stop: server.stop };
  try {
    return { url: await ensureDatabase(server.adminUrl, name), embedded: server.embedded, stop: server.stop };
  } catch (err) {
    await server.stop();
    throw err;
  }
}
