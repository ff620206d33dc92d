/**
 * The hub crash test: packages sent across two federated hubs to offices behind each, while hub
 * processes and receiving offices are killed with SIGKILL and restarted. At the end every recipient
 * must hold every package exactly once, every sender every status 01, and both journals verify.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobStore, connect, createTestDatabase, freePort, verifyJournal, type TestDatabase } from '../../packages/db/src/index.js';
import { buildPackageBytes, type EdxmlPackage } from '../../packages/edxml/src/index.js';
import { digest, samplePackage } from '../../packages/edxml/test/samples.js';
import { HubClient } from '../../packages/exchange/src/index.js';
import { signEdxml, type Issued, type SigningKey } from '../../packages/pki/src/index.js';
import { assignAgencies, migrateHub, registerPeer, registerSystem, setRoute } from '../../apps/hub/src/index.js';
import { HubConnector, migrateOffice, type OfficeSchema } from '../../apps/office/src/index.js';
import { HubHarness } from '../../apps/hub/test/harness.js';
import { Child, ROOT, hubServeChild } from '../lib/child.js';
import { startServedCa } from '../lib/served-ca.js';

const PROVINCE = '000.00.00.G99';
const NATIONAL = '000.00.00.G01';

export interface CrashOptions {
  readonly packages: number;
  /** Recipient agencies, half behind each hub. */
  readonly recipients: number;
  readonly kills: number;
  /** Pause between kills, milliseconds (a random value up to this). */
  readonly killEveryMs: number;
  readonly timeoutMs: number;
  readonly log?: (line: string) => void;
}

export interface CrashReport {
  readonly packages: number;
  readonly deliveries: number;
  readonly kills: { victim: string; atMs: number }[];
  readonly sendMs: number;
  readonly totalMs: number;
  readonly duplicates: number;
  readonly missing: number;
  readonly missingStatuses: number;
  readonly duplicateStatuses: number;
  readonly failedDeliveries: number;
  readonly journalBreaks: number;
  readonly journalEntries: number;
}

const code = (n: number, province: 'H99' | 'H44') => `000.00.${String(n).padStart(2, '0')}.${province}`;
const until = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runCrashTest(options: CrashOptions): Promise<CrashReport> {
  const log = options.log ?? (() => undefined);
  const work = mkdtempSync(join(tmpdir(), 'vanban-crash-'));
  const cleanup: (() => Promise<void>)[] = [];
  const started = Date.now();
  try {
    const served = await startServedCa(work, 'vanban Crash Test');
    cleanup.push(() => served.close());
    const { ca, caFile, pem } = served;
    const tls = (name: string, profile: 'tls-server' | 'tls-client') =>
      ca.issue({ name, profile, subject: { commonName: name }, ...(profile === 'tls-server' ? { ipAddresses: ['127.0.0.1'] } : {}) });

    const databases: TestDatabase[] = [];
    const database = async () => {
      const db = await createTestDatabase();
      databases.push(db);
      return db;
    };
    cleanup.push(async () => {
      for (const db of databases) await db.drop().catch(() => undefined);
    });

    // Agencies: five senders and the first half of the recipients in the province, the rest behind the national hub.
    const senders = Array.from({ length: 5 }, (_, i) => code(i + 1, 'H99'));
    const half = Math.ceil(options.recipients / 2);
    const local = Array.from({ length: half }, (_, i) => code(i + 11, 'H99'));
    const remote = Array.from({ length: options.recipients - half }, (_, i) => code(i + 11, 'H44'));

    // Certificates and registries, written before the hubs start.
    const [provinceDb, nationalDb, senderDb, officeXDb, officeYDb] = [
      await database(),
      await database(),
      await database(),
      await database(),
      await database(),
    ];
    const certs = {
      provinceServer: await tls('province-server', 'tls-server'),
      provinceClient: await tls('province-client', 'tls-client'),
      nationalServer: await tls('national-server', 'tls-server'),
      nationalClient: await tls('national-client', 'tls-client'),
      sender: await tls('sender', 'tls-client'),
      officeX: await tls('office-x', 'tls-client'),
      officeY: await tls('office-y', 'tls-client'),
    };
    const ports = { province: await freePort(), national: await freePort() };
    const url = (hub: 'province' | 'national') => `https://127.0.0.1:${ports[hub]}`;
    const fp = HubHarness.fingerprint;
    await migrateHub(provinceDb.url);
    await migrateHub(nationalDb.url);
    {
      const p = connect(provinceDb.url, { max: 2 });
      const n = connect(nationalDb.url, { max: 2 });
      try {
        await registerSystem(p.pool, { id: 'sender', name: 'Sending office', certSha256: fp(certs.sender) });
        await assignAgencies(
          p.pool,
          'sender',
          senders.map((c) => ({ code: c, name: `Cơ quan gửi ${c}` })),
        );
        await registerSystem(p.pool, { id: 'office-x', name: 'Office X', certSha256: fp(certs.officeX) });
        await assignAgencies(
          p.pool,
          'office-x',
          local.map((c) => ({ code: c, name: `Cơ quan nhận ${c}` })),
        );
        await registerPeer(p.pool, {
          id: 'national',
          name: 'National',
          hubCode: NATIONAL,
          baseUrl: url('national'),
          certSha256: fp(certs.nationalClient),
        });
        await setRoute(p.pool, '*', 'national');
        await registerSystem(n.pool, { id: 'office-y', name: 'Office Y', certSha256: fp(certs.officeY) });
        await assignAgencies(
          n.pool,
          'office-y',
          remote.map((c) => ({ code: c, name: `Cơ quan nhận ${c}` })),
        );
        await registerPeer(n.pool, {
          id: 'province',
          name: 'Province',
          hubCode: PROVINCE,
          baseUrl: url('province'),
          certSha256: fp(certs.provinceClient),
        });
        await setRoute(n.pool, '*.H99', 'province');
      } finally {
        await p.close();
        await n.close();
      }
    }
    for (const db of [senderDb, officeXDb, officeYDb]) await migrateOffice(db.url);

    const hubChild = (name: 'province' | 'national', db: TestDatabase, server: Issued, client: Issued) =>
      hubServeChild(`hub ${name}`, {
        databaseUrl: db.url,
        code: name === 'province' ? PROVINCE : NATIONAL,
        server,
        client,
        caFile,
        blobsDir: join(work, `${name}-blobs`),
        port: ports[name],
        extra: ['--lease-seconds', '3', '--retry-cap-seconds', '2'],
      });
    const officeChild = (name: string, db: TestDatabase, hub: 'province' | 'national', cert: Issued) =>
      new Child(
        `office ${name}`,
        [join(ROOT, 'bench', 'crash', 'office-process.ts')],
        {
          VANBAN_CRASH_OFFICE: JSON.stringify({
            databaseUrl: db.url,
            filesDir: join(work, `${name}-files`),
            hub: { url: url(hub), tls: pem(cert), backoff: { baseMs: 100, capMs: 2_000 } },
          }),
        },
        /office ready/,
      );
    const victims = [
      hubChild('province', provinceDb, certs.provinceServer, certs.provinceClient),
      hubChild('national', nationalDb, certs.nationalServer, certs.nationalClient),
      officeChild('x', officeXDb, 'province', certs.officeX),
      officeChild('y', officeYDb, 'national', certs.officeY),
    ];
    cleanup.push(async () => {
      for (const v of victims) await v.stop();
    });
    await Promise.all(victims.map((v) => v.start()));
    log(`hubs and offices up after ${Date.now() - started} ms`);

    // The sending office, in this process (not killed): its outbox, and its inbox for the statuses.
    const sender = connect<OfficeSchema>(senderDb.url, { max: 8 });
    cleanup.push(() => sender.close());
    const connector = new HubConnector({
      db: sender.db,
      files: new BlobStore(join(work, 'sender-files')),
      hub: new HubClient({ url: url('province'), tls: pem(certs.sender) }),
      backoff: { baseMs: 100, capMs: 2_000 },
      pollWaitSeconds: 5,
    });
    cleanup.push(() => connector.stop());
    connector.start();

    const keys = new Map<string, SigningKey>();
    for (const agency of senders) {
      await ca.issue({ name: `agency-${agency}`, profile: 'agency', subject: { commonName: `Cơ quan ${agency}`, agencyCode: agency } });
      keys.set(agency, await ca.signingKey(`agency-${agency}`));
    }
    const all = [...local, ...remote];
    const expected = new Set<string>();
    const attachment = new TextEncoder().encode('Nội dung văn bản thử nghiệm.\n'.repeat(40));

    // Send while a killer takes processes down at random.
    const kills: CrashReport['kills'] = [];
    let stopKilling = false;
    const killer = (async () => {
      for (let k = 0; k < options.kills && !stopKilling; k++) {
        await until(500 + Math.random() * options.killEveryMs);
        if (stopKilling) break;
        const victim = victims[Math.floor(Math.random() * victims.length)]!;
        kills.push({ victim: victim.name, atMs: Date.now() - started });
        log(`SIGKILL ${victim.name}`);
        await victim.kill();
        await until(200 + Math.random() * 1_000);
        await victim.start();
      }
    })();
    // Runs first on the way out: nothing is restarted behind the cleanup's back.
    cleanup.push(async () => {
      stopKilling = true;
      await killer.catch(() => undefined);
    });

    const sendStart = Date.now();
    for (let n = 0; n < options.packages; n++) {
      const from = senders[n % senders.length]!;
      // Every fifth package goes to a second recipient behind the other hub: the hubs split its To list.
      const to = [all[n % all.length]!];
      if (n % 5 === 0 && remote.length) to.push(n % all.length < half ? remote[n % remote.length]! : local[n % local.length]!);
      const documentId = randomUUID();
      const pkg: EdxmlPackage = {
        ...samplePackage(),
        from: { agencyCode: from, name: `Cơ quan ${from}` },
        to: to.map((agencyCode) => ({ agencyCode, name: `Cơ quan nhận ${agencyCode}` })),
        documentId,
        number: String(n + 1),
        notation: 'CT-TN',
        issueDate: '2026-11-30',
        subject: `Văn bản thử nghiệm số ${n + 1}`,
        responseFor: [],
        traces: [],
        manifest: [{ contentId: 'a.txt', contentType: 'text/plain', name: 'van-ban.txt' }],
        attachments: [digest('a.txt', attachment)],
      };
      const bytes = await buildPackageBytes(pkg, new Map([['a.txt', attachment]]), 'none');
      const signed = Buffer.from(await signEdxml(bytes.toString('utf8'), keys.get(from)!));
      await connector.enqueue(sender.db, { kind: 'document', bytes: signed, documentId, from, to, classification: 'none' });
      for (const r of to) expected.add(`${documentId} ${r}`);
      if ((n + 1) % 500 === 0) log(`${n + 1} packages queued`);
    }
    const sendMs = Date.now() - sendStart;
    await killer;
    log(`all queued in ${sendMs} ms; ${kills.length} kills; waiting for every delivery and status`);

    const x = connect<OfficeSchema>(officeXDb.url, { max: 2 });
    const y = connect<OfficeSchema>(officeYDb.url, { max: 2 });
    cleanup.push(async () => {
      await x.close();
      await y.close();
    });
    const received = async () => {
      const rows: { document_id: string; recipient_code: string; n: number }[] = [];
      for (const db of [x, y]) {
        const r = await db.pool.query<{ document_id: string; recipient_code: string; n: number }>(
          `SELECT document_id, recipient_code, count(*)::int AS n FROM hub_inbox WHERE kind = 'document' GROUP BY 1, 2`,
        );
        rows.push(...r.rows);
      }
      return rows;
    };
    const statuses = async () =>
      (
        await sender.pool.query<{ document_id: string; from_code: string; n: number }>(
          `SELECT document_id, from_code, count(*)::int AS n FROM hub_inbox WHERE kind = 'status' GROUP BY 1, 2`,
        )
      ).rows;
    const deadline = Date.now() + options.timeoutMs;
    let lastLog = 0;
    for (;;) {
      const [r, s] = [await received(), await statuses()];
      if ((r.length >= expected.size && s.length >= expected.size) || Date.now() > deadline) break;
      if (Date.now() - lastLog > 5_000) {
        lastLog = Date.now();
        log(`${Date.now() - started} ms: ${r.length}/${expected.size} delivered, ${s.length} statuses back`);
      }
      await until(500);
    }
    const r = await received();
    const s = await statuses();
    const got = new Set(r.map((row) => `${row.document_id} ${row.recipient_code}`));
    const statusGot = new Set(s.map((row) => `${row.document_id} ${row.from_code}`));
    let failedDeliveries = 0;
    let journalBreaks = 0;
    let journalEntries = 0;
    for (const db of [provinceDb, nationalDb]) {
      const hubDb = connect(db.url, { max: 1 });
      try {
        failedDeliveries += Number(
          (await hubDb.pool.query<{ n: string }>(`SELECT count(*) AS n FROM deliveries WHERE state = 'failed'`)).rows[0]!.n,
        );
        const verified = await verifyJournal(hubDb.pool, 'hub_journal');
        journalBreaks += verified.breaks.length;
        journalEntries += verified.entries;
      } finally {
        await hubDb.close();
      }
    }
    return {
      packages: options.packages,
      deliveries: expected.size,
      kills,
      sendMs,
      totalMs: Date.now() - started,
      duplicates: r.filter((row) => row.n > 1).length,
      missing: [...expected].filter((key) => !got.has(key)).length,
      missingStatuses: [...expected].filter((key) => !statusGot.has(key)).length,
      duplicateStatuses: s.filter((row) => row.n > 1).length,
      failedDeliveries,
      journalBreaks,
      journalEntries,
    };
  } finally {
    for (const step of cleanup.reverse()) await step().catch((error: unknown) => log(`cleanup: ${String(error)}`));
  }
}
