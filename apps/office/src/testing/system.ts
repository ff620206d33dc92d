import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobStore, connect, createTestDatabase, freePort, type TestDatabase } from '@vanban/db';
import { assignAgencies, certificateFingerprint, registerSystem, startHub, type RunningHub } from '@vanban/hub';
import { CertificateAuthority, buildCaServer, type Issued } from '@vanban/pki';
import { seedDemoCredentials } from '../demo/credentials.js';
import { seedDemoProvince } from '../demo/seed.js';
import { PEER_AGENCY, seedPeerInstallation } from './peer.js';

export { PEER_AGENCY } from './peer.js';
/** A one-page document in the official layout, for tests that need a realistic PDF. */
export { paperPdf } from '../demo/letter-pdf.js';
import { sendAsAgency, type DocumentFields } from '../demo/traffic.js';
import { migrateOffice, startOffice, type HubConnection, type RunningOffice } from '../office.js';
import type { OfficeSchema } from '../schema.js';
import { AgencySigningError, type FileKeyStore } from '../signing/agency-signing.js';

export const WEB_ROOT = join(import.meta.dirname, '..', '..', '..', 'web', 'dist');

/** The demo province's hub, as in `vanban start`. */
export const TEST_HUB_CODE = '000.00.00.G99';
/** The connected system the office is at the hub. */
export const TEST_OFFICE_SYSTEM = 'office';

export interface TestSystemOptions {
  /** Seeds the demo province (the default). */
  readonly demo?: boolean;
  /** Creates a test CA the office trusts, and gives these agencies (by code) and their leaders their certificates. */
  readonly credentialsFor?: readonly string[];
  /**
   * Also starts a real exchange hub on its own database, with the office connected to it (mutual
   * TLS, certificates from the test CA) for every agency of the installation, so that what one
   * agency sends goes through the hub to another and the status messages come back.
   */
  readonly hub?: boolean;
  /**
   * With `hub`, also starts another installation (its own database and office) holding one agency,
   * `PEER_AGENCY`, connected to the same hub: what this installation sends it goes through the hub.
   */
  readonly peer?: boolean;
  /**
   * Serves the test CA over HTTP (OCSP, CRL) at the address its certificates name, so that tools
   * outside the process (`vanban verify`, pdfsig) can check revocation too.
   */
  readonly serveCa?: boolean;
}

export interface TestSystem {
  readonly url: string;
  readonly office: RunningOffice;
  stop(): Promise<void>;
}

/** What an agency's document says when sent through the hub by `TestExchangeSystem.send`; all optional. */
export type SendFields = Partial<DocumentFields>;

export interface TestExchangeSystem extends TestSystem {
  /** The exchange hub the office is connected to. */
  readonly hub: RunningHub;
  /** The CA that issued the hub's, the office's and the agencies' certificates; the office trusts it. */
  readonly ca: CertificateAuthority;
  /** The office's blob store, where its outbox's packages are kept. */
  readonly files: BlobStore;
  /** The agencies' private keys (the test CA's `issued` folder), for signing as an agency. */
  readonly keys: FileKeyStore;
  /**
   * Agency `fromCode` sends a signed edXML package through the hub to `toCodes`, as its clerk: queued
   * in the office's outbox and journalled, as the office's own sending does. Needs the sender among
   * `credentialsFor`. Resolves with the package's DocumentId once queued (not yet delivered).
   */
  send(fromCode: string, toCodes: readonly string[], fields?: SendFields): Promise<string>;
  /** The other installation and its file store, when asked for with `peer`. */
  readonly peer: (TestSystem & { readonly files: BlobStore }) | null;
}

/**
 * A whole office for one test file: its own database on the test server,
 * migrated, with the demo province, listening on a free loopback port and
 * serving the built web app. With `credentialsFor`, a demo CA is created, trusted,
 * and gives those agencies (by code) and their leaders their certificates.
 * With `hub: true`, a real exchange hub too (see `TestSystemOptions.hub`).
 */
export function startTestSystem(options: TestSystemOptions & { readonly hub: true }): Promise<TestExchangeSystem>;
export function startTestSystem(options?: TestSystemOptions): Promise<TestSystem>;
export async function startTestSystem(options: TestSystemOptions = {}): Promise<TestSystem | TestExchangeSystem> {
  // Each step registers how to undo it, so a failure half-way or stop() undoes exactly what was done.
  const undo: (() => Promise<void>)[] = [];
  // Every step is undone even when one fails; the first failure is then reported.
  const stop = async () => {
    const failures: unknown[] = [];
    for (const step of undo.splice(0).reverse()) await step().catch((error: unknown) => failures.push(error));
    if (failures.length > 0) throw failures[0];
  };
  try {
    const root = mkdtempSync(join(tmpdir(), 'vanban-system-'));
    undo.push(async () => rmSync(root, { recursive: true, force: true }));
    const filesDir = join(root, 'files');
    mkdirSync(filesDir);
    const testDb = await createTestDatabase();
    undo.push(() => testDb.drop());
    const caPort = options.serveCa ? await freePort() : null;
    const ca =
      options.credentialsFor || options.hub
        ? await CertificateAuthority.create(join(root, 'ca'), {
            name: 'vanban Test',
            baseUrl: caPort ? `http://127.0.0.1:${caPort}` : 'http://ca.test',
          })
        : null;
    if (ca && caPort) {
      const server = await buildCaServer(ca);
      await server.listen({ host: '127.0.0.1', port: caPort });
      undo.push(() => server.close());
    }
    // Seeded before the office starts, so that the hub knows every agency before the connector's first poll.
    await migrateOffice(testDb.url);
    if (options.demo !== false) {
      const db = connect<OfficeSchema>(testDb.url, { max: 2 });
      try {
        await seedDemoProvince(db.db);
        if (ca && options.credentialsFor) await seedDemoCredentials(db.db, ca, { agencyCodes: options.credentialsFor });
      } finally {
        await db.close();
      }
    }
    const exchange = ca && options.hub ? await startTestHub(ca, testDb.url, join(root, 'hub'), undo) : null;
    const peer = exchange && options.peer ? await startPeer(ca!, exchange, root, undo) : null;
    const office = await startOffice({
      databaseUrl: testDb.url,
      host: '127.0.0.1',
      port: 0,
      webRoot: WEB_ROOT,
      filesDir,
      ...(ca ? { trust: ca.trustList(), revocation: ca.fetcher() } : {}),
      ...(exchange ? { hub: exchange.connection } : {}),
      ...(ca ? { keys: { dir: join(root, 'ca', 'issued') } } : {}),
    });
    undo.push(() => office.stop());
    const system: TestSystem = { url: office.url, office, stop };
    if (!exchange || !ca) return system;
    const files = new BlobStore(filesDir);
    const keys: FileKeyStore = { dir: join(root, 'ca', 'issued') };
    const send = sender(office, files, keys);
    return { ...system, hub: exchange.hub, ca, files, keys, send, peer } satisfies TestExchangeSystem;
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}

interface TestHub {
  readonly hub: RunningHub;
  readonly connection: HubConnection;
  /** Registers another connected system speaking for `agencies` and gives its connection. */
  connect(systemId: string, agencies: readonly { code: string; name: string }[]): Promise<HubConnection>;
}

/** The same as `startTestSystem({ ...options, hub: true })`. */
export function startTestExchangeSystem(options: Omit<TestSystemOptions, 'hub'> = {}): Promise<TestExchangeSystem> {
  return startTestSystem({ ...options, hub: true });
}

function pemOf(issued: Issued): { key: string; cert: string } {
  return { key: readFileSync(issued.keyFile, 'utf8'), cert: readFileSync(issued.certificateFile, 'utf8') };
}

/**
 * One hub on its own test database, wired as `vanban start` wires the provincial hub: mutual TLS
 * with certificates from `ca`, the office registered as a connected system speaking for every
 * agency in its database. Short backoffs, so that a retry never outlasts a test's patience.
 */
async function startTestHub(
  ca: CertificateAuthority,
  officeDatabaseUrl: string,
  dir: string,
  undo: (() => Promise<void>)[],
): Promise<TestHub> {
  const caPem = ca.caPem();
  const server = await ca.issue({
    name: 'hub-server',
    profile: 'tls-server',
    subject: { commonName: 'hub-server' },
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
  });
  const client = await ca.issue({ name: 'hub-client', profile: 'tls-client', subject: { commonName: 'hub-client' } });
  const officeClient = await ca.issue({ name: 'office-hub-client', profile: 'tls-client', subject: { commonName: 'office-hub-client' } });
  const database: TestDatabase = await createTestDatabase();
  undo.push(() => database.drop());
  const hub = await startHub({
    databaseUrl: database.url,
    blobsDir: join(dir, 'blobs'),
    hubCode: TEST_HUB_CODE,
    host: '127.0.0.1',
    port: 0,
    tls: { ...pemOf(server), ca: caPem, client: pemOf(client) },
    trust: ca.trustList(),
    revocation: ca.fetcher(),
    backoff: { baseMs: 50, capMs: 400 },
  });
  undo.push(() => hub.stop());
  await registerSystem(hub.pool, {
    id: TEST_OFFICE_SYSTEM,
    name: 'vanban (test)',
    certSha256: certificateFingerprint(officeClient.certificate.rawData),
  });
  const office = connect<OfficeSchema>(officeDatabaseUrl, { max: 1 });
  try {
    // Empty without the demo province: the hub then speaks for no agency of the office.
    await assignAgencies(hub.pool, TEST_OFFICE_SYSTEM, await office.db.selectFrom('agencies').select(['code', 'name']).execute());
  } finally {
    await office.close();
  }
  return {
    hub,
    connection: { url: hub.url, tls: { ...pemOf(officeClient), ca: caPem }, backoff: { baseMs: 50, capMs: 500 } },
    connect: async (systemId, agencies) => {
      const client = await ca.issue({
        name: `${systemId}-hub-client`,
        profile: 'tls-client',
        subject: { commonName: `${systemId}-hub-client` },
      });
      await registerSystem(hub.pool, { id: systemId, name: systemId, certSha256: certificateFingerprint(client.certificate.rawData) });
      await assignAgencies(hub.pool, systemId, agencies);
      return { url: hub.url, tls: { ...pemOf(client), ca: caPem }, backoff: { baseMs: 50, capMs: 500 } };
    },
  };
}

/** Another installation with `PEER_AGENCY` only, on its own database, connected to the same hub. */
async function startPeer(
  ca: CertificateAuthority,
  exchange: TestHub,
  root: string,
  undo: (() => Promise<void>)[],
): Promise<TestSystem & { files: BlobStore }> {
  const database = await createTestDatabase();
  undo.push(() => database.drop());
  await migrateOffice(database.url);
  const db = connect<OfficeSchema>(database.url, { max: 1 });
  try {
    await seedPeerInstallation(db.db);
  } finally {
    await db.close();
  }
  const filesDir = join(root, 'peer-files');
  mkdirSync(filesDir);
  const office = await startOffice({
    databaseUrl: database.url,
    host: '127.0.0.1',
    port: 0,
    webRoot: WEB_ROOT,
    filesDir,
    trust: ca.trustList(),
    revocation: ca.fetcher(),
    hub: await exchange.connect('peer', [PEER_AGENCY]),
  });
  undo.push(() => office.stop());
  return { url: office.url, office, files: new BlobStore(filesDir), stop: () => office.stop() };
}

/** `send` of the exchange system: an agency's clerk sends a signed package through the hub. */
function sender(office: RunningOffice, files: BlobStore, keys: FileKeyStore): TestExchangeSystem['send'] {
  // Numbered in turn unless the test gives a number.
  let sent = 0;
  return async (fromCode, toCodes, fields = {}) => {
    sent++;
    return sendAsAgency(office.database.db, files, keys, fromCode, toCodes, { ...fields, number: fields.number ?? String(sent) }).catch(
      (error: unknown) => {
        if (!(error instanceof AgencySigningError)) throw error;
        throw new Error(`${fromCode} cannot sign (${error.message}): list it in credentialsFor`, { cause: error });
      },
    );
  };
}
