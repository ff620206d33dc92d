import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabase } from './connection.js';

export interface TestDatabase {
  readonly url: string;
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
  return { url, drop: () => dropDatabase(adminUrl, name) };
}
