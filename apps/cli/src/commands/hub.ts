import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { parseArgs } from 'node:util';
import { BlobStore, connect, takeOverShutdown, verifyJournal } from '@vanban/db';
import {
  JOURNAL,
  PathFinder,
  assignAgencies,
  certificateFingerprint,
  listPeers,
  listSystems,
  migrateHub,
  purgeCutOff,
  purgeDelivered,
  registerAdministrator,
  registerPeer,
  registerSystem,
  removeAgencies,
  removeRoute,
  requeueFailed,
  setRoute,
  setSystemActive,
  startHub,
} from '@vanban/hub';
import { readCsv } from '@vanban/office';
import { certificatesFromPem } from '@vanban/pki';
import { pino } from 'pino';
import type pg from 'pg';
import type { Command } from '../command.js';
import { dataDirOf, openDatabase } from '../database.js';

const HELP = `vanban hub <action> ...          run and manage an exchange hub
Database: --database URL, or VANBAN_HUB_DATABASE_URL, or the vanban_hub database of the embedded
PostgreSQL in --data DIR, the provincial hub of \`vanban start\` (only while nothing else runs it; use
the administrator API then).

  serve --code HUB_CODE --tls-key F --tls-cert F --tls-ca F --client-key F --client-cert F
        --trust F [--blobs DIR] [--host H] [--port P] [--lease-seconds S] [--retry-cap-seconds S]
        [--purge-after-days DAYS] [--check-threads N]
        TLS files are PEM: the hub's server key and chain, the CAs it accepts clients (and peers'
        servers) from, its own client key and certificate for calling peers and pushing, and the CAs
        whose package signatures it accepts (--trust). A push claimed by a process that dies is tried
        again after the lease (default 60 s); retries back off up to the cap (default 900 s).
        With --purge-after-days, the process purges as \`purge --older-than\` does, at start and
        every 6 hours. Packages are read and their signatures checked in --check-threads worker
        threads (default: one per core), and stored from four more. Logs are JSON lines on stdout.
  system add ID --name NAME (--cert FILE | --sha256 HEX) [--push-url URL] [--keep-old-days N]
        With a new certificate for a system (or peer) already there, --keep-old-days takes the old one
        too for N days (1 to 90), so that it switches when it is ready; without it, the new one
        replaces the old at once.
  system list | system disable ID | system enable ID
  agency add SYSTEM_ID CODE NAME            an agency the system speaks and receives for
  agency import SYSTEM_ID FILE.csv          a CSV file with the header line code,name
  agency remove CODE...                     agencies merged or dissolved: packages to them are refused
  peer add ID --name NAME --code HUB_CODE --url URL (--cert FILE | --sha256 HEX) [--keep-old-days N]
  peer list
  route add PATTERN PEER_ID                 e.g. "*.H44" or "*" (the default route)
  route remove PATTERN
  admin add NAME (--cert FILE | --sha256 HEX)   a client certificate for the /admin API
  deliveries failed | deliveries requeue [--system ID | --peer ID]
  purge --older-than DAYS [--blobs DIR]     removes the bytes of packages every recipient acknowledged,
        received more than DAYS days ago (their records and journal entries stay); run it daily
  journal verify                            checks the hash chain; exit 1 on any break
  path DOCUMENT_ID                          the document's journal entries on this hub`;

function fingerprint(values: { cert?: string | undefined; sha256?: string | undefined }): string {
  if (values.sha256) {
    const hex = values.sha256.replaceAll(':', '').toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`--sha256 takes a SHA-256 fingerprint in hex, not ${values.sha256}`);
    return hex;
  }
  if (!values.cert) throw new Error('Give the client certificate: --cert FILE or --sha256 HEX');
  const [certificate] = certificatesFromPem(readFileSync(values.cert, 'utf8'));
  if (!certificate) throw new Error(`${values.cert} holds no PEM certificate`);
  return certificateFingerprint(certificate.rawData);
}

function need(value: string | undefined, what: string): string {
  if (!value) throw new Error(`Missing ${what}\n\n${HELP}`);
  return value;
}

export const command: Command = {
  summary: 'Run and manage an exchange hub: serve, systems, agencies, peers, routes, administrators, purge, journal',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        data: { type: 'string' },
        database: { type: 'string' },
        name: { type: 'string' },
        cert: { type: 'string' },
        sha256: { type: 'string' },
        'push-url': { type: 'string' },
        code: { type: 'string' },
        url: { type: 'string' },
        system: { type: 'string' },
        peer: { type: 'string' },
        'tls-key': { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-ca': { type: 'string' },
        'client-key': { type: 'string' },
        'client-cert': { type: 'string' },
        trust: { type: 'string' },
        blobs: { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: '3443' },
        'lease-seconds': { type: 'string' },
        'retry-cap-seconds': { type: 'string' },
        'check-threads': { type: 'string' },
        'older-than': { type: 'string' },
        'purge-after-days': { type: 'string' },
        'keep-old-days': { type: 'string' },
        help: { type: 'boolean' },
      },
    });
    const [area, action, ...rest] = positionals;
    if (values.help || !area) {
      console.log(HELP);
      return values.help ? 0 : 2;
    }
    const dataDir = dataDirOf(values.data);
    const explicit = values.database ?? process.env.VANBAN_HUB_DATABASE_URL;
    const server = explicit ? null : await openDatabase(dataDir);
    const url = explicit ?? (await server!.another('hub'));
    try {
      if (area === 'serve') return await serve(url, values, dataDir);
      await migrateHub(url);
      const database = connect(url, { max: 2 });
      try {
        if (area === 'purge') return await purge(database.pool, values, dataDir);
        return await manage(database.pool, area, action, rest, values);
      } finally {
        await database.close();
      }
    } finally {
      await server?.stop();
    }
  },
};

type Values = Record<string, string | boolean | undefined>;

async function manage(pool: pg.Pool, area: string, action: string | undefined, rest: string[], values: Values): Promise<number> {
  const str = (key: string) => (typeof values[key] === 'string' ? values[key] : undefined);
  const id = rest[0];
  if (area === 'path') {
    const finder = new PathFinder({ pool, hubCode: 'local', tls: { ca: '' } });
    try {
      const path = await finder.find(need(action, 'document id'), []);
      for (const e of path.entries) console.log(`${e.at}  ${JSON.stringify(e.body)}`);
      for (const u of path.unreachable) console.log(`(not asked: ${u.hub}: ${u.reason})`);
      return path.entries.length ? 0 : 1;
    } finally {
      await finder.close();
    }
  }
  switch (`${area} ${action ?? ''}`) {
    case 'system add':
      await registerSystem(pool, {
        id: need(id, 'system ID'),
        name: need(str('name'), '--name'),
        certSha256: fingerprint({ cert: str('cert'), sha256: str('sha256') }),
        pushUrl: str('push-url') ?? null,
        ...keepOld(values),
      });
      console.log(`System ${id} registered.`);
      return 0;
    case 'system list':
      console.table(await listSystems(pool));
      return 0;
    case 'system disable':
    case 'system enable':
      await setSystemActive(pool, need(id, 'system ID'), action === 'enable');
      console.log(`System ${id} ${action}d.`);
      return 0;
    case 'agency add':
      await assignAgencies(pool, need(id, 'system ID'), [{ code: need(rest[1], 'agency code'), name: need(rest[2], 'agency name') }]);
      console.log(`Agency ${rest[1]} now lives on system ${id}.`);
      return 0;
    case 'agency import': {
      const csv = readCsv(readFileSync(need(rest[1], 'CSV file')), ['code', 'name']);
      if (!csv.ok) throw new Error(csv.en);
      const agencies = csv.rows.map((r) => ({ code: r.values.code ?? '', name: r.values.name ?? '' }));
      await assignAgencies(pool, need(id, 'system ID'), agencies);
      console.log(`${agencies.length} agencies now live on system ${id}.`);
      return 0;
    }
    case 'agency remove': {
      const { removed, unknown } = await removeAgencies(pool, [need(id, 'agency code'), ...rest.slice(1)]);
      for (const code of removed) console.log(`Agency ${code} removed: packages to it are refused from now on.`);
      for (const code of unknown) console.error(`No agency ${code}.`);
      return unknown.length ? 1 : 0;
    }
    case 'peer add':
      await registerPeer(pool, {
        id: need(id, 'peer ID'),
        name: need(str('name'), '--name'),
        hubCode: need(str('code'), '--code'),
        baseUrl: need(str('url'), '--url'),
        certSha256: fingerprint({ cert: str('cert'), sha256: str('sha256') }),
        ...keepOld(values),
      });
      console.log(`Peer hub ${id} registered.`);
      return 0;
    case 'peer list':
      console.table(await listPeers(pool));
      return 0;
    case 'route add':
      await setRoute(pool, need(id, 'pattern'), need(rest[1], 'peer ID'));
      console.log(`Agencies matching ${id} go to ${rest[1]}.`);
      return 0;
    case 'route remove':
      if (!(await removeRoute(pool, need(id, 'pattern')))) {
        console.error(`No route ${id}.`);
        return 1;
      }
      return 0;
    case 'admin add':
      await registerAdministrator(pool, {
        name: need(id, 'administrator name'),
        certSha256: fingerprint({ cert: str('cert'), sha256: str('sha256') }),
      });
      console.log(`Administrator ${id} registered.`);
      return 0;
    case 'deliveries failed': {
      const { rows } = await pool.query(
        `SELECT package_id, recipient_code, target_kind || ':' || target_id AS target, attempts, last_error
           FROM deliveries WHERE state = 'failed' ORDER BY created_at`,
      );
      console.table(rows);
      return 0;
    }
    case 'deliveries requeue': {
      const system = str('system');
      const peer = str('peer');
      const target = system ? { kind: 'system' as const, id: system } : peer ? { kind: 'peer' as const, id: peer } : undefined;
      console.log(`${await requeueFailed(pool, target)} deliveries will be tried again.`);
      return 0;
    }
    case 'journal verify': {
      const { entries, breaks } = await verifyJournal(pool, JOURNAL);
      if (breaks.length === 0) {
        console.log(`The journal holds ${entries} entries and its chain is whole.`);
        return 0;
      }
      console.error(`The journal holds ${entries} entries; ${breaks.length} breaks in its chain:`);
      for (const b of breaks) console.error(`  ${JSON.stringify(b)}`);
      return 1;
    }
  }
  console.error(`Unknown: vanban hub ${area} ${action ?? ''}\n\n${HELP}`);
  return 2;
}

/** The value of an option counting `unit`, when given: a whole number, at least 1 and at most `max`. */
function count(values: Values, key: string, unit: string, max = Number.POSITIVE_INFINITY): number | undefined {
  const value = values[key];
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(n) || n < 1 || n > max) {
    const bound = max === Number.POSITIVE_INFINITY ? '' : ` and at most ${max}`;
    throw new Error(`--${key} takes a whole number of ${unit}, at least 1${bound}, not ${String(value)}\n\n${HELP}`);
  }
  return n;
}

const days = (values: Values, key: string) => count(values, key, 'days');

/** --keep-old-days, for a system or peer registered again with a new certificate. */
function keepOld(values: Values): { keepPreviousDays?: number } {
  const keep = days(values, 'keep-old-days');
  return keep === undefined ? {} : { keepPreviousDays: keep };
}

async function purge(pool: pg.Pool, values: Values, dataDir: string): Promise<number> {
  const olderThan = days(values, 'older-than');
  if (olderThan === undefined) throw new Error(`Missing --older-than DAYS\n\n${HELP}`);
  const blobs = new BlobStore(typeof values.blobs === 'string' ? values.blobs : join(dataDir, 'hub-blobs'));
  const before = purgeCutOff(olderThan);
  const purged = await purgeDelivered(pool, blobs, before);
  console.log(`Removed the bytes of ${purged} packages received before ${before.toISOString()} and acknowledged by every recipient.`);
  return 0;
}

async function serve(databaseUrl: string, values: Values, dataDir: string): Promise<number> {
  const file = (key: string) => readFileSync(need(typeof values[key] === 'string' ? values[key] : undefined, `--${key}`), 'utf8');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port takes a port number, not ${String(values.port)}`);
  const seconds = (key: string) => {
    const value = values[key];
    if (typeof value !== 'string') return undefined;
    const n = Number(value);
    if (!(n > 0)) throw new Error(`--${key} takes a number of seconds, not ${value}`);
    return n * 1000;
  };
  const leaseMs = seconds('lease-seconds');
  const capMs = seconds('retry-cap-seconds');
  const purgeAfterDays = days(values, 'purge-after-days');
  const examinerThreads = count(values, 'check-threads', 'threads', 64);
  // Checked here, where the options can be named: TLS would only say "DECODER routines::unsupported".
  const pair = (keyOption: string, certOption: string) => {
    const key = file(keyOption);
    const cert = file(certOption);
    try {
      createSecureContext({ key, cert });
    } catch (error) {
      throw new Error(`--${keyOption} and --${certOption} are not a private key and its certificate (PEM): ${(error as Error).message}`, {
        cause: error,
      });
    }
    return { key, cert };
  };
  const server = pair('tls-key', 'tls-cert');
  const client = pair('client-key', 'client-cert');
  takeOverShutdown();
  const trust = certificatesFromPem(file('trust'));
  const hub = await startHub({
    databaseUrl,
    blobsDir: typeof values.blobs === 'string' ? values.blobs : join(dataDir, 'hub-blobs'),
    hubCode: need(typeof values.code === 'string' ? values.code : undefined, '--code'),
    host: String(values.host),
    port,
    tls: { ...server, ca: file('tls-ca'), client },
    trust: { anchors: trust },
    logger: pino({ level: process.env.LOG_LEVEL ?? 'info' }),
    ...(leaseMs ? { leaseMs } : {}),
    ...(capMs ? { backoff: { baseMs: Math.min(1_000, capMs), capMs } } : {}),
    ...(purgeAfterDays ? { purgeAfterDays } : {}),
    ...(examinerThreads ? { examinerThreads } : {}),
  });
  const stopped = new Promise<void>((resolveStop) => {
    const stop = () => void hub.stop().finally(resolveStop);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  console.error(`Hub listening at ${hub.url}. Press Ctrl-C to stop.`);
  await stopped;
  return 0;
}
