import { SealImageError, UnknownFileError, checkSealImage, verifyFile } from '@vanban/pki';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireCaller, type OfficeContext } from '../http/context.js';
import { AppError, errorBodySchema } from '../http/errors.js';
import { uploadedFile } from '../http/upload.js';
import { ROLES } from '../directory/roles.js';
import { listCredentials } from './credentials.js';
import { verificationSchema } from './verification-schema.js';

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  413: errorBodySchema,
  415: errorBodySchema,
};
const admin = { access: { roles: ['administrator'] as const } };
const members = { access: { roles: ROLES } };
const params = z.object({ agencyId: z.uuid() });
/** A seal is a small picture; a larger upload is a mistake. */
const MAX_SEAL_BYTES = 2 * 1024 * 1024;

const credentialSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(['agency', 'signer']).describe('agency: the organisation certificate used at issue; signer: a person’s'),
    user: z.object({ id: z.uuid(), username: z.string(), fullName: z.string() }).nullable(),
    backend: z.enum(['file']).describe('where the private key lives'),
    commonName: z.string(),
    subject: z.string(),
    issuerName: z.string(),
    issuer: z.string(),
    serial: z.string(),
    agencyCode: z.string().nullable(),
    notBefore: z.string(),
    notAfter: z.string(),
  })
  .describe('SigningCredential');

const sealSchema = z
  .object({
    mediaType: z.enum(['image/png', 'image/jpeg']),
    width: z.number().int(),
    height: z.number().int(),
    size: z.number().int(),
    sha256: z.string(),
    updatedAt: z.date(),
  })
  .describe('Seal');

export function signingRoutes(ctx: OfficeContext): FastifyPluginAsyncZod {
  const { db } = ctx;
  const sealOf = (agencyId: string) =>
    db
      .selectFrom('agency_seals')
      .select(['media_type as mediaType', 'width', 'height', 'size', 'sha256', 'updated_at as updatedAt'])
      .where('agency_id', '=', agencyId)
      .executeTakeFirst();

  return async (app) => {
    app.get(
      '/agencies/:agencyId/credentials',
      {
        config: admin,
        schema: {
          tags: ['signing'],
          summary: 'The certificates the agency and its signers sign with',
          params,
          response: { 200: z.object({ items: z.array(credentialSchema) }), ...errors },
        },
      },
      async (request) => ({ items: await listCredentials(db, request.params.agencyId) }),
    );

    app.get(
      '/agencies/:agencyId/seal',
      {
        config: members,
        schema: {
          tags: ['signing'],
          summary: 'The agency’s seal image: its type, size and digest (the image itself at /seal/image)',
          params,
          response: { 200: sealSchema, ...errors },
        },
      },
      async (request) => {
        const seal = await sealOf(request.params.agencyId);
        if (!seal) throw new AppError('not_found');
        return seal;
      },
    );

    app.get(
      '/agencies/:agencyId/seal/image',
      {
        config: members,
        schema: {
          tags: ['signing'],
          summary: 'The agency’s seal image',
          params,
          response: { 200: z.unknown().describe('the PNG or JPEG bytes'), ...errors },
        },
      },
      async (request, reply) => {
        const seal = await sealOf(request.params.agencyId);
        if (!seal) throw new AppError('not_found');
        return reply
          .type(seal.mediaType)
          .header('etag', `"${seal.sha256}"`)
          .header('cache-control', 'private, no-cache')
          .send(await ctx.files.read(seal.sha256));
      },
    );

    app.put(
      '/agencies/:agencyId/seal',
      {
        config: admin,
        schema: {
          tags: ['signing'],
          summary: 'Set the seal image the agency’s visible signature shows (PNG with transparency, or JPEG; at most 2 MB)',
          consumes: ['multipart/form-data'],
          params,
          response: { 200: sealSchema, ...errors },
        },
      },
      async (request) => {
        const caller = requireCaller(request.caller);
        const bytes = await uploadedFile(request);
        if (bytes.length > MAX_SEAL_BYTES) throw new AppError('payload_too_large');
        let image;
        try {
          image = await checkSealImage(bytes);
        } catch (error) {
          if (error instanceof SealImageError) throw new AppError('invalid_seal_image', undefined, { vi: error.vi, en: error.message });
          throw error;
        }
        const stored = await ctx.files.put(bytes);
        const row = {
          agency_id: request.params.agencyId,
          sha256: stored.sha256,
          media_type: image.mediaType,
          width: image.width,
          height: image.height,
          size: stored.size,
          updated_by: caller.userId,
        };
        await db
          .insertInto('agency_seals')
          .values(row)
          .onConflict((oc) => oc.column('agency_id').doUpdateSet({ ...row, updated_at: new Date() }))
          .execute();
        return (await sealOf(request.params.agencyId))!;
      },
    );

    app.delete(
      '/agencies/:agencyId/seal',
      {
        config: admin,
        schema: {
          tags: ['signing'],
          summary: 'Remove the seal image (signatures then show a drawn seal)',
          params,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        const removed = await db.deleteFrom('agency_seals').where('agency_id', '=', request.params.agencyId).executeTakeFirst();
        if (removed.numDeletedRows === 0n) throw new AppError('not_found');
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/verifications',
      {
        schema: {
          tags: ['signing'],
          summary:
            'Check every signature of an uploaded PDF or edXML package (and of the PDFs a package carries) against the trusted certification authorities',
          consumes: ['multipart/form-data'],
          response: { 200: verificationSchema, ...errors, 503: errorBodySchema },
        },
      },
      async (request) => {
        if (!ctx.verifier) throw new AppError('verification_unavailable');
        const bytes = await uploadedFile(request);
        try {
          return await verifyFile(bytes, ctx.verifier);
        } catch (error) {
          if (error instanceof UnknownFileError) throw new AppError('invalid_file', { reason: error.message });
          throw error;
        }
      },
    );
  };
}
