import { verifyJournal, type BlobStore } from '@vanban/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { z } from 'zod';
import {
  MAX_KEEP_PREVIOUS_DAYS,
  RegistryError,
  assignAgencies,
  listPeers,
  listSystems,
  registerAdministrator,
  registerPeer,
  registerSystem,
  removeAgencies,
  removeRoute,
  setRoute,
  setSystemActive,
} from './registry.js';
import type { JournalWriter } from './journal-writer.js';
import { purgeCutOff, purgeDelivered } from './retention.js';
import { JOURNAL, requeueFailed } from './store.js';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lower-case letters, digits and dashes');
const sha256 = z
  .string()
  .regex(/^[0-9a-fA-F:]{64,95}$/)
  .transform((s) => s.replaceAll(':', '').toLowerCase())
  .refine((s) => s.length === 64, 'a SHA-256 fingerprint')
  .describe('SHA-256 of the DER certificate, hex, colons allowed');
const url = z.url({ protocol: /^https?$/ });
const keepPreviousDays = z
  .number()
  .int()
  .min(1)
  .max(MAX_KEEP_PREVIOUS_DAYS)
  .optional()
  .describe('With a new certificate: the old one is still taken for this many days, so that the caller switches when ready');
const target = z.object({ kind: z.enum(['system', 'peer']), id });

/**
 * The registry over HTTPS, for whoever runs the hub: callers need an administrator certificate.
 * The `vanban hub` commands do the same on the hub's own machine.
 */
export async function registerAdminRoutes(
  root: FastifyInstance,
  deps: { pool: pg.Pool; blobs: BlobStore; writer: JournalWriter },
): Promise<void> {
  const { pool, blobs, writer } = deps;
  await root.register(
    async (plugin) => {
      const app = plugin.withTypeProvider<ZodTypeProvider>();
      app.setErrorHandler((error, _request, reply) => {
        if (error instanceof RegistryError) return reply.status(422).send({ check: 'registry', message: { vi: error.vi, en: error.en } });
        return reply.send(error);
      });
      const config = { allow: ['admin'] as const };

      app.get('/systems', { config, schema: { summary: 'Connected systems' } }, async () => ({ systems: await listSystems(pool) }));
      app.put(
        '/systems/:id',
        {
          config,
          schema: {
            summary: 'Add or change a connected system',
            params: z.object({ id }),
            body: z.object({
              name: z.string().min(1).max(200),
              certSha256: sha256,
              pushUrl: url.nullable().default(null),
              keepPreviousDays,
            }),
          },
        },
        async (request, reply) => {
          await registerSystem(pool, { id: request.params.id, ...request.body });
          return reply.status(204).send();
        },
      );
      app.put(
        '/systems/:id/active',
        { config, schema: { summary: 'Enable or disable a system', params: z.object({ id }), body: z.object({ active: z.boolean() }) } },
        async (request, reply) => {
          await setSystemActive(pool, request.params.id, request.body.active);
          return reply.status(204).send();
        },
      );
      app.put(
        '/systems/:id/agencies',
        {
          config,
          schema: {
            summary: 'Add agencies a system speaks and receives for (an agency moves if it was on another system)',
            params: z.object({ id }),
            body: z.object({
              agencies: z
                .array(z.object({ code: z.string(), name: z.string().min(1).max(300) }))
                .min(1)
                .max(5000),
            }),
          },
        },
        async (request, reply) => {
          await assignAgencies(pool, request.params.id, request.body.agencies);
          return reply.status(204).send();
        },
      );
      app.delete(
        '/agencies/:code',
        {
          config,
          schema: {
            summary: 'Take an agency off the registry (merged or dissolved): packages to it are refused from then on',
            params: z.object({ code: z.string() }),
          },
        },
        async (request, reply) => reply.status((await removeAgencies(pool, [request.params.code])).removed.length ? 204 : 404).send(),
      );
      app.get('/peers', { config, schema: { summary: 'Peer hubs and their routes' } }, async () => ({ peers: await listPeers(pool) }));
      app.put(
        '/peers/:id',
        {
          config,
          schema: {
            summary: 'Add or change a peer hub',
            params: z.object({ id }),
            body: z.object({
              name: z.string().min(1).max(200),
              hubCode: z.string().min(1).max(20),
              baseUrl: url,
              certSha256: sha256,
              keepPreviousDays,
            }),
          },
        },
        async (request, reply) => {
          await registerPeer(pool, { id: request.params.id, ...request.body });
          return reply.status(204).send();
        },
      );
      app.put(
        '/routes',
        {
          config,
          schema: { summary: 'Route agency codes matching a pattern to a peer hub', body: z.object({ pattern: z.string(), peerId: id }) },
        },
        async (request, reply) => {
          await setRoute(pool, request.body.pattern, request.body.peerId);
          return reply.status(204).send();
        },
      );
      app.delete(
        '/routes',
        { config, schema: { summary: 'Remove a route', querystring: z.object({ pattern: z.string() }) } },
        async (request, reply) => reply.status((await removeRoute(pool, request.query.pattern)) ? 204 : 404).send(),
      );
      app.put(
        '/administrators/:name',
        { config, schema: { summary: 'Add an administrator', params: z.object({ name: id }), body: z.object({ certSha256: sha256 }) } },
        async (request, reply) => {
          await registerAdministrator(pool, { name: request.params.name, certSha256: request.body.certSha256 });
          return reply.status(204).send();
        },
      );
      app.get(
        '/deliveries/failed',
        { config, schema: { summary: 'Deliveries their target refused outright, with its answer' } },
        async () => {
          const { rows } = await pool.query(
            `SELECT package_id AS "packageId", recipient_code AS recipient, target_kind || ':' || target_id AS target, attempts,
                    last_error AS "lastError", created_at AS "createdAt"
               FROM deliveries WHERE state = 'failed' ORDER BY created_at LIMIT 1000`,
          );
          return { failed: rows };
        },
      );
      app.post(
        '/deliveries/requeue',
        {
          config,
          schema: { summary: 'Try failed deliveries again (all, or one target’s)', body: z.object({ target: target.optional() }) },
        },
        async (request) => ({ requeued: await requeueFailed(pool, request.body.target) }),
      );
      app.post(
        '/purge',
        {
          config,
          schema: {
            summary: 'Remove the bytes of packages every recipient acknowledged, received more than the days given ago',
            body: z.object({ olderThanDays: z.number().int().min(1).describe('Days the bytes are kept after receipt') }),
          },
        },
        async (request) => ({
          purged: await purgeDelivered(pool, blobs, purgeCutOff(request.body.olderThanDays), writer),
        }),
      );
      app.get('/journal/verify', { config, schema: { summary: 'Check the hash chain of the whole journal' } }, async () =>
        verifyJournal(pool, JOURNAL),
      );
    },
    { prefix: '/admin' },
  );
}
