import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';

export interface Migration {
  /** `0001_directory.sql`: the number orders migrations, the name says what they do. */
  readonly name: string;
  readonly sql: string;
}

const NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;

/** Reads the numbered `.sql` files of a folder, in order; refuses a malformed or repeated number. */
export function loadMigrations(dir: string): Migration[] {
  const names = readdirSync(dir)
    .filter((n) => n.endsWith('.sql'))
    .sort();
  const seen = new Set<string>();
  return names.map((name) => {
    const m = NAME.exec(name);
    if (!m) throw new Error(`Migration file name ${name} must look like 0001_what_it_does.sql`);
    const number = m[1]!;
    if (seen.has(number)) throw new Error(`Two migrations in ${dir} share the number ${number}`);
    seen.add(number);
    return { name, sql: readFileSync(join(dir, name), 'utf8') };
  });
}

const checksum = (sql: string) => createHash('sha256').update(sql).digest('hex');

/**
 * Applies the migrations not yet applied, each in its own transaction, under an
 * advisory lock so that several processes starting at once apply each migration once.
 * A migration already applied whose text has changed is an error: history is not rewritten.
 * `scope` separates the migration histories of the systems sharing one database.
 */
export async function migrate(pool: pg.Pool, scope: string, migrations: readonly Migration[]): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`vanban-migrate:${scope}`]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      scope text NOT NULL,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (scope, name))`);
    const { rows } = await client.query<{ name: string; checksum: string }>(
      'SELECT name, checksum FROM schema_migrations WHERE scope = $1',
      [scope],
    );
    const done = new Map(rows.map((r) => [r.name, r.checksum]));
    for (const m of migrations) {
      const sum = checksum(m.sql);
      const previous = done.get(m.name);
      if (previous !== undefined) {
        if (previous !== sum) throw new Error(`Migration ${scope}/${m.name} was changed after it was applied`);
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (scope, name, checksum) VALUES ($1, $2, $3)', [scope, m.name, sum]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${scope}/${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
      applied.push(m.name);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`vanban-migrate:${scope}`]).catch(() => undefined);
    client.release();
  }
  return applied;
}
