import { ensureDatabase, resolveServer } from '@vanban/db';
import { join, resolve } from 'node:path';

export interface OpenDatabase {
  /** The office's database. */
  readonly url: string;
  /** Whether vanban runs its own embedded PostgreSQL (no DATABASE_URL). */
  readonly embedded: boolean;
  /**
   * Another database on the same server (created if missing) for a part that keeps its own, the
   * demo's hubs: named after the office's, `vanban_hub` beside `vanban`.
   */
  another(suffix: string): Promise<string>;
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
  const base = server.embedded ? name : new URL(server.adminUrl).pathname.slice(1) || name;
  const another = (suffix: string) => ensureDatabase(server.adminUrl, `${base}_${suffix}`);
  if (!server.embedded && name === 'vanban') return { url: server.adminUrl, embedded: false, another, stop: server.stop };
  try {
    return { url: await ensureDatabase(server.adminUrl, name), embedded: server.embedded, another, stop: server.stop };
  } catch (err) {
    await server.stop();
    throw err;
  }
}
