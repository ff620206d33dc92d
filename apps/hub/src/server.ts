import { createServer as createHttpsServer } from 'node:https';
import type { Readable } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import type { BlobStore } from '@vanban/db';
import { ACK_BATCH, carryingListing } from '@vanban/exchange';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { pino } from 'pino';
import { z } from 'zod';
import { decideAcceptance, formatRefusal, loopRefusal, refusal, senderRefusal, type Refusal } from './acceptance.js';
import { registerAdminRoutes } from './admin-routes.js';
import { BlobWriter } from './blob-writer.js';
import { MAX_CARRIED_BYTES, carriedPage } from './carried-content.js';
import type { DeliverySignal } from './delivery-signal.js';
import type { PackageExaminer } from './examiner.js';
import { IntakeBudget } from './intake-budget.js';
import { JournalWriter } from './journal-writer.js';
import type { HubMetrics } from './metrics.js';
import { PathFinder } from './path-finder.js';
import { certificateFingerprint, directory, type Client } from './registry.js';
import { RegistryCache } from './registry-cache.js';
import type { RoutingTable } from './routing.js';
import { readSentBody } from './sent-body.js';
import { CHAIN, JOURNAL, acknowledgeMany, pendingFor, recordPackage } from './store.js';
import { appendTrace } from './trace.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The connected system, peer hub or administrator calling, set by the hub's onRequest check. */
    hubClient: Client | null;
  }
  interface FastifyContextConfig {
    /** Who may call the route; a route without it is public (health, readiness, metrics). */
    allow?: readonly Client['kind'][];
  }
}

/** The client of a route that allows only systems and peer hubs. */
function clientOf(request: FastifyRequest): Exclude<Client, { kind: 'admin' }> {
  const client = request.hubClient;
  if (!client || client.kind === 'admin') throw new Error('Route reached without a system or peer: its allow list is wrong');
  return client;
}

/** A comma-separated list of agency codes in a header, as the hub hands them from hop to hop. */
function codeList(header: string | undefined): string[] | null {
  if (header === undefined) return null;
  return header
    .split(',')
    .map((code) => code.trim())
    .filter(Boolean);
}
const CODE_LIST = /^[0-9A-Z.]+(,[0-9A-Z.]+)*$/;

export interface HubOptions {
  readonly pool: pg.Pool;
  readonly blobs: BlobStore;
  /** Reads packages and checks their signatures against the certification authorities the hub trusts. */
  readonly examiner: PackageExaminer;
  /** This hub's own agency code: written in the TraceHeader it appends, and how it recognises loops. */
  readonly hubCode: string;
  readonly tls: HubTls;
  /** How long a client may take to send its whole request (slow or stalled uploads are cut off): 120 s unless set. */
  readonly requestTimeoutMs?: number;
  /** Structured logs; silent when not given. */
  readonly logger?: FastifyBaseLogger;
  /** Wakes long-polling systems when something is owed to them; without it they are answered at once. */
  readonly signal?: DeliverySignal;
  readonly metrics?: HubMetrics;
  /** Shared with the pusher, so the process commits the journal in one line; made here when not given. */
  readonly writer?: JournalWriter;
}

export interface HubTls {
  /** The hub's TLS server key and certificate chain. */
  readonly key: string;
  readonly cert: string;
  /** The CAs whose certificates the hub accepts from clients and from the hubs it calls. */
  readonly ca: string;
  /** The hub's client certificate, for calling peer hubs and pushing to systems. */
  readonly client?: { readonly key: string; readonly cert: string };
}

const REFUSAL_STATUS: Record<Refusal['check'], number> = {
  'client-certificate': 401,
  'not-allowed': 403,
  'too-large': 413,
  format: 422,
  sender: 403,
  signature: 422,
  classified: 422,
  recipients: 422,
  loop: 508,
};

const refusalSchema = z
  .object({ check: z.string(), message: z.object({ vi: z.string(), en: z.string() }), details: z.unknown().optional() })
  .describe('Refusal');

/** A connection's certificate does not change: read and hashed once per connection, not per request. */
const fingerprints = new WeakMap<TLSSocket, string | null>();

function fingerprintOf(request: FastifyRequest): string | null {
  const socket = request.raw.socket as TLSSocket;
  if (!socket.authorized) return null;
  let fingerprint = fingerprints.get(socket);
  if (fingerprint === undefined) {
    const certificate = socket.getPeerCertificate();
    fingerprint = certificate.raw ? certificateFingerprint(certificate.raw) : null;
    fingerprints.set(socket, fingerprint);
  }
  return fingerprint;
}

/**
 * The exchange hub's HTTPS API. Every call but health needs a client certificate from a trusted
 * CA whose fingerprint is registered for a connected system or a peer hub.
 */
export async function buildHubServer(options: HubOptions): Promise<FastifyInstance> {
  const { pool, blobs, examiner, hubCode, metrics } = options;
  const { maxBytes } = examiner.limits;
  const writer = options.writer ?? new JournalWriter(pool, JOURNAL, CHAIN);
  const requestTimeout = options.requestTimeoutMs ?? 120_000;
  const app = Fastify({
    loggerInstance: options.logger ?? pino({ level: 'silent' }),
    // Node checks request timeouts every 30 s by default, which lets a stalled upload hold its
    // connection far longer than the timeout says; the server is made here to check more often.
    serverFactory: (handler) =>
      createHttpsServer(
        {
          key: options.tls.key,
          cert: options.tls.cert,
          ca: options.tls.ca,
          requestCert: true,
          rejectUnauthorized: false,
          requestTimeout,
          connectionsCheckingInterval: Math.min(30_000, Math.max(250, requestTimeout / 4)),
        },
        handler,
      ),
    bodyLimit: maxBytes,
    requestTimeout,
    // Stopping cuts every connection, long polls and uploads included: a system resends or polls
    // again, and what it sent is stored before it is answered, so nothing is lost or doubled.
    forceCloseConnections: true,
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
  }).withTypeProvider<ZodTypeProvider>();
  const blobWriter = new BlobWriter(blobs.root);
  // 4 MiB per checking thread: two packages of 2 MB each, dozens of small ones (BENCHMARKS.md, seventeenth measurement).
  const intake = new IntakeBudget(examiner.size * 4 * 1024 * 1024);
  app.addHook('onClose', () => blobWriter.close());
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addContentTypeParser(['application/xml', 'text/xml', 'application/octet-stream'], (request: FastifyRequest, payload: Readable) =>
    readSentBody(payload, request.headers['content-length'], maxBytes),
  );

  const refuse = async (reply: FastifyReply, r: Refusal, context: { client: Client | null; packageId?: string }) => {
    metrics?.refused(r.check);
    await writer.run(async (_client, journal) =>
      journal({
        event: 'refused',
        check: r.check,
        ...(context.packageId ? { packageId: context.packageId } : {}),
        by: context.client ? `${context.client.kind}:${context.client.id}` : 'anonymous',
      }),
    );
    return reply
      .status(REFUSAL_STATUS[r.check])
      .send({ check: r.check, message: { vi: r.vi, en: r.en }, ...(r.details === undefined ? {} : { details: r.details }) });
  };

  const noClient = refusal(
    'client-certificate',
    'Cần chứng thư số máy trạm đã đăng ký với trục.',
    'A client certificate registered with this hub is required.',
  );
  const registry = new RegistryCache(pool, options.signal);
  // The one place where callers are identified; onRequest, so a stranger is refused before its upload is read.
  app.decorateRequest('hubClient', null);
  app.addHook('onRequest', async (request, reply) => {
    const allow = request.routeOptions.config.allow;
    if (!allow && request.routeOptions.url !== undefined) return;
    const fingerprint = fingerprintOf(request);
    request.hubClient = fingerprint ? await registry.client(fingerprint) : null;
    if (!request.hubClient) return refuse(reply, noClient, { client: null });
    if (allow && !allow.includes(request.hubClient.kind)) {
      return refuse(
        reply,
        refusal('not-allowed', 'Chứng thư số này không được dùng chức năng này.', 'This certificate may not use this function.'),
        { client: request.hubClient },
      );
    }
  });
  const exchange = { allow: ['system', 'peer'] as const };
  app.setErrorHandler(async (error, request, reply) => {
    if ((error as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return refuse(
        reply,
        refusal(
          'too-large',
          `Gói tin vượt quá giới hạn ${Math.round(maxBytes / 1024 / 1024)} MB của trục.`,
          `The package is larger than this hub's limit of ${maxBytes} bytes.`,
        ),
        { client: request.hubClient },
      );
    }
    return reply.send(error);
  });

  app.get('/health', { schema: { summary: 'Liveness: the process answers' } }, async () => ({ status: 'ok' }));
  app.get('/ready', { schema: { summary: 'Readiness: the database answers' } }, async (_request, reply) => {
    try {
      await pool.query('SELECT 1');
      return { status: 'ready' };
    } catch (error) {
      return reply.status(503).send({ status: 'unavailable', reason: error instanceof Error ? error.message : String(error) });
    }
  });
  app.get('/metrics', { schema: { summary: 'Prometheus metrics' } }, async (_request, reply) => {
    if (!metrics) return reply.status(404).send();
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.post(
    '/packages',
    {
      config: exchange,
      schema: {
        summary: 'Send an edXML package or status message; the hub stores it before answering',
        headers: z
          .object({
            'x-classification': z.string().optional().describe('The sender’s classification of the document; anything but none is refused'),
            'x-vanban-recipients': z
              .string()
              .regex(CODE_LIST)
              .optional()
              .describe('Only these recipients of the To list, when a hub hands on part of it'),
            'x-vanban-hops': z.string().regex(CODE_LIST).optional().describe('The hubs the message already passed'),
          })
          .passthrough(),
        response: {
          200: z.object({ id: z.string(), duplicate: z.boolean() }).describe('already held: the same bytes were accepted before'),
          201: z.object({ id: z.string(), duplicate: z.boolean() }).describe('accepted and stored'),
          401: refusalSchema,
          403: refusalSchema,
          422: refusalSchema,
          508: refusalSchema,
          503: z
            .object({ statusCode: z.number(), error: z.string(), message: z.string() })
            .describe('the package could not be checked just now; nothing was stored: send it again'),
        },
      },
    },
    async (request, reply) => {
      const client = clientOf(request);
      const bytes = request.body as Buffer;
      const release = await intake.take(bytes.length);
      try {
        const { id, read, verification } = await examiner.examine(bytes);
        const envelope = codeList(request.headers['x-vanban-recipients']);
        const hops = codeList(request.headers['x-vanban-hops']) ?? [];
        // Before the duplicate check: a status message coming round is the very bytes this hub already holds.
        if (hops.includes(hubCode)) return refuse(reply, loopRefusal, { client, packageId: id });
        const known = await pool.query<{ blob_sha256: string; purged: boolean; from_code: string; missing: number }>({
          name: 'hub.held',
          text: `SELECT blob_sha256, purged_at IS NOT NULL AS purged, from_code, (SELECT count(*)::int FROM unnest($2::text[]) r(code)
                                WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.package_id = $1 AND d.recipient_code = r.code)) AS missing
             FROM packages WHERE id = $1`,
          values: [id, envelope ?? []],
        });
        const held = known.rows[0];
        // The same bytes from a system that may not speak for their sender are a replay, not a resend.
        if (held && client.kind === 'system' && !client.speaksFor.has(held.from_code)) {
          return refuse(reply, senderRefusal(held.from_code), { client, packageId: id });
        }
        if (held && held.missing === 0) return reply.status(200).send({ id, duplicate: true });

        if (!read.ok) return refuse(reply, formatRefusal(read.problems), { client, packageId: id });
        if (verification === 'unknown-file') return refuse(reply, formatRefusal([]), { client, packageId: id });
        const decide = (caller: Client | null, table: RoutingTable) =>
          decideAcceptance({
            message: read.kind === 'package' ? { kind: 'package', package: read.package } : { kind: 'status', status: read.status },
            speaksFor: caller?.kind === 'system' ? caller.speaksFor : caller ? null : new Set(),
            verification,
            classification: request.headers['x-classification'] ?? null,
            table,
            hubCode,
            hops,
            envelope,
          });
        let decision = decide(client, await registry.routingTable());
        // What is kept may not show an agency assigned or a route added a moment ago: look again before refusing.
        if (!decision.ok && (decision.refusal.check === 'recipients' || decision.refusal.check === 'sender')) {
          const fingerprint = fingerprintOf(request);
          const current = fingerprint ? await registry.client(fingerprint, { fresh: true }) : null;
          decision = decide(current, await registry.routingTable({ fresh: true }));
        }
        if (!decision.ok) return refuse(reply, decision.refusal, { client, packageId: id });

        // A package held already keeps the bytes it was first handed on with, unless they were purged.
        const store = async () => (await blobWriter.put(read.kind === 'package' ? appendTrace(bytes, hubCode, new Date()) : bytes)).sha256;
        const accepted = (blobSha256: string, storedNow: boolean) => ({
          id,
          kind: decision.accepted.kind,
          documentId: decision.accepted.documentId,
          ...(decision.accepted.status ? { status: decision.accepted.status } : {}),
          ...(decision.accepted.business ? { business: decision.accepted.business } : {}),
          ...(decision.accepted.relatedDocumentId ? { relatedDocumentId: decision.accepted.relatedDocumentId } : {}),
          from: decision.accepted.from,
          receivedFrom: `${client.kind}:${client.id}`,
          size: bytes.length,
          blobSha256,
          storedNow,
          via: [...hops, hubCode],
          recipients: decision.accepted.recipients,
        });
        let recorded = await recordPackage(
          writer,
          held && !held.purged ? accepted(held.blob_sha256, false) : accepted(await store(), true),
        );
        // Purged since it was looked up: its bytes are stored again.
        if (recorded.purged) recorded = await recordPackage(writer, accepted(await store(), true));
        const { created, added } = recorded;
        if (created) metrics?.accepted(decision.accepted.kind);
        request.log.info({ packageId: id, created, added, from: decision.accepted.from }, 'accepted');
        return reply.status(created ? 201 : 200).send({ id, duplicate: !created && added.length === 0 });
      } finally {
        release();
      }
    },
  );

  app.get(
    '/deliveries',
    {
      config: exchange,
      schema: {
        summary:
          'What this system has not acknowledged yet, oldest first, after a cursor; with wait, answered as soon as something is owed',
        querystring: z.object({
          after: z.coerce
            .number()
            .int()
            .min(0)
            .default(0)
            .describe(
              'The nextCursor of the page before, or the highest seq taken so far. Deliveries are numbered in the order they are committed, by every hub process, so a cursor kept from listing to listing passes none; start again at 0 after this system’s push address was removed (deliveries owed by push until then keep their lower numbers)',
            ),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          wait: z.coerce.number().int().min(0).max(60).default(0).describe('Seconds to wait when nothing is owed (long polling)'),
          content: z.coerce
            .number()
            .int()
            .min(0)
            .max(MAX_CARRIED_BYTES)
            .default(0)
            .describe(
              'Bytes of packages the answer may carry, in all, counted by the sizes listed. Above 0 the answer is multipart/mixed: the page as JSON, then the bytes of each package that fits (as GET /packages/{id} gives them, with the hubs’ traces, so a little more than its size), in the order listed and each package once, named by Content-ID <packageId>; its items say carried. What does not fit is listed without, to fetch. 0: none, and the answer is the page as JSON',
            ),
        }),
      },
    },
    async (request, reply) => {
      const client = clientOf(request);
      const target = { kind: client.kind, id: client.id };
      const { after, limit, wait, content } = request.query;
      let items = await pendingFor(pool, target, after, limit);
      if (items.length === 0 && wait > 0 && options.signal) {
        const gone = new AbortController();
        const abort = () => gone.abort();
        // A keep-alive connection carries poll after poll: each takes its listener away again.
        const socket = request.raw.socket;
        socket.once('close', abort);
        try {
          await options.signal.waitFor(`${target.kind}:${target.id}`, wait * 1000, gone.signal);
        } finally {
          socket.off('close', abort);
        }
        items = await pendingFor(pool, target, after, limit);
      }
      const listed = await carriedPage(items, content, blobs);
      const page = { items: listed.items, nextCursor: items.length === limit ? items.at(-1)!.seq : null };
      if (content === 0) return page;
      const answer = carryingListing(page, listed.carried);
      return reply.type(answer.contentType).send(answer.body);
    },
  );

  app.get(
    '/packages/:id',
    {
      config: exchange,
      schema: {
        summary: 'The bytes of a package owed to this system, as forwarded',
        params: z.object({ id: z.string().regex(/^[0-9a-f]{64}$/) }),
      },
    },
    async (request, reply) => {
      const client = clientOf(request);
      const { rows } = await pool.query<{ blob_sha256: string; purged: boolean }>({
        name: 'hub.owed-blob',
        text: `SELECT p.blob_sha256, p.purged_at IS NOT NULL AS purged FROM packages p WHERE p.id = $1
           AND EXISTS (SELECT 1 FROM deliveries d WHERE d.package_id = p.id AND d.target_kind = $2 AND d.target_id = $3)`,
        values: [request.params.id, client.kind, client.id],
      });
      const row = rows[0];
      if (!row) return reply.status(404).send({ check: 'not-found', message: { vi: 'Không có gói tin này.', en: 'No such package.' } });
      if (row.purged) {
        return reply.status(410).send({
          check: 'purged',
          message: {
            vi: 'Gói tin đã được mọi nơi nhận xác nhận và đã hết thời hạn lưu trên trục; nội dung không còn.',
            en: 'Every recipient acknowledged this package and its retention on the hub ended: its bytes are gone.',
          },
        });
      }
      return reply.type('application/xml').send(await blobs.read(row.blob_sha256));
    },
  );

  const deliveryKey = z.object({ packageId: z.string().regex(/^[0-9a-f]{64}$/), recipient: z.string().min(1).max(64) });
  app.post(
    '/deliveries/ack',
    {
      config: exchange,
      schema: {
        summary: `Acknowledge deliveries: the recipient holds the packages; acknowledging twice is fine. One delivery is answered 204 (404 when not owed to the caller); a list of up to ${ACK_BATCH} is answered with one outcome each`,
        body: z.union([deliveryKey, z.object({ items: z.array(deliveryKey).min(1).max(ACK_BATCH) })]),
      },
    },
    async (request, reply) => {
      const client = clientOf(request);
      const body = request.body;
      const keys = 'items' in body ? body.items : [body];
      const outcomes = await acknowledgeMany(writer, { kind: client.kind, id: client.id }, keys);
      for (const outcome of outcomes) if (outcome === 'acknowledged') metrics?.delivery('acknowledged');
      if ('items' in body) return { outcomes };
      if (outcomes[0] === 'unknown')
        return reply.status(404).send({ check: 'not-found', message: { vi: 'Không có lượt chuyển này.', en: 'No such delivery.' } });
      return reply.status(204).send();
    },
  );

  app.get(
    '/directory',
    { config: { allow: ['system', 'peer', 'admin'] }, schema: { summary: 'The agencies reachable through this hub' } },
    async () => ({ hubCode, agencies: await directory(pool) }),
  );

  const paths = new PathFinder({ pool, hubCode, tls: options.tls });
  app.addHook('onClose', () => paths.close());
  app.get(
    '/document-path',
    {
      config: { allow: ['system', 'peer', 'admin'] },
      schema: {
        summary: 'Every hop of one document and its status messages, on this hub and the hubs it passed',
        querystring: z.object({ documentId: z.string().min(1).max(300) }),
        headers: z.object({ 'x-vanban-hops': z.string().regex(CODE_LIST).optional() }).passthrough(),
      },
    },
    async (request, reply) => {
      const client = request.hubClient!;
      const { documentId } = request.query;
      if (client.kind === 'system' && !(await paths.concerns(documentId, client.speaksFor))) {
        return reply.status(404).send({ check: 'not-found', message: { vi: 'Không có văn bản này.', en: 'No such document.' } });
      }
      return paths.find(documentId, codeList(request.headers['x-vanban-hops']) ?? []);
    },
  );

  await registerAdminRoutes(app, { pool, blobs, writer });
  return app;
}
