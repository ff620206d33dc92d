import { connect, loadMigrations, migrate } from '@vanban/db';
import { join } from 'node:path';

export const MIGRATIONS_DIR = join(import.meta.dirname, '..', 'migrations');

/** Applies the hub's migrations (its own scope: the hub may share a database server with an office). */
export async function migrateHub(url: string): Promise<string[]> {
  const database = connect(url, { max: 1 });
  try {
    return await migrate(database.pool, 'hub', loadMigrations(MIGRATIONS_DIR));
  } finally {
    await database.close();
  }
}
