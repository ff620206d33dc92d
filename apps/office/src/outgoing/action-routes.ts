import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { agencyParams } from '../directory/schemas.js';
import type { OfficeContext } from '../http/context.js';
import { AppError } from '../http/errors.js';
import { actorIn, errors, members } from '../http/members.js';
import { sendStoredFile } from '../http/stored-file.js';
import { actOnOutgoing } from './acting.js';
import { answerConsultation, askForComments, mayAnswer } from './consultation.js';
import { fileToSign } from './steps.js';
import { OUTGOING_ACTIONS, type OutgoingAction } from './workflow.js';
import { readableOutgoing } from './reading.js';

const params = agencyParams.extend({ outgoingId: z.uuid() });
/** Every action but saving a version, which has routes of its own (it takes fields and files). */
const STEPS = OUTGOING_ACTIONS.filter((a): a is Exclude<OutgoingAction, 'save_version'> => a !== 'save_version');
const chainSchema = z.object({
  steps: z
    .array(z.object({ departmentId: z.uuid(), departmentName: z.string() }))
    .describe('The checks every draft goes through after its review and before its signer, in order'),
});

const consultationQuestion = z.object({
  question: z.string().trim().min(1).max(4000),
  due: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});
const consultationSchema = z.object({
  id: z.uuid(),
  outgoingId: z.uuid(),
  draftingAgencyId: z.uuid(),
  draftingAgency: z.string(),
  subject: z.string(),
  version: z.number().int().describe('The draft’s version the question was asked on'),
  departmentId: z.uuid().nullable(),
  consultedAgencyId: z.uuid().nullable(),
  asked: z.string().describe('The department or agency asked'),
  question: z.string(),
  due: z.string(),
  askedBy: z.string(),
  answer: z.string().nullable(),
  answeredBy: z.string().nullable(),
  answeredAt: z.string().nullable(),
});

/** Requests for comments with their drafts, as the lists show them. */
async function consultations(
  ctx: OfficeContext,
  filter: { readonly id?: string; readonly outgoingId?: string; readonly askedOf?: { agencyId: string; departmentId: string | null } },
): Promise<z.infer<typeof consultationSchema>[]> {
  let query = ctx.db
    .selectFrom('outgoing_consultations as c')
    .innerJoin('outgoing_documents as d', 'd.id', 'c.outgoing_id')
    .innerJoin('agencies as a', 'a.id', 'd.agency_id')
    .innerJoin('users as asker', 'asker.id', 'c.asked_by')
    .leftJoin('users as answerer', 'answerer.id', 'c.answered_by')
    .leftJoin('departments as dep', 'dep.id', 'c.department_id')
    .leftJoin('agencies as ca', 'ca.id', 'c.consulted_agency_id')
    .select([
      'c.id',
      'c.outgoing_id',
      'd.agency_id',
      'a.name as agencyName',
      'd.subject',
      'c.version',
      'c.department_id',
      'c.consulted_agency_id',
      'dep.name as departmentName',
      'ca.name as consultedName',
      'c.question',
      'c.due',
      'asker.full_name as askedBy',
      'c.answer',
      'answerer.full_name as answeredBy',
      'c.answered_at',
    ]);
  if (filter.id) query = query.where('c.id', '=', filter.id);
  if (filter.outgoingId) query = query.where('c.outgoing_id', '=', filter.outgoingId);
  const askedOf = filter.askedOf;
  if (askedOf) {
    query = query.where((eb) =>
      eb.or([
        eb('c.consulted_agency_id', '=', askedOf.agencyId),
        ...(askedOf.departmentId ? [eb('c.department_id', '=', askedOf.departmentId)] : []),
      ]),
    );
  }
  const rows = await query
    .orderBy(sql`c.answer IS NOT NULL`)
    .orderBy('c.due')
    .orderBy('c.asked_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    outgoingId: r.outgoing_id,
    draftingAgencyId: r.agency_id,
    draftingAgency: r.agencyName,
    subject: r.subject,
    version: r.version,
    departmentId: r.department_id,
    consultedAgencyId: r.consulted_agency_id,
    asked: r.departmentName ?? r.consultedName ?? '',
    question: r.question,
    due: r.due,
    askedBy: r.askedBy,
    answer: r.answer,
    answeredBy: r.answeredBy,
    answeredAt: r.answered_at?.toISOString() ?? null,
  }));
}

/** The steps of an outgoing document's workflow, its files, and the agency's approval chain. */
export function outgoingActionRoutes(ctx: OfficeContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/agencies/:agencyId/outgoing/:outgoingId/actions',
      {
        config: members,
        schema: {
          tags: ['outgoing'],
          summary: 'Take a step: submit for review or signature, approve, return, sign, number, issue, recall, cancel',
          description:
            'Who may take which step is decided by the document’s workflow. `return_review`, `return_signature`, ' +
            '`recall` and `cancel` need `text`. `sign` needs the `sha256` of the PDF the signer was shown (the detail’s `toSign`). ' +
            '`number` takes the agency’s outgoing register that fits unless `registerId` names one.',
          params,
          body: z.object({
            action: z.enum(STEPS),
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

    app.post(
      '/agencies/:agencyId/outgoing/:outgoingId/consultations',
      {
        config: members,
        schema: {
          tags: ['outgoing'],
          summary: 'Ask a department of the agency or another agency of the installation for comments on the draft, by a date',
          params,
          body: z.union([
            consultationQuestion.extend({ departmentId: z.uuid() }),
            consultationQuestion.extend({ agencyId: z.uuid().describe('Another agency of this installation') }),
          ]),
          response: { 201: z.object({ id: z.uuid() }), ...errors },
        },
      },
      async (request, reply) => {
        const { agencyId, outgoingId } = request.params;
        const body = request.body;
        const created = await askForComments(ctx.db, {
          agencyId,
          outgoingId,
          actor: actorIn(request.caller, agencyId),
          consulted: 'departmentId' in body ? { departmentId: body.departmentId } : { agencyId: body.agencyId },
          question: body.question,
          due: body.due,
        });
        return reply.status(201).send(created);
      },
    );

    app.get(
      '/agencies/:agencyId/outgoing/:outgoingId/consultations',
      {
        config: members,
        schema: {
          tags: ['outgoing'],
          summary: 'The comments asked on a draft and the answers given',
          params,
          response: { 200: z.object({ items: z.array(consultationSchema) }), ...errors },
        },
      },
      async (request) => {
        const { agencyId, outgoingId } = request.params;
        await readableOutgoing(ctx.db, agencyId, outgoingId, actorIn(request.caller, agencyId));
        return { items: await consultations(ctx, { outgoingId }) };
      },
    );

    app.get(
      '/agencies/:agencyId/consultations',
      {
        config: members,
        schema: {
          tags: ['outgoing'],
          summary: 'Comments asked of me: of my department, or of my agency by another; unanswered first, soonest due first',
          params: agencyParams,
          response: { 200: z.object({ items: z.array(consultationSchema) }), ...errors },
        },
      },
      async (request) => {
        const { agencyId } = request.params;
        const actor = actorIn(request.caller, agencyId);
        const rows = await consultations(ctx, { askedOf: { agencyId, departmentId: actor.departmentId } });
        return {
          items: rows.filter((c) => mayAnswer(c, { agencyId, departmentId: actor.departmentId, roles: actor.roles }, c.draftingAgencyId)),
        };
      },
    );

    app.post(
      '/agencies/:agencyId/consultations/:consultationId/answer',
      {
        config: members,
        schema: {
          tags: ['outgoing'],
          summary: 'Answer a request for comments',
          params: agencyParams.extend({ consultationId: z.uuid() }),
          body: z.object({ answer: z.string().trim().min(1).max(8000) }),
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        const { agencyId, consultationId } = request.params;
        await answerConsultation(ctx.db, {
          consultationId,
          answererAgencyId: agencyId,
          actor: actorIn(request.caller, agencyId),
          answer: request.body.answer,
        });
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/agencies/:agencyId/consultations/:consultationId/file',
      {
        config: members,
        schema: {
          tags: ['outgoing'],
          summary: 'The draft’s PDF as it is now, for those asked for comments',
          params: agencyParams.extend({ consultationId: z.uuid() }),
        },
      },
      async (request, reply) => {
        const { agencyId, consultationId } = request.params;
        const actor = actorIn(request.caller, agencyId);
        const [c] = await consultations(ctx, { id: consultationId });
        if (!c || !mayAnswer(c, { agencyId, departmentId: actor.departmentId, roles: actor.roles }, c.draftingAgencyId)) {
          throw new AppError('not_found');
        }
        const file = await fileToSign(ctx.db, c.outgoingId);
        if (!file) throw new AppError('not_found');
        return sendStoredFile(reply, ctx.files, file, false);
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
