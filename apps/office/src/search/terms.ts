import { withoutMarks } from '../tools/vietnamese.js';

/**
 * The words of a search and where they occur in a text, folded as the database folds them
 * (search_fold: unaccent, then lower case), so that "van ban den" and "văn bản đến" are one query.
 */

/** Vietnamese without its marks, lower case: "Đà Nẵng" → "da nang". */
export function fold(text: string): string {
  return withoutMarks(text).toLowerCase();
}

/** Longest query the box takes; more is refused at the edge. */
export const MAX_QUERY_LENGTH = 200;
/** At most this many words are matched: a pasted paragraph is not a query. */
const MAX_TERMS = 12;
/**
 * Below this many letters a query is matched by its words only: trigram similarity of two or
 * three letters matches nearly everything, and its index then finds nothing faster than a scan.
 */
const MIN_FUZZY_LENGTH = 4;

export interface ParsedQuery {
  /** The whole query folded. */
  readonly folded: string;
  /** Its distinct words, folded, longest first. */
  readonly terms: readonly string[];
  /** A to_tsquery('simple', ...) text: every word, each as a prefix; null for a query of no word. */
  readonly tsquery: string | null;
  /** Whether mistyped words are looked for (the query is long enough to mean something). */
  readonly fuzzy: boolean;
}

/** The words of a text as to_tsvector('simple', search_words(...)) cuts them. */
export function wordsOf(foldedText: string): string[] {
  return foldedText.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
}

export function parseQuery(query: string): ParsedQuery {
  const folded = fold(query.normalize('NFC')).replace(/\s+/g, ' ').trim();
  const terms = [...new Set(wordsOf(folded))].slice(0, MAX_TERMS).sort((a, b) => b.length - a.length);
  // Words are letters and digits only, so nothing in them is tsquery syntax.
  const tsquery = tsqueryOf(terms, new Map());
  const fuzzy = folded.replace(/[^\p{L}\p{N}]/gu, '').length >= MIN_FUZZY_LENGTH;
  return { folded, terms, tsquery, fuzzy };
}

/**
 * The to_tsquery('simple', ...) text of the words: each as a prefix, or any of the words it may
 * have been meant as (whole words: a correction is a word some document has). Words are letters
 * and digits only, so nothing in them is tsquery syntax.
 */
export function tsqueryOf(terms: readonly string[], meant: ReadonlyMap<string, readonly string[]>): string | null {
  if (terms.length === 0) return null;
  return terms
    .map((t) => {
      const alternatives = meant.get(t) ?? [];
      return alternatives.length === 0 ? `${t}:*` : `(${[`${t}:*`, ...alternatives].join(' | ')})`;
    })
    .join(' & ');
}

/** Words shorter than this are not corrected: one letter off, they could be nearly anything. */
export const MIN_CORRECTED_LENGTH = 3;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Every word one typing slip away from a folded word: a letter left out, added, replaced, or two
 * letters swapped (Damerau–Levenshtein distance 1). A four-letter word has some 330 of them.
 */
export function oneSlipAway(word: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i <= word.length; i++) {
    const [head, tail] = [word.slice(0, i), word.slice(i)];
    if (tail) out.add(head + tail.slice(1));
    if (tail.length > 1) out.add(head + tail[1]! + tail[0]! + tail.slice(2));
    for (const c of ALPHABET) {
      if (tail) out.add(head + c + tail.slice(1));
      out.add(head + c + tail);
    }
  }
  out.delete(word);
  return [...out].filter((w) => w.length >= 2);
}

/** A piece of a text to show, marked when a word of the query starts there. */
export interface Segment {
  readonly text: string;
  readonly hit: boolean;
}

/**
 * The text cut where the query's words occur: a word of the text is a hit when, folded, it starts
 * with a word of the query (the query's words match as prefixes, as in the database).
 */
export function highlight(text: string, terms: readonly string[]): Segment[] {
  const chars = Array.from(text.normalize('NFC'));
  const segments: Segment[] = [];
  let plain = '';
  let i = 0;
  while (i < chars.length) {
    if (!isWordChar(chars[i]!)) {
      plain += chars[i++];
      continue;
    }
    let end = i;
    while (end < chars.length && isWordChar(chars[end]!)) end++;
    const word = chars.slice(i, end).join('');
    if (terms.some((t) => fold(word).startsWith(t))) {
      if (plain) segments.push({ text: plain, hit: false });
      plain = '';
      segments.push({ text: word, hit: true });
    } else {
      plain += word;
    }
    i = end;
  }
  if (plain) segments.push({ text: plain, hit: false });
  return segments;
}

function isWordChar(c: string): boolean {
  return /[\p{L}\p{N}\p{M}]/u.test(c);
}

/** How much of a PDF's text is shown around the first place a word of the query occurs. */
export const EXCERPT_BEFORE = 80;
export const EXCERPT_LENGTH = 240;

/**
 * A window of a document's text cut at word boundaries, with an ellipsis where it was cut; the
 * text of a PDF comes with its layout (line breaks, columns of spaces), shown as single spaces.
 */
export function excerpt(window: string, cutBefore: boolean, cutAfter: boolean): string {
  let text = window.replace(/\s+/g, ' ');
  if (cutBefore) text = text.replace(/^\S*\s/, '');
  if (cutAfter) text = text.replace(/\s\S*$/, '');
  text = text.trim();
  return `${cutBefore ? '… ' : ''}${text}${cutAfter ? ' …' : ''}`;
}
