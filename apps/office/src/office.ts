import { BlobStore, connect, loadMigrations, migrate, type Database } from '@vanban/db';
import { CertificateVerifier, RevocationChecker, httpRevocationFetcher, type RevocationFetcher, type TrustList } from '@vanban/pki';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { join } from 'node:path';
import { HubClient, type BackoffPolicy } from '@vanban/exchange';
import { buildApp } from './app.js';
import { HubConnector } from './hub-connector/connector.js';
import { takeArrivals } from './incoming/intake.js';
import { takeStatuses } from './tracking/status-intake.js';
import { checkSmtpSettings, type SmtpSettings } from './notifications/mailer.js';
import { NotificationWorker } from './notifications/worker.js';
import { SearchTextWorker } from './search/text-worker.js';
import { refreshReportRollup } from './reports/rollup.js';
import { Rounds } from './tools/rounds.js';
import { preloadHolidays } from './calendar/store.js';
import type { OfficeSettings } from './http/context.js';
import type { OfficeSchema } from './schema.js';
import type { FileKeyStore } from './signing/agency-signing.js';

export const MIGRATIONS_DIR = join(import.meta.dirname, '..', 'migrations');

export const defaultSettings: OfficeSettings = { secureCookies: false, maxUploadBytes: 5 * 1024 * 1024 };

/** Applies the office's migrations to the database at `url` and loads its reference data. */
export async function migrateOffice(url: string): Promise<string[]> {
  const database = connect<OfficeSchema>(url, { max: 1 });
  try {
    const applied = await migrate(database.pool, 'office', loadMigrations(MIGRATIONS_DIR));
    // Reference data that lives beside the schema: the statutory holidays.
    await preloadHolidays(database.db);
    return applied;
  } finally {
    await database.close();
  }
}

export interface RunningOffice {
  readonly app: FastifyInstance;
  readonly database: Database<OfficeSchema>;
  /** Where it listens, e.g. http://127.0.0.1:3000 */
  readonly url: string;
  /** The link to the exchange hub, when the office is connected to one. */
  readonly hub: HubConnector | null;
  stop(): Promise<void>;
}

/** Where the office's exchange hub is and the certificates it talks to it with (PEM). */
export interface HubConnection {
  readonly url: string;
  readonly tls: { readonly key: string; readonly cert: string; readonly ca: string };
  /** How retries back off when the hub cannot be reached (1 s to 15 min by default). */
  readonly backoff?: BackoffPolicy;
}

/** Migrates, then serves the office API (and the web app when built) on host:port. */
export async function startOffice(options: {
  databaseUrl: string;
  host: string;
  port: number;
  /** Where uploaded and received files are kept. */
  filesDir: string;
  /** The certification authorities whose certificates the office accepts; without them signatures cannot be checked. */
  trust?: TrustList;
  /** How revocation is checked: over HTTP (OCSP, then CRL) unless told otherwise. */
  revocation?: RevocationFetcher;
  webRoot?: string;
  settings?: Partial<OfficeSettings>;
  logger?: FastifyServerOptions['logger'];
  /** Connects the office to an exchange hub: its outbox is sent there and what arrives fills its inbox. */
  hub?: HubConnection;
  /** Mails notifications through this SMTP server; without it they are shown in the app only. */
  smtp?: SmtpSettings;
  /** The private keys documents are signed with (the file backend); without it nothing is signed. */
  keys?: FileKeyStore;
}): Promise<RunningOffice> {
  if (options.smtp) checkSmtpSettings(options.smtp);
  await migrateOffice(options.databaseUrl);
  const database = connect<OfficeSchema>(options.databaseUrl, { max: 20 });
  const verifier = options.trust
    ? new CertificateVerifier(options.trust, new RevocationChecker(options.revocation ?? httpRevocationFetcher()))
    : null;
  const files = new BlobStore(options.filesDir);
  const app = await buildApp(
    { db: database.db, files, verifier, keys: options.keys ?? null, settings: { ...defaultSettings, ...options.settings } },
    { ...(options.webRoot ? { webRoot: options.webRoot } : {}), logger: options.logger ?? false },
  );
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (err) {
    await database.close();
    throw err;
  }
  const hubLog = app.log.child({ part: 'hub-connector' });
  const intake = async () => {
    const { taken, unplaced } = await takeArrivals({ db: database.db, files, verifier });
    for (const u of unplaced) hubLog.warn(u, 'an arrival could not be placed in any agency; it stays in the inbox');
    return taken + unplaced.length + (await takeStatuses(database.db, files));
  };
  const hub = options.hub
    ? new HubConnector({
        db: database.db,
        files,
        hub: new HubClient({ url: options.hub.url, tls: options.hub.tls }),
        ...(options.hub.backoff ? { backoff: options.hub.backoff } : {}),
        intake,
        listen: database.pool,
        logger: hubLog,
      })
    : null;
  hub?.start();
  const notifications = new NotificationWorker({
    db: database.db,
    smtp: options.smtp ?? null,
    logger: app.log.child({ part: 'notifications' }),
  });
  notifications.start();
  const searchTexts = new SearchTextWorker({ db: database.db, files, logger: app.log.child({ part: 'search-texts' }) });
  searchTexts.start();
  // The province's report counts what changed since the last count before it reads; counting every
  // minute keeps that read short even when nobody has asked for the report in weeks.
  const rollup = new Rounds(app.log.child({ part: 'report-rollup' }));
  rollup.every(20_000, 60_000, 'counting the report rollup', async () => {
    await refreshReportRollup(database.db);
  });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    app,
    database,
    url: `http://${options.host}:${port}`,
    hub,
    stop: async () => {
      await notifications.stop();
      await searchTexts.stop();
      await rollup.stop();
      await hub?.stop();
      await app.close();
      await database.close();
    },
  };
}
