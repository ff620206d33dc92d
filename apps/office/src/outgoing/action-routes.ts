import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { agencyParams } from '../directory/schemas.js';
import type { OfficeContext } from '../http/context.js';
import { AppError } from '../http/errors.js';
import { actorIn, errors, members } from '../http/members.js';
import { sendStoredFile } from '../http/stored-file.js';
import { actOnOutgoing } from './acting.js';
import { readableOutgoing } from './reading.js';

const params = agencyParams.extend({ outgoingId: z.uuid() });
const chainSchema = z.object({
  steps: z
    .array(z.object({ departmentId: z.uuid(), departmentName: z.string() }))
    .describe('The checks every draft goes through after its review and before its signer, in order'),
});

/** The steps of an outgoing document's workflow, its files, and the agency's approval chain. */
export function outgoingActionRoutes(ctx: OfficeContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/agencies/:agencyId/outgoing/:outgoingId/actions',
      {
        config: members,
        schema: {
          tags: ['outgoing'],
          summary: 'Take a step: submit for review or signature, approve, return, sign, number, issue, cancel',
          description:
            'Who may take which step is decided by the document’s workflow. `return_review`, `return_signature` and ' +
            '`cancel` need `text`. `sign` needs the `sha256` of the PDF the signer was shown (the detail’s `toSign`). ' +
            '`number` takes the agency’s outgoing register that fits unless `registerId` names one.',
          params,
          body: z.object({
            action: z.enum([
              'submit_review',
              'approve_review',
              'return_review',
              'submit_signature',
              'approve',
              'sign',
              'return_signature',
              'number',
              'issue',
              'cancel',
            ]),
            text: z.string().max(4000).optional(),
            sha256: z
              .string()
              .regex(/^[0-9a-f]{64}$/)
              .optional(),
            registerId: z.uuid().optional(),
          }),
          response: {
            200: z
              .object({ state: z.string() })
              .catchall(z.unknown())
              .describe('The new state; numbering adds number, notation and issueDate, issuing how many got it and how'),
            ...errors,
            503: errors[409],
          },
        },
      },
      async (request) => {
        const { agencyId, outgoingId } = request.params;
        const { action, text, sha256, registerId } = request.body;
        return actOnOutgoing(
          { db: ctx.db, files: ctx.files, keys: ctx.keys },
          { agencyId, outgoingId, actor: actorIn(request.caller, agencyId) },
          { action, ...(text ? { text } : {}), ...(sha256 ? { sha256 } : {}), ...(registerId ? { registerId } : {}) },
        );
      },
    );

    app.get(
      '/agencies/:agencyId/outgoing/:outgoingId/files/:position',
      {
        config: members,
        schema: {
          tags: ['outgoing'],
          summary: 'One file of the document: the draft, the PDF to sign, the signed and the issued PDF, attachments',
          params: params.extend({ position: z.coerce.number().int().min(1) }),
          querystring: z.object({ download: z.enum(['1']).optional() }),
        },
      },
      async (request, reply) => {
        const { agencyId, outgoingId, position } = request.params;
        await readableOutgoing(ctx.db, agencyId, outgoingId, actorIn(request.caller, agencyId));
        const file = await ctx.db
          .selectFrom('outgoing_files')
          .select(['name', 'content_type', 'sha256', 'size'])
          .where('outgoing_id', '=', outgoingId)
          .where('position', '=', position)
          .executeTakeFirst();
        if (!file) throw new AppError('not_found');
        return sendStoredFile(reply, ctx.files, file, request.query.download === '1');
      },
    );

    const chainOf = async (agencyId: string) => ({
      steps: await ctx.db
        .selectFrom('approval_steps as s')
        .innerJoin('departments as d', 'd.id', 's.department_id')
        .select(['s.department_id as departmentId', 'd.name as departmentName'])
        .where('s.agency_id', '=', agencyId)
        .orderBy('s.position')
        .execute(),
    });

    app.get(
      '/agencies/:agencyId/approval-chain',
      {
        config: members,
        schema: {
          tags: ['outgoing'],
          summary: 'The agency’s approval chain before the signer',
          params: agencyParams,
          response: { 200: chainSchema, ...errors },
        },
      },
      async (request) => chainOf(request.params.agencyId),
    );

    app.put(
      '/agencies/:agencyId/approval-chain',
      {
        config: { access: { roles: ['administrator', 'agency_leader'] as const } },
        schema: {
          tags: ['outgoing'],
          summary: 'Set the approval chain: departments whose leaders check every draft, in order (drafts already submitted keep theirs)',
          params: agencyParams,
          body: z.object({ departmentIds: z.array(z.uuid()).max(10) }),
          response: { 200: chainSchema, ...errors },
        },
      },
      async (request) => {
        const { agencyId } = request.params;
        const ids = request.body.departmentIds;
        if (new Set(ids).size !== ids.length) throw new AppError('validation_failed', { reason: 'a department appears twice' });
        await ctx.db.transaction().execute(async (tx) => {
          const known = ids.length
            ? await tx.selectFrom('departments').select('id').where('agency_id', '=', agencyId).where('id', 'in', ids).execute()
            : [];
          if (known.length !== ids.length) throw new AppError('invalid_assignee', { reason: 'a department is not one of this agency' });
          await tx.deleteFrom('approval_steps').where('agency_id', '=', agencyId).execute();
          if (ids.length) {
            await tx
              .insertInto('approval_steps')
              .values(ids.map((departmentId, i) => ({ agency_id: agencyId, position: i + 1, department_id: departmentId })))
              .execute();
          }
        });
        return chainOf(agencyId);
      },
    );
  };
}
