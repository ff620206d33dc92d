import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isUniqueViolation } from '../directory/store.js';
import { requireCaller, type OfficeContext } from '../http/context.js';
import { AppError, errorBodySchema } from '../http/errors.js';
import { requireInstallationAdministrator } from '../http/installation-admin.js';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const typeSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  abbreviation: z.string().nullable().describe('What notations use, e.g. QĐ; null for Công văn and Thư công'),
  active: z.boolean(),
});
const abbreviation = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{N}]{1,10}$/u, 'letters and digits only')
  .nullable();

/** The installation's document types: everyone reads them; administrators of a top agency edit them. */
export function documentTypeRoutes(ctx: OfficeContext): FastifyPluginAsyncZod {
  const { db } = ctx;
  const columns = ['id', 'name', 'abbreviation', 'active'] as const;
  return async (app) => {
    app.get(
      '/document-types',
      {
        schema: {
          tags: ['document types'],
          summary: 'Document types in their usual order; retired ones only with all=true',
          querystring: z.object({ all: z.enum(['true']).optional() }),
          response: { 200: z.object({ items: z.array(typeSchema) }), ...errors },
        },
      },
      async (request) => {
        let query = db.selectFrom('document_types').select(columns).orderBy('position').orderBy('name');
        if (!request.query.all) query = query.where('active', '=', true);
        return { items: await query.execute() };
      },
    );

    app.post(
      '/document-types',
      {
        config: { access: { roles: ['administrator'] } },
        schema: {
          tags: ['document types'],
          summary: 'Add a document type (administrators of a top agency)',
          body: z.object({ name: z.string().trim().min(1).max(100), abbreviation }),
          response: { 201: typeSchema, ...errors },
        },
      },
      async (request, reply) => {
        await requireInstallationAdministrator(db, requireCaller(request.caller));
        try {
          const created = await db
            .insertInto('document_types')
            .values((eb) => ({
              name: request.body.name,
              abbreviation: request.body.abbreviation,
              position: eb.selectFrom('document_types').select((s) => s(s.fn.coalesce(s.fn.max('position'), s.lit(0)), '+', 1).as('p')),
            }))
            .returning(columns)
            .executeTakeFirstOrThrow();
          return reply.status(201).send(created);
        } catch (error) {
          if (isUniqueViolation(error)) throw new AppError('duplicate_document_type');
          throw error;
        }
      },
    );

    app.patch(
      '/document-types/:id',
      {
        config: { access: { roles: ['administrator'] } },
        schema: {
          tags: ['document types'],
          summary: 'Rename a type, change its abbreviation, or retire it (documents keep the name they were given)',
          params: z.object({ id: z.uuid() }),
          body: z.object({
            name: z.string().trim().min(1).max(100).optional(),
            abbreviation: abbreviation.optional(),
            active: z.boolean().optional(),
          }),
          response: { 200: typeSchema, ...errors },
        },
      },
      async (request) => {
        await requireInstallationAdministrator(db, requireCaller(request.caller));
        try {
          const updated = await db
            .updateTable('document_types')
            .set({ ...request.body, updated_at: new Date() })
            .where('id', '=', request.params.id)
            .returning(columns)
            .executeTakeFirst();
          if (!updated) throw new AppError('not_found');
          return updated;
        } catch (error) {
          if (isUniqueViolation(error)) throw new AppError('duplicate_document_type');
          throw error;
        }
      },
    );
  };
}
