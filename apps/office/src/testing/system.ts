import { connect, createTestDatabase } from '@vanban/db';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertificateAuthority } from '@vanban/pki';
import { seedDemoCredentials } from '../demo/credentials.js';
import { seedDemoProvince } from '../demo/seed.js';
import { startOffice, type RunningOffice } from '../office.js';
import type { OfficeSchema } from '../schema.js';

export const WEB_ROOT = join(import.meta.dirname, '..', '..', '..', 'web', 'dist');

export interface TestSystem {
  readonly url: string;
  readonly office: RunningOffice;
  stop(): Promise<void>;
}

/**
 * A whole office for one test file: its own database on the test server,
 * migrated, with the demo province, listening on a free loopback port and
 * serving the built web app. With `credentialsFor`, a demo CA is created, trusted,
 * and gives those agencies (by code) and their leaders their certificates.
 */
export async function startTestSystem(options: { demo?: boolean; credentialsFor?: readonly string[] } = {}): Promise<TestSystem> {
  const testDb = await createTestDatabase();
  const filesDir = mkdtempSync(join(tmpdir(), 'vanban-files-'));
  try {
    const ca = options.credentialsFor
      ? await CertificateAuthority.create(join(filesDir, 'ca'), { name: 'vanban Test', baseUrl: 'http://ca.test' })
      : null;
    const office = await startOffice({
      databaseUrl: testDb.url,
      host: '127.0.0.1',
      port: 0,
      webRoot: WEB_ROOT,
      filesDir,
      ...(ca ? { trust: ca.trustList(), revocation: ca.fetcher() } : {}),
    });
    if (options.demo !== false) {
      const db = connect<OfficeSchema>(testDb.url, { max: 2 });
      try {
        await seedDemoProvince(db.db);
        if (ca && options.credentialsFor) await seedDemoCredentials(db.db, ca, { agencyCodes: options.credentialsFor });
      } finally {
        await db.close();
      }
    }
    return {
      url: office.url,
      office,
      stop: async () => {
        await office.stop();
        await testDb.drop();
        rmSync(filesDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await testDb.drop();
    rmSync(filesDir, { recursive: true, force: true });
    throw err;
  }
}
