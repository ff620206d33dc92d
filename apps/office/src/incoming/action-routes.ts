import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { agencyParams } from '../directory/schemas.js';
import type { OfficeContext } from '../http/context.js';
import { uploadedNamedFile } from '../http/upload.js';
import {
  assignIncoming,
  attachFile,
  completeIncoming,
  forwardIncoming,
  giveInput,
  reopenIncoming,
  reportProgress,
  returnIncoming,
  submitIncoming,
} from './handling.js';
import { refuseIncoming, registerIncoming } from './registration.js';
import { actorIn, errors, members } from '../http/members.js';
import { documentParams } from './routes.js';
import { agreeToSenderRequest, refuseSenderRequest } from './sender-requests.js';

const clerks = { access: { roles: ['clerk'] as const } };

/** What registering answers, alone or with the creation of a paper document. */
export const registeredSchema = z.object({
  registerNumber: z.string(),
  registerYear: z.number().int(),
  possibleDuplicateOf: z.uuid().nullable().describe('A document already registered with the same sender, number, notation and date'),
});
const TEXT = z.string().max(4000);
const noContent = { 204: z.null(), ...errors };
const assigneeSchema = z.union([z.object({ userId: z.uuid() }), z.object({ departmentId: z.uuid() })]);

/** The workflow actions on one incoming document; who may take which is decided by workflow.ts. */
export function incomingActionRoutes(ctx: OfficeContext): FastifyPluginAsyncZod {
  return async (app) => {
    const target = (params: { agencyId: string; incomingId: string }, caller: Parameters<typeof actorIn>[0]) => ({
      agencyId: params.agencyId,
      incomingId: params.incomingId,
      actor: actorIn(caller, params.agencyId),
    });

    app.post(
      '/agencies/:agencyId/incoming/:incomingId/register',
      {
        config: clerks,
        schema: {
          tags: ['incoming'],
          summary: 'Register (tiếp nhận) a document awaiting: the next number of an incoming register; status 03 goes to the sender',
          params: documentParams,
          body: z.object({ registerId: z.uuid() }),
          response: { 200: registeredSchema, ...errors },
        },
      },
      async (request) =>
        registerIncoming(ctx.db, ctx.files, { ...target(request.params, request.caller), registerId: request.body.registerId }),
    );

    app.post(
      '/agencies/:agencyId/incoming/:incomingId/refuse',
      {
        config: clerks,
        schema: {
          tags: ['incoming'],
          summary: 'Refuse a document awaiting, saying why; status 02 with the reason goes to the sender',
          params: documentParams,
          body: z.object({ reason: z.string().max(2000) }),
          response: noContent,
        },
      },
      async (request, reply) => {
        await refuseIncoming(ctx.db, ctx.files, { ...target(request.params, request.caller), reason: request.body.reason });
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/agencies/:agencyId/incoming/:incomingId/submit',
      {
        config: clerks,
        schema: {
          tags: ['incoming'],
          summary: 'Submit a registered document to a leader of the agency for direction',
          params: documentParams,
          body: z.object({ leaderId: z.uuid() }),
          response: noContent,
        },
      },
      async (request, reply) => {
        await submitIncoming(ctx.db, ctx.files, { ...target(request.params, request.caller), leaderId: request.body.leaderId });
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/agencies/:agencyId/incoming/:incomingId/return',
      {
        config: members,
        schema: {
          tags: ['incoming'],
          summary: 'A leader returns a submitted document to the clerk, saying why',
          params: documentParams,
          body: z.object({ reason: z.string().max(2000) }),
          response: noContent,
        },
      },
      async (request, reply) => {
        await returnIncoming(ctx.db, ctx.files, { ...target(request.params, request.caller), reason: request.body.reason });
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/agencies/:agencyId/incoming/:incomingId/assign',
      {
        config: members,
        schema: {
          tags: ['incoming'],
          summary:
            'A leader directs and assigns: lead, co-handlers, people informed, due date; again to re-assign; status 04 goes to the sender',
          params: documentParams,
          body: z
            .object({
              direction: TEXT.default('').describe('The leader’s direction (ý kiến chỉ đạo)'),
              lead: assigneeSchema,
              co: z.array(assigneeSchema).max(50).default([]),
              info: z.array(assigneeSchema).max(200).default([]),
              dueDate: z
                .string()
                .regex(/^\d{4}-\d{2}-\d{2}$/)
                .optional(),
              dueInWorkingDays: z.number().int().min(0).max(365).optional().describe('Counted from today on the working-day calendar'),
            })
            .refine((b) => b.dueDate === undefined || b.dueInWorkingDays === undefined, {
              message: 'give dueDate or dueInWorkingDays, not both',
            }),
          response: { 200: z.object({ dueDate: z.string().nullable() }), ...errors },
        },
      },
      async (request) => {
        const { dueDate, dueInWorkingDays, ...rest } = request.body;
        return assignIncoming(ctx.db, ctx.files, {
          ...target(request.params, request.caller),
          assignment: {
            ...rest,
            ...(dueDate === undefined ? {} : { dueDate }),
            ...(dueInWorkingDays === undefined ? {} : { dueInWorkingDays }),
          },
        });
      },
    );

    app.post(
      '/agencies/:agencyId/incoming/:incomingId/progress',
      {
        config: members,
        schema: {
          tags: ['incoming'],
          summary: 'The lead handler records progress; status 05 with the note goes to the sender',
          params: documentParams,
          body: z.object({ note: TEXT }),
          response: noContent,
        },
      },
      async (request, reply) => {
        await reportProgress(ctx.db, ctx.files, { ...target(request.params, request.caller), note: request.body.note });
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/agencies/:agencyId/incoming/:incomingId/input',
      {
        config: members,
        schema: {
          tags: ['incoming'],
          summary: 'A co-handler gives their input to the lead handler',
          params: documentParams,
          body: z.object({ input: TEXT }),
          response: noContent,
        },
      },
      async (request, reply) => {
        await giveInput(ctx.db, ctx.files, { ...target(request.params, request.caller), input: request.body.input });
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/agencies/:agencyId/incoming/:incomingId/files',
      {
        config: members,
        schema: {
          tags: ['incoming'],
          summary: 'A handler adds a file (multipart field "file") while handling',
          params: documentParams,
          consumes: ['multipart/form-data'],
          response: { 201: z.object({ position: z.number().int() }), ...errors },
        },
      },
      async (request, reply) => {
        const file = await uploadedNamedFile(request);
        return reply.status(201).send(await attachFile(ctx.db, ctx.files, { ...target(request.params, request.caller), file }));
      },
    );

    app.post(
      '/agencies/:agencyId/incoming/:incomingId/complete',
      {
        config: members,
        schema: {
          tags: ['incoming'],
          summary: 'The lead handler completes with the result, optionally linking the reply sent; status 06 goes to the sender',
          params: documentParams,
          body: z.object({
            result: TEXT,
            replyDocumentId: z.string().min(1).max(200).optional().describe('The DocumentId of the document this agency sent in answer'),
          }),
          response: noContent,
        },
      },
      async (request, reply) => {
        const { result, replyDocumentId } = request.body;
        await completeIncoming(ctx.db, ctx.files, {
          ...target(request.params, request.caller),
          result,
          ...(replyDocumentId ? { replyDocumentId } : {}),
        });
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/agencies/:agencyId/incoming/:incomingId/reopen',
      {
        config: members,
        schema: {
          tags: ['incoming'],
          summary: 'A leader reopens a completed document, saying why',
          params: documentParams,
          body: z.object({ reason: z.string().max(2000) }),
          response: noContent,
        },
      },
      async (request, reply) => {
        await reopenIncoming(ctx.db, ctx.files, { ...target(request.params, request.caller), reason: request.body.reason });
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/agencies/:agencyId/incoming/:incomingId/forward',
      {
        config: members,
        schema: {
          tags: ['incoming'],
          summary: 'Forward a copy to another agency of this installation, into its awaiting list',
          params: documentParams,
          body: z.object({ agencyId: z.uuid(), note: z.string().max(2000).optional() }),
          response: { 200: z.object({ forwardedId: z.uuid() }), ...errors },
        },
      },
      async (request) => {
        const { agencyId, note } = request.body;
        return forwardIncoming(ctx.db, ctx.files, {
          ...target(request.params, request.caller),
          toAgencyId: agencyId,
          ...(note ? { note } : {}),
        });
      },
    );

    app.post(
      '/agencies/:agencyId/incoming/:incomingId/sender-request/agree',
      {
        config: clerks,
        schema: {
          tags: ['incoming'],
          summary: 'Agree to the sender’s recall, amendment or replacement: withdrawn from every list; status 15 goes back',
          params: documentParams,
          response: noContent,
        },
      },
      async (request, reply) => {
        await agreeToSenderRequest(ctx.db, ctx.files, target(request.params, request.caller));
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/agencies/:agencyId/incoming/:incomingId/sender-request/refuse',
      {
        config: clerks,
        schema: {
          tags: ['incoming'],
          summary: 'Refuse the sender’s request, saying why; status 16 goes back',
          params: documentParams,
          body: z.object({ reason: z.string().max(2000) }),
          response: noContent,
        },
      },
      async (request, reply) => {
        await refuseSenderRequest(ctx.db, ctx.files, { ...target(request.params, request.caller), reason: request.body.reason });
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/agencies/:agencyId/assignable',
      {
        config: members,
        schema: {
          tags: ['incoming'],
          summary: 'Who documents can be submitted and assigned to: the agency’s leaders, people and departments',
          params: agencyParams,
          response: {
            200: z.object({
              people: z.array(
                z.object({
                  id: z.uuid(),
                  name: z.string(),
                  position: z.string().nullable(),
                  departmentId: z.uuid().nullable(),
                  leader: z.boolean().describe('Agency or department leader: can be submitted to'),
                }),
              ),
              departments: z.array(z.object({ id: z.uuid(), name: z.string() })),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const { agencyId } = request.params;
        const people = await ctx.db
          .selectFrom('memberships as m')
          .innerJoin('users as u', 'u.id', 'm.user_id')
          .select([
            'u.id',
            'u.full_name as name',
            'm.position',
            'm.department_id as departmentId',
            sql<boolean>`m.roles && ARRAY['agency_leader', 'department_leader']`.as('leader'),
          ])
          .where('m.agency_id', '=', agencyId)
          .orderBy('u.full_name')
          .execute();
        const departments = await ctx.db
          .selectFrom('departments')
          .select(['id', 'name'])
          .where('agency_id', '=', agencyId)
          .orderBy('name')
          .execute();
        return { people, departments };
      },
    );
  };
}
