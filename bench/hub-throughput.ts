/**
 * Hub throughput and latency, side by side in one run with (a) the same files mailed as attachments
 * through the machine's Postfix to local Maildirs and (b) the machine's ceiling: `sha256sum` plus a
 * synced write of the same bytes. 20 concurrent senders; 100 KB and 2 MB packages; the hub with one
 * process, then with two processes on one PostgreSQL, the recipient system pulling; then one
 * process pushing to it; last, one process and then two, each held to the same share of the CPU
 * (`--share` cores, 0 to skip), to show throughput growing with processes where one process alone
 * would take every core the machine has.
 * Usage (as root, after `bash bench/postfix-setup.sh`):
 *   npx tsx bench/hub-throughput.ts [--small 2000] [--large 300] [--warmup 4000] [--warmup-large 200] [--senders 20] [--share 0.5] [--skip-postfix] [--keep-work] [--hub pull,two,push,share,two-shared]
 * `--hub` names the hub runs to make, in their order (all of them unless given), for a quicker
 * comparison of one of them before and after a change.
 * Postfix and each hub configuration first take, untimed, `--warmup` other packages of 100 KB (and
 * before the 2 MB ones, `--warmup-large` of 2 MB too), so that what is measured is a running server
 * (JIT-compiled code, warm caches, spawned workers), not its first seconds: V8 still compiles the
 * hub's code in the background through its first thousand or so packages. Each of two hub processes
 * gets as much as one alone (the senders take turns between them, so two take twice the warm-up):
 * when they shared one warm-up, half each, they spent more CPU per package than one process for that
 * alone (with 20 of 2 MB 56–61 ms per 2 MB package against one process's 32–36 ms, with 200 about
 * what one does; with 2,000 of 100 KB 7.5 ms per 100 KB package against 4.7, with 4,000 5.5 against
 * 5.3; once V8 could optimize the XML code, see packages/edxml/src/libxml2.ts, there was more to
 * compile). Latency: from the start
 * of the send to the moment the recipient holds the bytes (the hub: its recipient system fetched
 * them, or, pushed, its endpoint read them all; Postfix: the message file appeared in the Maildir;
 * the ceiling: the synced write returned). For the hub it is also split: until the send was
 * answered, and from then until the recipient held it.
 * The senders and recipients of Postfix and the hub run in a process of their own, the load
 * generator (bench/lib/load-generator.ts), started for each contender.
 */
import { spawn } from 'node:child_process';
import { buffer } from 'node:stream/consumers';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connect, createTestDatabase, freePort, resolveServer } from '../packages/db/src/index.js';
import { buildPackageBytes, type EdxmlPackage } from '../packages/edxml/src/index.js';
import { digest, samplePackage } from '../packages/edxml/test/samples.js';
import { signEdxml } from '../packages/pki/src/index.js';
import { assignAgencies, migrateHub, registerSystem } from '../apps/hub/src/index.js';
import { HubHarness } from '../apps/hub/test/harness.js';
import { hubServeChild } from './lib/child.js';
import type { LoadJob, LoadTimings } from './lib/load-generator.js';
import { CpuShare } from './lib/cpu-share.js';
import { startCpuCount } from './lib/machine-cpu.js';
import { startServedCa } from './lib/served-ca.js';

const { values } = parseArgs({
  options: {
    // Enough that p99 is not the slowest package of the run: with 60, it was.
    small: { type: 'string', default: '2000' },
    large: { type: 'string', default: '300' },
    warmup: { type: 'string', default: '4000' },
    'warmup-large': { type: 'string', default: '200' },
    senders: { type: 'string', default: '20' },
    share: { type: 'string', default: '0.5' },
    'skip-postfix': { type: 'boolean', default: false },
    'keep-work': { type: 'boolean', default: false },
    hub: { type: 'string', default: 'pull,two,push,share,two-shared' },
  },
});
/**
 * FREED_INODES: files are removed only when the run ends, never between contenders. On ext4
 * without a journal (as on the machine in BENCHMARKS.md), every new file skips the inodes freed in
 * the last one to six minutes, one buffer look-up each: after the ceiling's or Postfix's thousands
 * of files were removed, the next contender's file creations took 0.9 ms of CPU each (perf,
 * `recently_deleted` under `openat`). For the same reason the removal at the end slows the first
 * minutes of a run that follows at once: `--keep-work` leaves the run's folder (its path is
 * printed) and Postfix's Maildirs set aside, to be removed later.
 */
const SET_ASIDE = '.done-';
const MAIL_ROOT = '/var/mail/vhosts';
/** Postfix's Maildirs for r1..r20@bench.test, as bench/postfix-setup.sh set them up. */
const MAILBOXES = join(MAIL_ROOT, 'bench.test');
const SENDERS = Number(values.senders);
const WARMUP = Number(values.warmup);
const WARMUP_LARGE = Number(values['warmup-large']);
const SHARE = Number(values.share);
if (!(SHARE >= 0)) throw new Error(`--share takes a number of cores (0 to skip), not ${values.share}`);
const HUB_RUNS = {
  pull: { processes: 1, push: false },
  two: { processes: 2, push: false },
  push: { processes: 1, push: true },
  share: { processes: 1, push: false, share: SHARE },
  'two-shared': { processes: 2, push: false, share: SHARE },
} as const;
const hubRuns = values.hub.split(',').map((name) => {
  if (!Object.hasOwn(HUB_RUNS, name)) throw new Error(`--hub takes some of ${Object.keys(HUB_RUNS).join(',')}, not ${name}`);
  return name as keyof typeof HUB_RUNS;
});
// Fails at once, not after the other contenders, where the machine cannot hold processes to a share.
if (SHARE > 0 && hubRuns.some((name) => 'share' in HUB_RUNS[name])) CpuShare.create('vanban-bench-probe', SHARE).remove();
const SENDER_AGENCY = '000.00.00.H99';
const RECIPIENTS = Array.from({ length: 20 }, (_, i) => `000.00.${String(i + 11).padStart(2, '0')}.H99`);

interface Result {
  what: string;
  size: string;
  packages: number;
  seconds: number;
  perSecond: number;
  mbPerSecond: number;
  p50ms: number;
  p99ms: number;
  /**
   * CPU ms per package the whole machine spent, and the part of it that was neither the load
   * generator's nor the database's: the contender's own processes (with the kernel's work for them).
   */
  cpuMsPerPackage: { machine: number; contender: number; loadGenerator: number; database: number };
  /** The hub only: the median time until the send was answered, and from then until the recipient held the package. */
  split?: { acceptedP50ms: number; thenHeldP50ms: number };
}

const median = (values: number[]) => Math.round([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!);

function summarize(what: string, size: string, bytes: number[], { started, done, accepted, cpu }: LoadTimings): Result {
  const latencies = done.map((d, i) => d - started[i]!).sort((a, b) => a - b);
  const first = Math.min(...started);
  const last = Math.max(...done);
  const seconds = (last - first) / 1000;
  const total = bytes.reduce((a, b) => a + b, 0);
  const perPackage = (ms: number) => Math.round((ms / bytes.length) * 10) / 10;
  const pick = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!);
  return {
    what,
    size,
    packages: bytes.length,
    seconds: Math.round(seconds * 100) / 100,
    perSecond: Math.round((bytes.length / seconds) * 10) / 10,
    mbPerSecond: Math.round((total / 1e6 / seconds) * 10) / 10,
    p50ms: pick(0.5),
    p99ms: pick(0.99),
    cpuMsPerPackage: {
      machine: perPackage(cpu.machineMs),
      contender: perPackage(cpu.machineMs - cpu.loadGeneratorMs - cpu.databaseMs),
      loadGenerator: perPackage(cpu.loadGeneratorMs),
      database: perPackage(cpu.databaseMs),
    },
    ...(accepted
      ? {
          split: {
            acceptedP50ms: median(accepted.map((a, i) => a - started[i]!)),
            thenHeldP50ms: median(done.map((d, i) => d - accepted[i]!)),
          },
        }
      : {}),
  };
}

const LOAD_GENERATOR = join(import.meta.dirname, 'lib', 'load-generator.ts');

/** Runs one contender's load in a process of its own (see bench/lib/load-generator.ts). */
async function generateLoad(job: LoadJob): Promise<LoadTimings> {
  const file = join(work, `load-${randomUUID()}.json`);
  writeFileSync(file, JSON.stringify(job));
  const child = spawn(process.execPath, ['--import', 'tsx', LOAD_GENERATOR, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [out, code] = await Promise.all([buffer(child.stdout), new Promise((exited) => child.once('exit', exited))]);
  rmSync(file, { force: true });
  if (code !== 0) throw new Error(`the load generator exited ${String(code)}`);
  return JSON.parse(out.toString('utf8')) as LoadTimings;
}

const work = mkdtempSync(join(tmpdir(), 'vanban-throughput-'));
const dataDir = join(import.meta.dirname, '..', 'data', 'bench-postgres');
if (!process.env.DATABASE_URL) rmSync(dataDir, { recursive: true, force: true });
const server = await resolveServer({ dataDir });
process.env.VANBAN_TEST_ADMIN_URL = server.adminUrl;
const cleanup: (() => Promise<unknown>)[] = [];
const results: Result[] = [];
try {
  const served = await startServedCa(work, 'vanban Bench');
  cleanup.push(() => served.close());
  const { ca, caFile, pem: tlsOf } = served;
  const hubServer = await ca.issue({
    name: 'hub-server',
    profile: 'tls-server',
    subject: { commonName: 'hub' },
    ipAddresses: ['127.0.0.1'],
  });
  const hubClient = await ca.issue({ name: 'hub-client', profile: 'tls-client', subject: { commonName: 'hub' } });
  const senderCert = await ca.issue({ name: 'sender', profile: 'tls-client', subject: { commonName: 'sender' } });
  const receiverCert = await ca.issue({ name: 'receiver', profile: 'tls-client', subject: { commonName: 'receiver' } });
  await ca.issue({ name: 'ubnd', profile: 'agency', subject: { commonName: 'UBND', agencyCode: SENDER_AGENCY } });
  const key = await ca.signingKey('ubnd');

  // The same files for every contender: signed packages of about 100 KB and 2 MB.
  const sizes = [
    { label: '100 KB', bytes: 100 * 1024, count: Number(values.small) },
    { label: '2 MB', bytes: 2 * 1024 * 1024, count: Number(values.large) },
  ].filter((size) => size.count > 0); // --large 0: only the small ones, without an empty row
  type PackageFile = { path: string; bytes: Buffer };
  let built = 0;
  /** `count` signed packages of about `bytes`, each to one of the recipients, written to files. */
  async function buildPackages(label: string, bytes: number, count: number): Promise<PackageFile[]> {
    const list: PackageFile[] = [];
    for (let n = 0; n < count; n++, built++) {
      // Base64 makes the attachment a third larger in the package.
      const attachment = randomBytes(Math.round(bytes * 0.74));
      const pkg: EdxmlPackage = {
        ...samplePackage(),
        to: [{ agencyCode: RECIPIENTS[built % RECIPIENTS.length]!, name: 'Cơ quan nhận' }],
        documentId: randomUUID(),
        number: String(built + 1),
        subject: `Văn bản đo tốc độ ${label} số ${built + 1}`,
        responseFor: [],
        manifest: [{ contentId: 'a.bin', contentType: 'application/octet-stream', name: 'tep.bin' }],
        attachments: [digest('a.bin', attachment)],
      };
      const signed = Buffer.from(
        await signEdxml((await buildPackageBytes(pkg, new Map([['a.bin', attachment]]), 'none')).toString('utf8'), key),
      );
      const path = join(work, `${built}.xml`);
      writeFileSync(path, signed);
      list.push({ path, bytes: signed });
    }
    return list;
  }
  const files = new Map<string, PackageFile[]>();
  for (const size of sizes) files.set(size.label, await buildPackages(size.label, size.bytes, size.count));
  const pathsOf = (list: PackageFile[]) => list.map((f) => f.path);
  // Enough for two hub processes: each takes a whole warm-up.
  const warmSmall = pathsOf(await buildPackages('100 KB', 100 * 1024, 2 * WARMUP));
  const warmLarge = files.has('2 MB') ? pathsOf(await buildPackages('2 MB', 2 * 1024 * 1024, 2 * WARMUP_LARGE)) : [];
  /** The warm-up before `label` for `processes` processes (1 or 2). */
  const warmupFor = (label: string, processes: number) => [
    ...warmSmall.slice(0, processes * WARMUP),
    ...(label === '2 MB' ? warmLarge.slice(0, processes * WARMUP_LARGE) : []),
  ];
  console.error(`packages built in ${work}`);

  // (b) The ceiling: each file hashed by sha256sum and written with fsync, by as many workers as senders.
  for (const size of sizes) {
    const list = files.get(size.label)!;
    const started: number[] = [];
    const done: number[] = [];
    const counted = startCpuCount();
    // Kept until the end with everything else (see FREED_INODES).
    const out = join(work, `ceiling-${size.label.replace(' ', '')}`);
    mkdirSync(out, { recursive: true });
    const shares = Array.from({ length: SENDERS }, (_, w) => list.map((f, i) => ({ f, i })).filter((x) => x.i % SENDERS === w));
    await Promise.all(
      shares.map(async (share) => {
        const hashing = new Promise<void>((resolve, reject) => {
          if (!share.length) return resolve();
          const child = spawn(
            'sha256sum',
            share.map((x) => x.f.path),
            { stdio: ['ignore', 'ignore', 'inherit'] },
          );
          child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`sha256sum exited ${code}`))));
        });
        for (const { f, i } of share) {
          started[i] = performance.now();
          const handle = await open(join(out, `${i}`), 'w');
          await handle.writeFile(f.bytes);
          await handle.sync();
          await handle.close();
          done[i] = performance.now();
        }
        await hashing;
        const end = performance.now();
        for (const { i } of share) done[i] = Math.max(done[i]!, end);
      }),
    );
    results.push(
      summarize(
        'ceiling: sha256sum + synced write',
        size.label,
        list.map((f) => f.bytes.length),
        // This process does the ceiling's writes itself: its CPU is the contender's, not a load generator's.
        { started, done, cpu: { ...counted(), loadGeneratorMs: 0 } },
      ),
    );
  }

  // (a) Postfix: each file mailed as an attachment to one of 20 local Maildirs.
  if (!values['skip-postfix']) {
    if (!existsSync(MAILBOXES))
      throw new Error('Postfix is not set up for the benchmark: run bash bench/postfix-setup.sh as root (or pass --skip-postfix)');
    for (const size of sizes) {
      const label = size.label.replace(' ', '');
      // The Maildirs of a run before are moved aside, not removed (see FREED_INODES).
      if (existsSync(MAILBOXES)) renameSync(MAILBOXES, `${MAILBOXES}${SET_ASIDE}${randomUUID()}`);
      const measured = await generateLoad({
        kind: 'postfix',
        senders: SENDERS,
        mailBase: MAILBOXES,
        tag: label,
        warmup: warmupFor(size.label, 1),
        files: pathsOf(files.get(size.label)!),
      });
      const list = files.get(size.label)!;
      results.push(
        summarize(
          'Postfix (local Maildir)',
          size.label,
          list.map((f) => f.bytes.length),
          measured,
        ),
      );
    }
  }

  // The hub: one process, then two on the same database, the recipient system taking its packages
  // (pull); then one process pushing them to it. Senders and the recipient system run in the load
  // generator's process.
  const pushServer = await ca.issue({
    name: 'receiver-server',
    profile: 'tls-server',
    subject: { commonName: 'receiver' },
    ipAddresses: ['127.0.0.1'],
  });
  // The runs with a CPU share are left out when --share is 0.
  const configurations: { processes: number; push: boolean; share?: number }[] = hubRuns
    .map((name) => HUB_RUNS[name])
    .filter((run) => !('share' in run) || run.share > 0);
  for (const { processes, push, share } of configurations) {
    for (const size of sizes) {
      const db = await createTestDatabase();
      cleanup.push(() => db.drop());
      await migrateHub(db.url);
      const admin = connect(db.url, { max: 2 });
      await registerSystem(admin.pool, { id: 'sender', name: 'Sender', certSha256: HubHarness.fingerprint(senderCert) });
      await assignAgencies(admin.pool, 'sender', [{ code: SENDER_AGENCY, name: 'UBND' }]);
      const pushPort = push ? await freePort() : 0;
      await registerSystem(admin.pool, {
        id: 'receiver',
        name: 'Receiver',
        certSha256: HubHarness.fingerprint(receiverCert),
        pushUrl: push ? `https://127.0.0.1:${pushPort}/` : null,
      });
      await assignAgencies(
        admin.pool,
        'receiver',
        RECIPIENTS.map((code) => ({ code, name: code })),
      );
      await admin.close();
      const ports = await Promise.all(Array.from({ length: processes }, () => freePort()));
      const hubs = ports.map((port, i) =>
        hubServeChild(`hub ${i}`, {
          databaseUrl: db.url,
          code: '000.00.00.G99',
          server: hubServer,
          client: hubClient,
          caFile,
          blobsDir: join(work, `blobs-${processes}-${push}-${share ?? 'all'}-${size.label}`),
          port,
        }),
      );
      await Promise.all(hubs.map((h) => h.start()));
      // Each process its own share, taken up once started, so that starting is not slowed.
      const shares = share ? hubs.map((_, i) => CpuShare.create(`vanban-bench-hub-${i}`, share)) : [];
      shares.forEach((s, i) => s.add(hubs[i]!.pid!));
      let measured;
      try {
        measured = await generateLoad({
          kind: 'hub',
          senders: SENDERS,
          warmup: warmupFor(size.label, processes),
          files: pathsOf(files.get(size.label)!),
          urls: ports.map((p) => `https://127.0.0.1:${p}`),
          sender: tlsOf(senderCert),
          receiver: tlsOf(receiverCert),
          push: push ? { port: pushPort, server: tlsOf(pushServer) } : null,
        });
      } finally {
        for (const h of hubs) await h.stop();
        for (const s of shares) s.remove();
      }
      const list = files.get(size.label)!;
      results.push(
        summarize(
          `vanban hub, ${processes} process${processes > 1 ? 'es' : ''}${push ? ', push' : ''}${share ? ` of ${share} cores` : ''}`,
          size.label,
          list.map((f) => f.bytes.length),
          measured,
        ),
      );
      console.error(JSON.stringify(results.at(-1)));
    }
  }
  const machine = { cpus: cpus().length, model: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), senders: SENDERS };
  console.log(JSON.stringify({ machine, results }, null, 2));
  for (const r of results)
    console.error(
      `${r.what.padEnd(40)} ${r.size.padEnd(7)} ${String(r.perSecond).padStart(8)}/s ${String(r.mbPerSecond).padStart(7)} MB/s  p50 ${r.p50ms} ms  p99 ${r.p99ms} ms` +
        `  CPU ${r.cpuMsPerPackage.machine} ms/package (${r.cpuMsPerPackage.contender} contender, ${r.cpuMsPerPackage.loadGenerator} load generator, ${r.cpuMsPerPackage.database} database)` +
        (r.split ? `  (p50 accepted ${r.split.acceptedP50ms} ms, then held ${r.split.thenHeldP50ms} ms)` : ''),
    );
} finally {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  await server.stop();
  if (server.embedded) rmSync(dataDir, { recursive: true, force: true });
  if (values['keep-work']) console.error(`kept: ${work} and ${MAIL_ROOT}/*${SET_ASIDE}*`);
  else {
    rmSync(work, { recursive: true, force: true });
    // The Maildirs set aside, and the last ones' contents (Postfix's setup made their folder).
    for (const name of existsSync(MAIL_ROOT) ? readdirSync(MAIL_ROOT) : [])
      if (name.includes(SET_ASIDE)) rmSync(join(MAIL_ROOT, name), { recursive: true, force: true });
    for (const name of existsSync(MAILBOXES) ? readdirSync(MAILBOXES) : []) rmSync(join(MAILBOXES, name), { recursive: true, force: true });
  }
}
