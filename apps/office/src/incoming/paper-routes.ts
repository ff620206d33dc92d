import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { URGENCIES, isAgencyCode } from '@vanban/edxml';
import { agencyParams } from '../directory/schemas.js';
import type { OfficeContext } from '../http/context.js';
import { AppError, errorBodySchema } from '../http/errors.js';
import { recordEvent } from '../journal/journal.js';
import type { OfficeSchema } from '../schema.js';
import { fold, suggestFromText, SUGGESTED_FIELDS, type PaperSuggestion } from './paper-prefill.js';
import { registeredSchema } from './action-routes.js';
import { registerIncoming } from './registration.js';
import { actorIn } from '../http/members.js';
import { SCAN_TYPES, TextExtractionError, extractText, scanTypeOf } from './text-extraction.js';

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  413: errorBodySchema,
  415: errorBodySchema,
};
const clerks = { access: { roles: ['clerk'] as const } };
/** What the clerk reads of the scan's text, to compare with the form. */
const TEXT_SHOWN = 4000;

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a date');

/** The metadata the clerk confirms, sent as multipart fields beside the file (blank fields count as absent). */
export const paperFields = z.object({
  registerId: z.uuid().describe('The incoming register (sổ văn bản đến) the document is numbered in'),
  senderName: z.string().trim().min(1).max(500).describe('Cơ quan gửi'),
  senderCode: z
    .string()
    .trim()
    .refine(isAgencyCode, 'not an agency code (000.00.00.H99)')
    .optional()
    .describe('The sending agency’s code, when it is in the directory'),
  number: z.string().trim().min(1).max(20).describe('Số'),
  notation: z.string().trim().min(1).max(100).describe('Ký hiệu, e.g. QĐ-UBND or 2026/NĐ-CP'),
  issueDate: date.describe('Ngày văn bản, yyyy-mm-dd'),
  documentType: z.string().trim().min(1).max(100).describe('Loại văn bản, e.g. Quyết định'),
  subject: z.string().trim().min(1).max(4000).describe('Trích yếu'),
  urgency: z.enum(URGENCIES).default('normal').describe('Độ khẩn'),
  replyDue: date.optional().describe('Hạn trả lời: the date by which the sender expects an answer'),
});

const scanPart = z.string().meta({ format: 'binary' }).describe('The scan: a PDF, or a PNG, JPEG or TIFF image');

const suggestionSchema = z.object({
  number: z.string().optional(),
  notation: z.string().optional(),
  issueDate: z.string().optional(),
  senderName: z.string().optional(),
  senderCode: z.string().optional().describe('Found when the sender’s name is an agency of the directory'),
  senderParent: z.string().optional().describe('The governing body printed above the sender'),
  documentType: z.string().optional(),
  subject: z.string().optional(),
  found: z.array(z.enum(SUGGESTED_FIELDS)).describe('Fields read from the page'),
  inferred: z.array(z.enum(SUGGESTED_FIELDS)).describe('Fields guessed rather than read: check them first'),
});

/**
 * The body of these routes is multipart, read part by part in the handler (its fields checked there
 * by `paperFields`): the schema declares it for the API document, and admits the empty body the
 * multipart parser leaves; any other content type is refused before it is validated.
 */
const multipart = <T extends z.ZodType>(schema: T) => schema.nullish();
async function multipartOnly(request: FastifyRequest): Promise<void> {
  if (!request.isMultipart()) throw new AppError('unsupported_media_type');
}

/** Registering paper documents: a scan's text pre-fills the form, the clerk confirms, and it is created and registered. */
export function paperRoutes(ctx: OfficeContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/agencies/:agencyId/incoming/paper/prefill',
      {
        config: clerks,
        preValidation: multipartOnly,
        schema: {
          tags: ['incoming'],
          summary: 'Read a paper document’s scan (PDF text layer, else OCR) and suggest its number, notation, date, sender and subject',
          description: 'Stores nothing. OCR of one page takes a few seconds; scans are read one at a time.',
          consumes: ['multipart/form-data'],
          params: agencyParams,
          body: multipart(z.object({ file: scanPart })),
          response: {
            200: z.object({
              source: z.enum(['text_layer', 'ocr']).describe('text_layer: the PDF’s own text; ocr: recognised from the image'),
              text: z.string().describe(`The text read, its first ${TEXT_SHOWN} characters`),
              suggestion: suggestionSchema,
            }),
            ...errors,
            503: errorBodySchema,
          },
        },
      },
      async (request) => {
        const { file } = await readForm(request, false);
        let read;
        try {
          read = await extractText(file.bytes);
        } catch (error) {
          throw asAppError(error);
        }
        const suggestion = suggestFromText(read.text);
        const senderCode = await senderInDirectory(ctx.db, suggestion);
        return {
          source: read.source,
          text: read.text.slice(0, TEXT_SHOWN),
          suggestion: { ...suggestion, ...(senderCode ?? {}) },
        };
      },
    );

    app.post(
      '/agencies/:agencyId/incoming/paper',
      {
        config: clerks,
        preValidation: multipartOnly,
        schema: {
          tags: ['incoming'],
          summary: 'Receive a paper document: its scan and the metadata the clerk confirmed; it is created and registered at once',
          consumes: ['multipart/form-data'],
          params: agencyParams,
          body: multipart(paperFields.extend({ file: scanPart })),
          response: {
            201: registeredSchema.extend({ id: z.uuid() }),
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const { agencyId } = request.params;
        const { file, fields } = await readForm(request, true);
        const parsed = paperFields.safeParse(fields);
        if (!parsed.success) {
          throw new AppError(
            'validation_failed',
            parsed.error.issues.map((i) => ({ path: `body/${i.path.join('/')}`, message: i.message })),
          );
        }
        const meta = parsed.data;
        // Checked before anything is created: a document must not be left received but unregistered for a wrong register.
        const register = await ctx.db
          .selectFrom('registers')
          .select('id')
          .where('id', '=', meta.registerId)
          .where('agency_id', '=', agencyId)
          .where('kind', '=', 'incoming')
          .executeTakeFirst();
        if (!register) throw new AppError('invalid_register');

        const stored = await ctx.files.put(file.bytes);
        const actor = actorIn(request.caller, agencyId);
        // One transaction: the document is created and registered, or nothing is left of it.
        const { id, registered } = await ctx.db.transaction().execute(async (tx) => {
          const row = await tx
            .insertInto('incoming_documents')
            .values({
              agency_id: agencyId,
              channel: 'paper',
              state: 'awaiting',
              sender_code: meta.senderCode ?? null,
              sender_name: meta.senderName,
              number: meta.number,
              notation: meta.notation,
              issue_date: meta.issueDate,
              document_type: meta.documentType,
              subject: meta.subject,
              urgency: meta.urgency,
              reply_due: meta.replyDue ?? null,
              verdict: null,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await tx
            .insertInto('incoming_files')
            .values({
              incoming_id: row.id,
              position: 1,
              name: file.name,
              content_type: SCAN_TYPES[file.type],
              sha256: stored.sha256,
              size: stored.size,
            })
            .execute();
          await recordEvent(tx, agencyId, {
            subject: { kind: 'incoming', id: row.id },
            action: 'receive',
            actorId: actor.userId,
            to: 'awaiting',
            details: { channel: 'paper' },
          });
          const registered = await registerIncoming(tx, ctx.files, { agencyId, incomingId: row.id, registerId: register.id, actor });
          return { id: row.id, registered };
        });
        return reply.status(201).send({ id, ...registered });
      },
    );
  };
}

interface Scan {
  readonly bytes: Buffer;
  readonly name: string;
  readonly type: keyof typeof SCAN_TYPES;
}

/**
 * The multipart form: its one file, in the field "file", checked to be a scan by its content, and
 * its other fields as text (blank ones left out, as a form sends every field it has).
 */
async function readForm(request: FastifyRequest, withFields: boolean): Promise<{ file: Scan; fields: Record<string, string> }> {
  let file: { bytes: Buffer; name: string } | undefined;
  const fields: Record<string, string> = {};
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      // toBuffer fails with FST_REQ_FILE_TOO_LARGE past the configured limit.
      const bytes = await part.toBuffer();
      if (part.fieldname === 'file') file = { bytes, name: part.filename };
    } else if (withFields && typeof part.value === 'string' && part.value.trim() !== '') {
      fields[part.fieldname] = part.value;
    }
  }
  if (!file || file.bytes.length === 0) {
    throw new AppError('validation_failed', [{ path: 'body/file', message: 'a multipart field named "file" with the scan is required' }]);
  }
  const type = scanTypeOf(file.bytes);
  if (!type) throw new AppError('unsupported_scan');
  const name = (file.name.split(/[\\/]/).pop() ?? '').trim().slice(0, 200) || `ban-quet.${type === 'jpeg' ? 'jpg' : type}`;
  return { file: { bytes: file.bytes, name, type }, fields };
}

function asAppError(error: unknown): unknown {
  if (!(error instanceof TextExtractionError)) return error;
  if (error.problem === 'unsupported') return new AppError('unsupported_scan');
  if (error.problem === 'unreadable') return new AppError('invalid_file', { reason: error.message });
  return new AppError('text_extraction_unavailable', { reason: error.message });
}

/**
 * The sender's code and name as the directory has them, when the name read from the page is one
 * agency there (or one under the governing body printed above it). Compared without diacritics,
 * which OCR gets wrong most; agencies are few enough per installation for this to read them.
 */
async function senderInDirectory(
  db: Kysely<OfficeSchema>,
  suggestion: PaperSuggestion,
): Promise<{ senderCode: string; senderName: string } | null> {
  if (!suggestion.senderName) return null;
  const key = (name: string) =>
    fold(name)
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  const candidates = await db
    .selectFrom('agencies as a')
    .leftJoin('agencies as p', 'p.id', 'a.parent_id')
    .select(['a.code', 'a.name', 'p.name as parentName', 'p.short_name as parentShortName'])
    .where(sql<boolean>`lower(unaccent(a.name)) = lower(unaccent(${suggestion.senderName}))`)
    .limit(20)
    .execute();
  let matches = candidates.filter((c) => key(c.name) === key(suggestion.senderName!));
  if (matches.length > 1 && suggestion.senderParent) {
    const parent = key(suggestion.senderParent);
    matches = matches.filter((c) => [c.parentName, c.parentShortName].some((n) => n !== null && key(n) === parent));
  }
  return matches.length === 1 ? { senderCode: matches[0]!.code, senderName: matches[0]!.name } : null;
}
