import { sql, type Kysely, type RawBuilder } from 'kysely';
import { seesWholeAgency, type Actor } from '../http/members.js';
import type { OfficeSchema } from '../schema.js';
import {
  EXCERPT_BEFORE,
  EXCERPT_LENGTH,
  MIN_CORRECTED_LENGTH,
  excerpt,
  highlight,
  oneSlipAway,
  parseQuery,
  tsqueryOf,
  type Segment,
} from './terms.js';

export const SEARCH_KINDS = ['incoming', 'outgoing'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];
export const FACETS = ['kind', 'year', 'documentType', 'urgency', 'state', 'channel'] as const;
export type Facet = (typeof FACETS)[number];

/** A page's place in the ranked results: score, time and id of its last document. */
export type SearchKey = readonly [score: string, sortedAt: string, id: string];
/** Matching by the query's words only, or also by similarity to it (when the words find few). */
export type SearchMode = 'words' | 'similar';

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
  /** The key of the last result of the previous page. */
  readonly after?: SearchKey | null;
  /** How the first page matched: later pages match the same way. */
  readonly mode?: SearchMode;
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
  readonly mode: SearchMode;
}

/**
 * The agency's documents the actor may open that match the query, best first.
 *
 * Matching: every word of the query as a prefix of a word of the folded metadata or PDF text
 * (full text, GIN index on `terms`, in the agency's partition). When that finds fewer than a few
 * documents, a word no document has is taken as mistyped and matched by the words it may have
 * meant (meantWords: "dihn" → "dinh"), found in the vocabulary of the metadata. Correcting the
 * query's words, rather than checking the similarity of the query to every document, keeps a typo
 * as cheap as a word: a common phrase mistyped would otherwise have thousands of documents checked.
 *
 * Ranking, highest first: ts_rank, where metadata words weigh 1 and PDF words 0.1, plus 2 for the
 * document whose number/notation is the query exactly. Equal scores go newest first. The score is
 * rounded to four places so that the page cursor (score, time, id) compares exactly what was sorted.
 */
export function searchDocuments(db: Kysely<OfficeSchema>, actor: Actor, agencyId: string, query: SearchQuery): Promise<SearchResult> {
  // One snapshot for all its statements: the page, the corrections and the counts agree.
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute((tx) => searchIn(tx, actor, agencyId, query));
}

async function searchIn(db: Kysely<OfficeSchema>, actor: Actor, agencyId: string, query: SearchQuery): Promise<SearchResult> {
  const parsed = parseQuery(query.q);
  const text = query.q.normalize('NFC').replace(/\s+/g, ' ').trim();
  const picked = facetFilters(query);
  // What every count shares: the agency, what the actor may see, the dates; the facets' own choices come on top.
  const base = sql`e.agency_id = ${agencyId} AND ${visibleTo(actor)} AND ${datesOf(query)}`;
  const scope = sql`${base} AND ${allOf(Object.values(picked))}`;
  const run = async (meant: ReadonlyMap<string, readonly string[]>, limit: number) => {
    const tsquery = tsqueryOf(parsed.terms, meant);
    const tsq = tsquery === null ? null : sql`to_tsquery('simple', ${tsquery})`;
    const matched = tsq ? sql`e.terms @@ ${tsq}` : sql`true`;
    const where = sql`${scope} AND ${matched}`;
    const score =
      tsq === null
        ? sql`0::numeric`
        : sql`round((ts_rank(e.terms, ${tsq}) + CASE WHEN e.reference_key = search_fold(${text}) THEN 2 ELSE 0 END)::numeric, 4)`;
    const marked = [...parsed.terms, ...[...meant.values()].flat()];
    const rows = await page(db, where, score, parsed.terms[0] ?? null, query.after ?? null, limit);
    return { matched, rows, marked };
  };
  let mode: SearchMode = query.mode ?? 'words';
  let result =
    mode === 'words'
      ? await run(new Map(), Math.max(query.limit + 1, FEW))
      : await run(await meantWords(db, agencyId, parsed.terms), query.limit + 1);
  // A query whose words find few documents may have been mistyped: the words it may have meant are tried too.
  if (query.mode === undefined && result.rows.length < FEW && parsed.fuzzy) {
    const meant = await meantWords(db, agencyId, parsed.terms);
    if (meant.size > 0) {
      mode = 'similar';
      result = await run(meant, query.limit + 1);
    }
  }
  const facets = query.withFacets ? await facetCounts(db, sql`${base} AND ${result.matched}`, picked) : null;
  return {
    hits: result.rows.slice(0, query.limit).map((r) => toHit(r, result.marked)),
    more: result.rows.length > query.limit,
    facets,
    mode,
  };
}

/** Most words a mistyped word is taken to have meant. */
const MAX_MEANT = 5;

/**
 * The words of the documents a mistyped word of the query may have meant. A word some document of
 * the agency has (or starts with), in its metadata or its text, is taken as typed. Otherwise: the
 * known words one typing slip away from it, and, for a longer word, those most similar to it by
 * trigrams (two slips or more).
 */
async function meantWords(db: Kysely<OfficeSchema>, agencyId: string, terms: readonly string[]): Promise<Map<string, string[]>> {
  const asked = terms.filter((t) => t.length >= MIN_CORRECTED_LENGTH && /^[a-z0-9]+$/.test(t));
  if (asked.length === 0) return new Map();
  // One look-up per word, each with its own tsquery: the planner then sees the word and uses the index.
  const lookups = asked.map(
    (term) => sql`SELECT ${term}::text AS term WHERE NOT EXISTS (
      SELECT 1 FROM search_entries e WHERE e.agency_id = ${agencyId} AND e.terms @@ to_tsquery('simple', ${`${term}:*`})
    )`,
  );
  const unknown = (await sql<{ term: string }>`${sql.join(lookups, sql` UNION ALL `)}`.execute(db)).rows.map((r) => r.term);
  if (unknown.length === 0) return new Map();
  const slipOf = new Map<string, string>();
  for (const term of unknown) for (const slip of oneSlipAway(term)) slipOf.set(slip, term);
  const [slips, similar] = await Promise.all([
    sql<{ word: string }>`SELECT word FROM search_vocabulary WHERE word = ANY(${[...slipOf.keys()]}::text[]) ORDER BY word`.execute(db),
    sql<{ term: string; word: string }>`
      SELECT t.term, v.word FROM unnest(${unknown.filter((t) => t.length >= MIN_SIMILAR_LENGTH)}::text[]) AS t(term)
      CROSS JOIN LATERAL (
        SELECT word FROM search_vocabulary WHERE word % t.term ORDER BY word <-> t.term, word LIMIT ${MAX_MEANT}
      ) v
    `.execute(db),
  ]);
  const meant = new Map<string, string[]>();
  const add = (term: string, word: string) => {
    const words = meant.get(term) ?? [];
    if (words.length < MAX_MEANT && !words.includes(word)) meant.set(term, [...words, word]);
  };
  for (const r of slips.rows) add(slipOf.get(r.word)!, r.word);
  for (const r of similar.rows) add(r.term, r.word);
  return meant;
}

/** Trigram similarity says little of a short word: below this length only one slip is forgiven. */
const MIN_SIMILAR_LENGTH = 6;

/** Below this many documents found by the query's words, they are taken as possibly mistyped. */
const FEW = 5;

/**
 * One page of the matching documents, best first, with an excerpt of each one's PDF text around
 * the query's longest word (the most telling and the least frequent).
 */
async function page(
  db: Kysely<OfficeSchema>,
  where: RawBuilder<unknown>,
  score: RawBuilder<unknown>,
  longest: string | null,
  after: SearchKey | null,
  limit: number,
): Promise<HitRow[]> {
  const next = after
    ? sql`WHERE (h.score, h.sorted_at, h.document_id) < (${after[0]}::numeric, ${after[1]}::timestamptz, ${after[2]}::uuid)`
    : sql``;
  // The page is cut before the PDF texts are read: only its rows need an excerpt.
  const rows = await sql<HitRow>`
    WITH hits AS (
      SELECT e.*, ${score} AS score FROM search_entries e WHERE ${where}
    ), page AS (
      SELECT * FROM hits h ${next} ORDER BY h.score DESC, h.sorted_at DESC, h.document_id DESC LIMIT ${limit}
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
  return rows.rows;
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

function datesOf(f: SearchFilters): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  if (f.from) parts.push(sql`e.doc_date >= ${f.from}::date`);
  if (f.to) parts.push(sql`e.doc_date <= ${f.to}::date`);
  return allOf(parts);
}

/** The condition of each facet a value was picked for. */
function facetFilters(f: SearchFilters): Partial<Record<Facet, RawBuilder<unknown>>> {
  const picked: Partial<Record<Facet, RawBuilder<unknown>>> = {};
  if (f.kind) picked.kind = sql`e.kind = ${f.kind}`;
  if (f.year !== undefined) picked.year = sql`e.year = ${f.year}`;
  if (f.documentType) picked.documentType = sql`e.document_type = ${f.documentType}`;
  if (f.urgency) picked.urgency = sql`e.urgency = ${f.urgency}`;
  if (f.state) picked.state = sql`e.state = ${f.state}`;
  if (f.channel) picked.channel = sql`e.channel = ${f.channel}`;
  return picked;
}

function allOf(parts: readonly (RawBuilder<unknown> | undefined)[]): RawBuilder<unknown> {
  const present = parts.filter((p): p is RawBuilder<unknown> => p !== undefined);
  return present.length === 0 ? sql`true` : sql`(${sql.join(present, sql` AND `)})`;
}

/**
 * How many matching documents have each value of each facet, in one pass over the matches: a
 * facet's counts obey the values picked in the other facets, not its own, so that after picking
 * "outgoing" the kind facet still offers "incoming" with its count.
 */
async function facetCounts(
  db: Kysely<OfficeSchema>,
  matching: RawBuilder<unknown>,
  picked: Partial<Record<Facet, RawBuilder<unknown>>>,
): Promise<FacetCounts> {
  // Each facet counts under every choice but its own, so that its other values stay there to pick.
  const others = (facet: Facet) => allOf(FACETS.filter((f) => f !== facet).map((f) => picked[f]));
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
      CASE
        WHEN GROUPING(e.kind) = 0 THEN count(*) FILTER (WHERE ${others('kind')})
        WHEN GROUPING(e.year) = 0 THEN count(*) FILTER (WHERE ${others('year')})
        WHEN GROUPING(e.document_type) = 0 THEN count(*) FILTER (WHERE ${others('documentType')})
        WHEN GROUPING(e.urgency) = 0 THEN count(*) FILTER (WHERE ${others('urgency')})
        WHEN GROUPING(e.state) = 0 THEN count(*) FILTER (WHERE ${others('state')})
        ELSE count(*) FILTER (WHERE ${others('channel')}) END AS count
    FROM search_entries e
    WHERE ${matching}
    GROUP BY GROUPING SETS ((e.kind), (e.year), (e.document_type), (e.urgency), (e.state), (e.channel))
  `.execute(db);
  const counts: FacetCounts = { kind: [], year: [], documentType: [], urgency: [], state: [], channel: [] };
  // An outgoing document has no channel: that group counts nothing a filter could pick.
  // A value found only under another facet's choice counts nothing here.
  for (const r of rows.rows) {
    if (r.value !== null && r.value !== '' && Number(r.count) > 0) counts[r.facet].push({ value: r.value, count: Number(r.count) });
  }
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
