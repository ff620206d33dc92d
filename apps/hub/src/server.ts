import { createHash } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { appendEntry, withTransaction, type BlobStore } from '@vanban/db';
import { DEFAULT_LIMITS, readEdxml, type ReadLimits } from '@vanban/edxml';
import { UnknownFileError, verifyFile, type CertificateVerifier } from '@vanban/pki';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { z } from 'zod';
import { decideAcceptance, formatRefusal, refusal, type Refusal } from './acceptance.js';
import { clientByFingerprint, directory, loadRoutingTable, type Client } from './registry.js';
import { CHAIN, JOURNAL, acknowledge, pendingFor, recordPackage } from './store.js';
import { appendTrace } from './trace.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The connected system or peer hub calling, set by the hub's onRequest check. */
    hubClient: Client | null;
  }
}

function clientOf(request: FastifyRequest): Client {
  if (!request.hubClient) throw new Error('Route reached without an identified client: the onRequest check is missing');
  return request.hubClient;
}

export interface HubOptions {
  readonly pool: pg.Pool;
  readonly blobs: BlobStore;
  /** Checks package signatures against the certification authorities the hub trusts. */
  readonly verifier: CertificateVerifier;
  /** This hub's own agency code: written in the TraceHeader it appends, and how it recognises loops. */
  readonly hubCode: string;
  /** The hub's TLS server key and certificate chain, and the CAs whose client certificates it accepts. */
  readonly tls: { key: string; cert: string; ca: string };
  readonly limits?: Partial<ReadLimits>;
  readonly logger?: boolean | { level: string };
}

const REFUSAL_STATUS: Record<Refusal['check'], number> = {
  'client-certificate': 401,
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

function fingerprintOf(request: FastifyRequest): string | null {
  const socket = request.raw.socket as TLSSocket;
  if (!socket.authorized) return null;
  const certificate = socket.getPeerCertificate();
  return certificate.raw ? createHash('sha256').update(certificate.raw).digest('hex') : null;
}

/**
 * The exchange hub's HTTPS API. Every call but health needs a client certificate from a trusted
 * CA whose fingerprint is registered for a connected system or a peer hub.
 */
export async function buildHubServer(options: HubOptions): Promise<FastifyInstance> {
  const { pool, blobs, verifier, hubCode } = options;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const app = Fastify({
    logger: options.logger ?? false,
    https: { key: options.tls.key, cert: options.tls.cert, ca: options.tls.ca, requestCert: true, rejectUnauthorized: false },
    bodyLimit: limits.maxBytes,
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addContentTypeParser(['application/xml', 'text/xml', 'application/octet-stream'], { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, body),
  );

  const refuse = async (reply: FastifyReply, r: Refusal, context: { client: Client | null; packageId?: string }) => {
    await withTransaction(pool, (client) =>
      appendEntry(client, JOURNAL, CHAIN, {
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
  // The one place where callers are identified; onRequest, so a stranger is refused before its upload is read.
  app.decorateRequest('hubClient', null);
  app.addHook('onRequest', async (request, reply) => {
    if (request.url === '/health') return;
    const fingerprint = fingerprintOf(request);
    request.hubClient = fingerprint ? await clientByFingerprint(pool, fingerprint) : null;
    if (!request.hubClient) return refuse(reply, noClient, { client: null });
  });

  app.get('/health', async () => ({ status: 'ok' }));

  app.post(
    '/packages',
    {
      schema: {
        summary: 'Send an edXML package or status message; the hub stores it before answering',
        headers: z.object({ 'x-classification': z.string().optional() }).passthrough(),
        response: {
          200: z.object({ id: z.string(), duplicate: z.boolean() }).describe('already held: the same bytes were accepted before'),
          201: z.object({ id: z.string(), duplicate: z.boolean() }).describe('accepted and stored'),
          401: refusalSchema,
          403: refusalSchema,
          422: refusalSchema,
          508: refusalSchema,
        },
      },
    },
    async (request, reply) => {
      const client = clientOf(request);
      const bytes = request.body as Buffer;
      const id = createHash('sha256').update(bytes).digest('hex');
      const known = await pool.query(`SELECT 1 FROM packages WHERE id = $1`, [id]);
      if (known.rowCount) return reply.status(200).send({ id, duplicate: true });

      const read = await readEdxml(bytes, { limits });
      if (!read.ok) return refuse(reply, formatRefusal(read.problems), { client, packageId: id });
      let verification = null;
      if (read.kind === 'package') {
        try {
          verification = await verifyFile(bytes, verifier, new Date(), { limits });
        } catch (error) {
          if (error instanceof UnknownFileError) return refuse(reply, formatRefusal([]), { client, packageId: id });
          throw error;
        }
      }
      const decision = decideAcceptance({
        message: read.kind === 'package' ? { kind: 'package', package: read.package } : { kind: 'status', status: read.status },
        speaksFor: client.kind === 'system' ? client.speaksFor : null,
        verification,
        classification: request.headers['x-classification'] ?? null,
        table: await loadRoutingTable(pool),
        hubCode,
      });
      if (!decision.ok) return refuse(reply, decision.refusal, { client, packageId: id });

      const forwarded = read.kind === 'package' ? appendTrace(bytes, hubCode, new Date()) : bytes;
      const blob = await blobs.put(forwarded);
      const { created } = await recordPackage(pool, {
        id,
        kind: decision.accepted.kind,
        documentId: decision.accepted.documentId,
        from: decision.accepted.from,
        receivedFrom: `${client.kind}:${client.id}`,
        size: bytes.length,
        blobSha256: blob.sha256,
        recipients: decision.accepted.recipients,
      });
      return reply.status(created ? 201 : 200).send({ id, duplicate: !created });
    },
  );

  app.get(
    '/deliveries',
    {
      schema: {
        summary: 'What this system has not acknowledged yet, oldest first, after a cursor',
        querystring: z.object({
          after: z.coerce.number().int().min(0).default(0),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
    },
    async (request) => {
      const client = clientOf(request);
      const items = await pendingFor(pool, { kind: client.kind, id: client.id }, request.query.after, request.query.limit);
      return { items, nextCursor: items.length === request.query.limit ? items.at(-1)!.seq : null };
    },
  );

  app.get(
    '/packages/:id',
    {
      schema: {
        summary: 'The bytes of a package owed to this system, as forwarded',
        params: z.object({ id: z.string().regex(/^[0-9a-f]{64}$/) }),
      },
    },
    async (request, reply) => {
      const client = clientOf(request);
      const { rows } = await pool.query<{ blob_sha256: string }>(
        `SELECT p.blob_sha256 FROM packages p WHERE p.id = $1
           AND EXISTS (SELECT 1 FROM deliveries d WHERE d.package_id = p.id AND d.target_kind = $2 AND d.target_id = $3)`,
        [request.params.id, client.kind, client.id],
      );
      const row = rows[0];
      if (!row) return reply.status(404).send({ check: 'not-found', message: { vi: 'Không có gói tin này.', en: 'No such package.' } });
      return reply.type('application/xml').send(await blobs.read(row.blob_sha256));
    },
  );

  app.post(
    '/deliveries/ack',
    {
      schema: {
        summary: 'Acknowledge a delivery: the recipient holds the package; acknowledging twice is fine',
        body: z.object({ packageId: z.string().regex(/^[0-9a-f]{64}$/), recipient: z.string().min(1).max(64) }),
      },
    },
    async (request, reply) => {
      const client = clientOf(request);
      const done = await acknowledge(pool, { kind: client.kind, id: client.id }, request.body.packageId, request.body.recipient);
      if (!done)
        return reply.status(404).send({ check: 'not-found', message: { vi: 'Không có lượt chuyển này.', en: 'No such delivery.' } });
      return reply.status(204).send();
    },
  );

  app.get('/directory', { schema: { summary: 'The agencies reachable through this hub' } }, async () => {
    return { hubCode, agencies: await directory(pool) };
  });

  return app;
}
