import { sql, type Kysely, type RawBuilder } from 'kysely';
import { seesWholeAgency, type Actor } from '../http/members.js';
import type { OfficeSchema } from '../schema.js';
import { EXCERPT_BEFORE, EXCERPT_LENGTH, excerpt, highlight, parseQuery, type Segment } from './terms.js';

export const SEARCH_KINDS = ['incoming', 'outgoing'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];
export const FACETS = ['kind', 'year', 'documentType', 'urgency', 'state', 'channel'] as const;
export type Facet = (typeof FACETS)[number];

export interface SearchFilters {
  readonly kind?: SearchKind;
  readonly year?: number;
  /** Dates of the document (its issue date, else the day it was received or drafted), inclusive. */
  readonly from?: string;
  readonly to?: string;
  readonly documentType?: string;
  readonly urgency?: string;
  readonly state?: string;
  readonly channel?: string;
}

export interface SearchQuery extends SearchFilters {
  readonly q: string;
  readonly limit: number;
  /** The key of the last result of the previous page, as `nextCursorKey` gave it. */
  readonly after?: readonly [score: string, sortedAt: string, id: string] | null;
  /** Counts per facet value are computed for a first page only: later pages show the same ones. */
  readonly withFacets?: boolean;
}

export interface SearchHit {
  readonly kind: SearchKind;
  readonly id: string;
  readonly title: Segment[];
  readonly reference: string;
  readonly date: string;
  /** Incoming: the sender; outgoing: the recipients. */
  readonly party: string;
  readonly signer: string | null;
  readonly documentType: string;
  readonly urgency: string;
  readonly state: string;
  readonly channel: string | null;
  /** Where the query's words occur in the document's PDF text, when they do. */
  readonly snippet: Segment[] | null;
  readonly link: string;
  readonly key: [score: string, sortedAt: string, id: string];
}

export type FacetCounts = Record<Facet, { value: string; count: number }[]>;

export interface SearchResult {
  readonly hits: SearchHit[];
  readonly more: boolean;
  readonly facets: FacetCounts | null;
}

/**
 * The agency's documents the actor may open that match the query, best first.
 *
 * Matching: every word of the query as a prefix of a word of the folded metadata or PDF text
 * (full text, GIN index on `terms`), or, for a query of four letters or more, the whole query
 * similar to a stretch of the folded metadata (pg_trgm word similarity, GIN index on `meta`):
 * that is what forgives a typo ("quyet dihn").
 *
 * Ranking, highest first: 2 when the query is the document's number/notation exactly; plus
 * ts_rank, where metadata words weigh 1 and PDF words 0.1; plus the word similarity of the query
 * to the metadata (0 to 1). Equal scores go newest first. The score is rounded to four places so
 * that the page cursor (score, time, id) compares exactly what was sorted.
 */
export async function searchDocuments(db: Kysely<OfficeSchema>, actor: Actor, agencyId: string, query: SearchQuery): Promise<SearchResult> {
  const parsed = parseQuery(query.q);
  const text = query.q.normalize('NFC').replace(/\s+/g, ' ').trim();
  const tsq = parsed.tsquery === null ? null : sql`to_tsquery('simple', ${parsed.tsquery})`;
  const matches: RawBuilder<unknown>[] = [];
  if (tsq) matches.push(sql`e.terms @@ ${tsq}`);
  if (parsed.fuzzy) matches.push(sql`search_fold(${text}) <% e.meta`);
  const matching = parsed.terms.length === 0 ? sql`true` : sql`(${sql.join(matches, sql` OR `)})`;
  const where = sql`e.agency_id = ${agencyId} AND ${matching} AND ${visibleTo(actor)}`;
  const score =
    parsed.terms.length === 0
      ? sql`0::numeric`
      : sql`round((${tsq ? sql`ts_rank(e.terms, ${tsq})` : sql`0`}
        + ${parsed.fuzzy ? sql`word_similarity(search_fold(${text}), e.meta)` : sql`0`}
        + CASE WHEN search_fold(e.reference) = search_fold(${text}) THEN 2 ELSE 0 END)::numeric, 4)`;
  const filtered = sql`${where} AND ${filtersOf(query)}`;
  const after = query.after
    ? sql`WHERE (h.score, h.sorted_at, h.document_id) < (${query.after[0]}::numeric, ${query.after[1]}::timestamptz, ${query.after[2]}::uuid)`
    : sql``;
  // The longest word is looked for in the PDF text: it is the most telling and the least frequent.
  const longest = parsed.terms[0] ?? null;
  // The page is cut before the PDF texts are read: only its rows need an excerpt.
  const rows = await sql<HitRow>`
    WITH hits AS (
      SELECT e.*, ${score} AS score FROM search_entries e WHERE ${filtered}
    ), page AS (
      SELECT * FROM hits h ${after} ORDER BY h.score DESC, h.sorted_at DESC, h.document_id DESC LIMIT ${query.limit + 1}
    )
    SELECT p.kind, p.document_id, p.title, p.reference, p.doc_date::text AS doc_date, p.party, p.signer,
      p.document_type, p.urgency, p.state, p.channel, p.score::text AS score, p.sorted_at::text AS sorted_key,
      w.at, CASE WHEN w.at > 0 THEN substr(t.body, greatest(1, w.at - ${EXCERPT_BEFORE}), ${EXCERPT_LENGTH}) END AS body_window,
      length(t.body) AS body_length
    FROM page p
    LEFT JOIN search_texts t ON t.document_id = p.document_id
    CROSS JOIN LATERAL (SELECT ${longest === null ? sql`0` : sql`coalesce(strpos(t.folded, ${longest}), 0)`} AS at) w
    ORDER BY p.score DESC, p.sorted_at DESC, p.document_id DESC
  `.execute(db);
  const page = rows.rows.slice(0, query.limit);
  const facets = query.withFacets ? await facetCounts(db, filtered) : null;
  return { hits: page.map((r) => toHit(r, parsed.terms)), more: rows.rows.length > query.limit, facets };
}

interface HitRow {
  kind: SearchKind;
  document_id: string;
  title: string;
  reference: string;
  doc_date: string;
  party: string;
  signer: string | null;
  document_type: string;
  urgency: string;
  state: string;
  channel: string | null;
  score: string;
  sorted_key: string;
  at: number;
  body_window: string | null;
  body_length: number | null;
}

function toHit(r: HitRow, terms: readonly string[]): SearchHit {
  let snippet: Segment[] | null = null;
  if (r.body_window !== null) {
    const start = Math.max(1, r.at - EXCERPT_BEFORE);
    const cutAfter = start + r.body_window.length - 1 < (r.body_length ?? 0);
    snippet = highlight(excerpt(r.body_window, start > 1, cutAfter), terms);
  }
  return {
    kind: r.kind,
    id: r.document_id,
    title: highlight(r.title, terms),
    reference: r.reference,
    date: r.doc_date,
    party: r.party,
    signer: r.signer,
    documentType: r.document_type,
    urgency: r.urgency,
    state: r.state,
    channel: r.channel,
    snippet,
    link: `/${r.kind}/${r.document_id}`,
    key: [r.score, r.sorted_key, r.document_id],
  };
}

/**
 * What the actor may open, as the document routes decide it (incoming/reading.ts standingOn,
 * outgoing/reading.ts readableOutgoing): clerks and leaders the whole agency; others an incoming
 * document they or their department have a part in (lead, co-handler, informed), an outgoing one
 * they drafted or sign. An outgoing document's reviewers and the checkers of its approval chain
 * are department leaders, who see the whole agency already; its last approver is its signer.
 */
function visibleTo(actor: Actor): RawBuilder<unknown> {
  if (seesWholeAgency(actor.roles)) return sql`true`;
  const mine = actor.departmentId
    ? sql`(a.user_id = ${actor.userId} OR a.department_id = ${actor.departmentId})`
    : sql`a.user_id = ${actor.userId}`;
  return sql`(
    (e.kind = 'incoming' AND EXISTS (SELECT 1 FROM incoming_assignments a WHERE a.incoming_id = e.document_id AND ${mine}))
    OR (e.kind = 'outgoing' AND (e.drafter_id = ${actor.userId} OR e.signer_id = ${actor.userId}))
  )`;
}

function filtersOf(f: SearchFilters): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`true`];
  if (f.kind) parts.push(sql`e.kind = ${f.kind}`);
  if (f.year !== undefined) parts.push(sql`e.year = ${f.year}`);
  if (f.from) parts.push(sql`e.doc_date >= ${f.from}::date`);
  if (f.to) parts.push(sql`e.doc_date <= ${f.to}::date`);
  if (f.documentType) parts.push(sql`e.document_type = ${f.documentType}`);
  if (f.urgency) parts.push(sql`e.urgency = ${f.urgency}`);
  if (f.state) parts.push(sql`e.state = ${f.state}`);
  if (f.channel) parts.push(sql`e.channel = ${f.channel}`);
  return sql.join(parts, sql` AND `);
}

/** How many matching documents have each value of each facet, in one pass over the matches. */
async function facetCounts(db: Kysely<OfficeSchema>, filtered: RawBuilder<unknown>): Promise<FacetCounts> {
  const rows = await sql<{
    facet: Facet;
    value: string;
    count: string;
  }>`
    SELECT CASE
        WHEN GROUPING(e.kind) = 0 THEN 'kind' WHEN GROUPING(e.year) = 0 THEN 'year'
        WHEN GROUPING(e.document_type) = 0 THEN 'documentType' WHEN GROUPING(e.urgency) = 0 THEN 'urgency'
        WHEN GROUPING(e.state) = 0 THEN 'state' ELSE 'channel' END AS facet,
      coalesce(e.kind, e.year::text, e.document_type, e.urgency, e.state, e.channel) AS value,
      count(*) AS count
    FROM search_entries e
    WHERE ${filtered}
    GROUP BY GROUPING SETS ((e.kind), (e.year), (e.document_type), (e.urgency), (e.state), (e.channel))
  `.execute(db);
  const counts: FacetCounts = { kind: [], year: [], documentType: [], urgency: [], state: [], channel: [] };
  // An outgoing document has no channel: that group counts nothing a filter could pick.
  for (const r of rows.rows) if (r.value !== null && r.value !== '') counts[r.facet].push({ value: r.value, count: Number(r.count) });
  for (const facet of FACETS) {
    counts[facet].sort((a, b) =>
      facet === 'year' ? Number(b.value) - Number(a.value) : b.count - a.count || a.value.localeCompare(b.value),
    );
  }
  return counts;
}

/** Builds every search entry again from the documents (a bulk load made with triggers off, a repair); how many there are. */
export async function rebuildSearchIndex(db: Kysely<OfficeSchema>): Promise<number> {
  const r = await sql<{ n: string }>`SELECT search_rebuild() AS n`.execute(db);
  return Number(r.rows[0]!.n);
}
