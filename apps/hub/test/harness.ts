import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { ServerOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@vanban/db';
import { CertificateAuthority, type Issued } from '@vanban/pki';
import { Agent, request } from 'undici';
import type { BackoffPolicy } from '@vanban/exchange';
import { startHub, type HubConfig, type RunningHub } from '../src/hub.js';
import { certificateFingerprint } from '../src/registry.js';

/** Polls `probe` until it gives a value, failing with `what` after `ms`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Real hubs over real TLS for tests: one CA issues every hub's, system's and agency's certificates. */
export class HubHarness {
  private constructor(
    readonly ca: CertificateAuthority,
    readonly caPem: string,
  ) {}

  static async create(): Promise<HubHarness> {
    const folder = mkdtempSync(join(tmpdir(), 'vanban-hub-ca-'));
    const ca = await CertificateAuthority.create(folder, {
      name: 'vanban Hub Test',
      baseUrl: 'http://ca.test',
    });
    const harness = new HubHarness(ca, ca.caPem());
    harness.#cleanup.push(async () => rmSync(folder, { recursive: true, force: true }));
    return harness;
  }

  /** Run in reverse order by close(). */
  readonly #cleanup: (() => Promise<void>)[] = [];

  static fingerprint(issued: Issued): string {
    return certificateFingerprint(issued.certificate.rawData);
  }

  async client(name: string): Promise<Issued> {
    return this.ca.issue({ name, profile: 'tls-client', subject: { commonName: name } });
  }

  async server(name: string): Promise<Issued> {
    return this.ca.issue({
      name,
      profile: 'tls-server',
      subject: { commonName: name },
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
    });
  }

  /** TLS options for a connected system's push endpoint: its own server certificate, a client certificate from this CA required. */
  async endpointTls(name: string): Promise<ServerOptions> {
    const issued = await this.server(name);
    return {
      key: readFileSync(issued.keyFile),
      cert: readFileSync(issued.certificateFile),
      ca: this.caPem,
      requestCert: true,
      rejectUnauthorized: true,
    };
  }

  /** A hub on its own fresh database, listening on 127.0.0.1 (a fixed port to come back on after a restart). */
  async hub(
    name: string,
    hubCode: string,
    options: {
      port?: number;
      backoff?: BackoffPolicy;
      database?: TestDatabase;
      blobsDir?: string;
      limits?: HubConfig['limits'];
      requestTimeoutMs?: number;
      purgeAfterDays?: number;
    } = {},
  ): Promise<{ hub: RunningHub; clientCert: Issued; database: TestDatabase; blobsDir: string }> {
    const database = options.database ?? (await createTestDatabase());
    const blobsDir = options.blobsDir ?? mkdtempSync(join(tmpdir(), `vanban-${name}-blobs-`));
    if (!options.blobsDir) this.#cleanup.push(async () => rmSync(blobsDir, { recursive: true, force: true }));
    const server = await this.server(`${name}-server`);
    const clientCert = await this.client(`${name}-client`);
    const hub = await startHub({
      databaseUrl: database.url,
      blobsDir,
      hubCode,
      host: '127.0.0.1',
      port: options.port ?? 0,
      tls: {
        key: readFileSync(server.keyFile, 'utf8'),
        cert: readFileSync(server.certificateFile, 'utf8'),
        ca: this.caPem,
        client: { key: readFileSync(clientCert.keyFile, 'utf8'), cert: readFileSync(clientCert.certificateFile, 'utf8') },
      },
      trust: this.ca.trustList(),
      revocation: this.ca.fetcher(),
      backoff: options.backoff ?? { baseMs: 50, capMs: 400 },
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
      ...(options.purgeAfterDays ? { purgeAfterDays: options.purgeAfterDays } : {}),
    });
    this.#cleanup.push(async () => {
      await hub.stop().catch(() => undefined);
      if (!options.database) await database.drop();
    });
    return { hub, clientCert, database, blobsDir };
  }

  /** An HTTPS client holding a connected system's (or administrator's) certificate. */
  caller(identity: Issued | null): Caller {
    const agent = new Agent({
      connect: {
        ca: this.caPem,
        ...(identity ? { key: readFileSync(identity.keyFile), cert: readFileSync(identity.certificateFile) } : {}),
      },
    });
    this.#cleanup.push(() => agent.close());
    return async (method, url, body, headers = {}) => {
      const answer = await request(url, {
        method,
        dispatcher: agent,
        headers: {
          ...(body === undefined ? {} : { 'content-type': typeof body === 'string' ? 'application/json' : 'application/xml' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body }),
      });
      const bytes = Buffer.from(await answer.body.arrayBuffer());
      return {
        status: answer.statusCode,
        body: bytes,
        headers: answer.headers,
        json: <T>() => JSON.parse(bytes.toString('utf8')) as T,
      };
    };
  }

  async close(): Promise<void> {
    for (const step of this.#cleanup.reverse()) await step();
  }
}

export interface Answer {
  status: number;
  body: Buffer;
  headers: Record<string, string | string[] | undefined>;
  json<T = Record<string, unknown>>(): T;
}
export type Caller = (
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  body?: Buffer | string,
  headers?: Record<string, string>,
) => Promise<Answer>;
