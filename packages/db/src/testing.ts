import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { dropDatabase, ensureDatabase } from './connection.js';

export interface TestDatabase {
  readonly url: string;
  /**
   * Ends every connection to the database and refuses new ones, as a server restart does while it
   * lasts; with `false`, takes connections again.
   */
  setAway(away: boolean): Promise<void>;
  drop(): Promise<void>;
}

/**
 * A new, empty database for one test file on the server the test runner
 * provides (`VANBAN_TEST_ADMIN_URL`, set by `npm test`), dropped afterwards.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.VANBAN_TEST_ADMIN_URL;
  if (!adminUrl) {
    throw new Error('No test database server: run the tests with `npm test`, which starts one (or sets it from DATABASE_URL).');
  }
  const name = `test_${randomBytes(6).toString('hex')}`;
  const url = await ensureDatabase(adminUrl, name);
  return {
    url,
    async setAway(away) {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS ${!away}`);
        if (away) await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      } finally {
        await admin.end();
      }
    },
    drop: () => dropDatabase(adminUrl, name),
  };
}
