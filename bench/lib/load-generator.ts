/**
 * The load generator of bench/hub-throughput.ts, run as a process of its own
 * (`node --import tsx bench/lib/load-generator.ts JOB.json`): the senders and the recipient of one
 * contender, timing every package, the results as JSON on stdout. A process of its own because it
 * stands for other machines' clients: it shares the cores with what it measures, and it should take
 * no more of them than it must. In the benchmark's own process it carried every module the benchmark
 * needs (about 55 MB of heap, the PKI and edXML code), marked by a full garbage collection every
 * 0.4 s under load: a fifth of the machine went to the load generator, most of it to that.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import nodemailer from 'nodemailer';
import pLimit from 'p-limit';
import { HubClient } from '../../packages/exchange/src/index.js';
import { startCpuCount, type CpuSplit } from './machine-cpu.js';

export interface Tls {
  readonly key: string;
  readonly cert: string;
  readonly ca: string;
}

interface Lists {
  readonly senders: number;
  /** Sent first, untimed, so that a running server is measured rather than its first seconds. */
  readonly warmup: readonly string[];
  readonly files: readonly string[];
}

export type LoadJob =
  | (Lists & {
      readonly kind: 'postfix';
      /** The Maildirs r1..r20 are made under it and watched: a message is held once its file is in `new`. */
      readonly mailBase: string;
      readonly tag: string;
    })
  | (Lists & {
      readonly kind: 'hub';
      /** One per hub process; senders and fetches are spread over them. */
      readonly urls: readonly string[];
      readonly sender: Tls;
      readonly receiver: Tls;
      /** Pushed to: the recipient system listens here and holds a package once it has read all of its bytes. */
      readonly push: { readonly port: number; readonly server: Tls } | null;
    });

export interface LoadTimings {
  readonly started: number[];
  /** The hub only: when the send was answered. */
  readonly accepted?: number[];
  readonly done: number[];
  /** The CPU the machine spent from the first timed send to the last arrival. */
  readonly cpu: CpuSplit;
}

/** Runs `task` over `items` with `concurrency` workers; the worker's index tells which connection to use. */
async function pool<T>(items: readonly T[], concurrency: number, task: (item: T, worker: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (next < items.length) await task(items[next++]!, worker);
    }),
  );
}

/** Waits (up to 10 minutes) until `arrivals` holds every key, and returns when each arrived. */
async function arrivalsOf(keys: readonly string[], arrivals: Map<string, number>, who: string): Promise<number[]> {
  const count = () => keys.filter((k) => arrivals.has(k)).length;
  const deadline = Date.now() + 10 * 60_000;
  while (count() < keys.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  if (count() < keys.length) throw new Error(`${who} delivered ${count()} of ${keys.length}`);
  return keys.map((k) => arrivals.get(k)!);
}

const load = (paths: readonly string[]) => Promise.all(paths.map((path) => readFile(path)));

async function mailThroughPostfix(job: Extract<LoadJob, { kind: 'postfix' }>): Promise<LoadTimings> {
  const watchers: FSWatcher[] = [];
  const seen = new Map<string, number>();
  for (let r = 1; r <= 20; r++) {
    for (const sub of ['new', 'cur', 'tmp']) await mkdir(join(job.mailBase, `r${r}`, sub), { recursive: true });
    const dir = join(job.mailBase, `r${r}`, 'new');
    watchers.push(
      watch(dir, (_event, name) => {
        if (!name) return;
        const at = performance.now();
        void readFile(join(dir, name))
          .then((mail) => {
            const id = /X-Bench-Id: (\S+)/i.exec(mail.subarray(0, 4096).toString('latin1'))?.[1];
            if (id && !seen.has(id)) seen.set(id, at);
          })
          .catch(() => undefined);
      }),
    );
  }
  // Postfix's virtual delivery agent writes as the vmail user (uid 5000, bench/postfix-setup.sh).
  await new Promise((done) => spawn('chown', ['-R', '5000:5000', job.mailBase]).once('exit', done));
  const transports = Array.from({ length: job.senders }, () =>
    nodemailer.createTransport({ host: '127.0.0.1', port: 25, secure: false, ignoreTLS: true, pool: true, maxConnections: 1 }),
  );
  /** Mails every file and waits until each is in its Maildir; `tag` keeps the ids of two lists apart. */
  const mailAll = async (files: Buffer[], tag: string): Promise<LoadTimings> => {
    const counted = startCpuCount();
    const started: number[] = [];
    const idOf = (i: number) => `${tag}-${i}`;
    await pool(
      files.map((bytes, i) => ({ bytes, i })),
      job.senders,
      async ({ bytes, i }, worker) => {
        started[i] = performance.now();
        await transports[worker]!.sendMail({
          from: 'vanthu@bench.test',
          to: `r${(i % 20) + 1}@bench.test`,
          subject: `Văn bản ${i}`,
          headers: { 'X-Bench-Id': idOf(i) },
          text: 'Văn bản đính kèm.',
          attachments: [{ filename: 'goi-tin.xml', content: bytes }],
        });
      },
    );
    const done = await arrivalsOf(
      files.map((_, i) => idOf(i)),
      seen,
      'Postfix',
    );
    return { started, done, cpu: counted() };
  };
  try {
    await mailAll(await load(job.warmup), `${job.tag}-warmup`);
    return await mailAll(await load(job.files), job.tag);
  } finally {
    for (const w of watchers) w.close();
    for (const t of transports) t.close();
  }
}

async function sendThroughHub(job: Extract<LoadJob, { kind: 'hub' }>): Promise<LoadTimings> {
  const arrived = new Map<string, number>();
  const endpoint = job.push
    ? createHttpsServer({ ...job.push.server, requestCert: true, rejectUnauthorized: true }, (request, response) => {
        const id = String(request.headers['x-vanban-package-id'] ?? '');
        void buffer(request).then(() => {
          if (!arrived.has(id)) arrived.set(id, performance.now());
          response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        });
      })
    : null;
  await new Promise<void>((listening) => (endpoint ? endpoint.listen(job.push!.port, '127.0.0.1', listening) : listening()));
  const { urls } = job;
  const senders = Array.from({ length: job.senders }, (_, i) => new HubClient({ url: urls[i % urls.length]!, tls: job.sender }));
  const receivers = job.push ? [] : urls.map((url) => new HubClient({ url, tls: job.receiver }));
  let receiving = !job.push;
  // The recipient system (pulling): lists what is owed after the highest number it took (long
  // polling; from 0 again after an empty page), the listing carrying up to 1 MiB of the packages'
  // bytes as the office's connector asks; fetches the rest 8 at once as items come, and acknowledges
  // each page once it holds it. Listings, fetches and acknowledgements take turns between the
  // processes, as behind a load balancer: the cursor is the system's, not a process's, so any
  // process lists the same. (Listing from the first alone made it read and send on every package
  // the second accepted.) The office's connector is simpler: it fetches a page 8 at once and lists
  // again once the page is acknowledged.
  const fetches = pLimit(8);
  const acks: Promise<unknown>[] = [];
  const hold = (id: string) => {
    if (!arrived.has(id)) arrived.set(id, performance.now());
  };
  const receiver = (async () => {
    let after = 0;
    for (let turn = 0; receiving; turn++) {
      const lister = receivers[turn % receivers.length]!;
      const page = await lister.pending({ after, wait: 1, limit: 200, content: 1024 * 1024 });
      after = page.items.at(-1)?.seq ?? 0;
      const fetched = page.items.map(async (item, i) => {
        if (item.content !== undefined) {
          await lister.contentOf(item);
          hold(item.packageId);
          return;
        }
        await fetches(async () => {
          await receivers[(turn + i) % receivers.length]!.fetch(item.packageId);
          hold(item.packageId);
        });
      });
      if (page.items.length > 0) acks.push(Promise.all(fetched).then(() => lister.ackMany(page.items)));
      while (fetches.pendingCount > 16) await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(acks);
  })();
  /** Sends every file and waits until the recipient system holds each. */
  const sendAll = async (files: Buffer[]): Promise<LoadTimings> => {
    const counted = startCpuCount();
    const ids = files.map((bytes) => createHash('sha256').update(bytes).digest('hex'));
    const started: number[] = [];
    const accepted: number[] = [];
    await pool(
      files.map((bytes, i) => ({ bytes, i })),
      job.senders,
      async ({ bytes, i }, worker) => {
        started[i] = performance.now();
        const result = await senders[worker]!.send(bytes);
        accepted[i] = performance.now();
        if (result.kind !== 'accepted') throw new Error(`hub did not accept package ${i}: ${JSON.stringify(result)}`);
      },
    );
    const done = await arrivalsOf(ids, arrived, 'the hub');
    return { started, accepted, done, cpu: counted() };
  };
  try {
    await sendAll(await load(job.warmup));
    return await sendAll(await load(job.files));
  } finally {
    receiving = false;
    await receiver;
    for (const c of [...senders, ...receivers]) await c.close();
    await new Promise((closed) => (endpoint ? endpoint.close(closed) : closed(undefined)));
  }
}

const job = JSON.parse(await readFile(process.argv[2]!, 'utf8')) as LoadJob;
const timings = job.kind === 'postfix' ? await mailThroughPostfix(job) : await sendThroughHub(job);
process.stdout.write(JSON.stringify(timings));
