import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { agencyParams } from '../directory/schemas.js';
import { isUniqueViolation } from '../directory/store.js';
import type { OfficeContext } from '../http/context.js';
import { AppError, errorBodySchema } from '../http/errors.js';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const kindSchema = z.enum(['incoming', 'outgoing']);
const registerSchema = z.object({ id: z.uuid(), kind: kindSchema, name: z.string(), classified: z.boolean() });

/** An agency's registers (sổ văn bản): every member reads the list; clerks and administrators open new ones. */
export function registerRoutes(ctx: OfficeContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/agencies/:agencyId/registers',
      {
        config: { access: { roles: ['clerk', 'officer', 'department_leader', 'agency_leader', 'administrator'] } },
        schema: {
          tags: ['registers'],
          summary: 'The registers of an agency, by kind',
          params: agencyParams,
          querystring: z.object({ kind: kindSchema.optional() }),
          response: { 200: z.object({ items: z.array(registerSchema) }), ...errors },
        },
      },
      async (request) => {
        let query = ctx.db
          .selectFrom('registers')
          .select(['id', 'kind', 'name', 'classified'])
          .where('agency_id', '=', request.params.agencyId);
        if (request.query.kind) query = query.where('kind', '=', request.query.kind);
        return { items: await query.orderBy('kind').orderBy('classified').orderBy('name').execute() };
      },
    );

    app.post(
      '/agencies/:agencyId/registers',
      {
        config: { access: { roles: ['clerk', 'administrator'] } },
        schema: {
          tags: ['registers'],
          summary: 'Open a register; classified documents need registers of their own',
          params: agencyParams,
          body: z.object({ kind: kindSchema, name: z.string().trim().min(1).max(200), classified: z.boolean().default(false) }),
          response: { 201: registerSchema, ...errors },
        },
      },
      async (request, reply) => {
        try {
          const row = await ctx.db
            .insertInto('registers')
            .values({ agency_id: request.params.agencyId, ...request.body })
            .returning(['id', 'kind', 'name', 'classified'])
            .executeTakeFirstOrThrow();
          return reply.status(201).send(row);
        } catch (error) {
          if (isUniqueViolation(error)) throw new AppError('duplicate_register');
          throw error;
        }
      },
    );
  };
}
