import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { URGENCIES } from '@vanban/edxml';
import { agencyParams } from '../directory/schemas.js';
import type { OfficeContext } from '../http/context.js';
import { actorIn, errors, members } from '../http/members.js';
import { AppError } from '../http/errors.js';
import { decodeCursor, encodeCursor, pageQuery } from '../http/paging.js';
import { INCOMING_STATES } from '../incoming/workflow.js';
import { OUTGOING_STATES } from '../outgoing/workflow.js';
import { FACETS, SEARCH_KINDS, searchDocuments } from './search.js';
import { MAX_QUERY_LENGTH } from './terms.js';

const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const segmentSchema = z.object({ text: z.string(), hit: z.boolean().describe('A word of the query starts here') });
const facetSchema = z.array(z.object({ value: z.string(), count: z.number().int() }));

const hitSchema = z.object({
  kind: z.enum(SEARCH_KINDS),
  id: z.uuid(),
  title: z.array(segmentSchema).describe('The subject (trích yếu), cut where the query’s words occur'),
  reference: z.string().describe('Number/notation, e.g. 12/UBND-VP; empty for a draft'),
  date: z.string().describe('Issue date, else the day received (incoming) or drafted (outgoing)'),
  party: z.string().describe('Incoming: the sender; outgoing: the recipients'),
  signer: z.string().nullable(),
  documentType: z.string(),
  urgency: z.string(),
  state: z.string(),
  channel: z.string().nullable(),
  snippet: z.array(segmentSchema).nullable().describe('Where the query’s words occur in the PDF text'),
  link: z.string().describe('The page of the document in the web app'),
});

export function searchRoutes(ctx: OfficeContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/agencies/:agencyId/search',
      {
        config: members,
        schema: {
          tags: ['search'],
          summary:
            'Search the agency’s incoming and outgoing documents I may open: subject, number/notation, sender, signer, recipients and PDF text, with or without Vietnamese marks, forgiving a typo',
          params: agencyParams,
          querystring: pageQuery.extend({
            limit: z.coerce.number().int().min(1).max(50).default(20),
            q: z.string().max(MAX_QUERY_LENGTH).default('').describe('The words looked for; empty: every document, newest first'),
            kind: z.enum(SEARCH_KINDS).optional(),
            year: z.coerce.number().int().min(1900).max(2200).optional(),
            from: DATE.optional().describe('Dated on or after this day'),
            to: DATE.optional().describe('Dated on or before this day'),
            documentType: z.string().trim().min(1).max(100).optional(),
            urgency: z.enum(URGENCIES).optional(),
            state: z.enum([...new Set([...INCOMING_STATES, ...OUTGOING_STATES])] as [string, ...string[]]).optional(),
            channel: z.enum(['hub', 'internal', 'paper']).optional(),
          }),
          response: {
            200: z.object({
              items: z.array(hitSchema),
              nextCursor: z.string().nullable(),
              facets: z
                .object(Object.fromEntries(FACETS.map((f) => [f, facetSchema])) as Record<(typeof FACETS)[number], typeof facetSchema>)
                .nullable()
                .describe('Counts of the matching documents per value of each filter; on the first page only'),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const { agencyId } = request.params;
        const { cursor, ...q } = request.query;
        const actor = actorIn(request.caller, agencyId);
        // Results are ranked, so the page key is the rank with the time and id that break its ties,
        // and how the first page matched, so that the next ones match the same way.
        const key = decodeCursor(cursor, 4);
        const mode = key?.[0];
        if (mode !== undefined && mode !== 'words' && mode !== 'similar') {
          throw new AppError('validation_failed', [{ path: '/cursor', message: 'invalid cursor' }]);
        }
        const after = key ? ([key[1]!, key[2]!, key[3]!] as const) : null;
        const result = await searchDocuments(ctx.db, actor, agencyId, {
          ...q,
          after,
          withFacets: key === null,
          ...(mode ? { mode } : {}),
        });
        const last = result.hits[result.hits.length - 1];
        return {
          items: result.hits.map(({ key: _key, ...hit }) => hit),
          nextCursor: result.more && last ? encodeCursor([result.mode, ...last.key]) : null,
          facets: result.facets,
        };
      },
    );
  };
}
