import type { PlacedText } from '@vanban/pki';
import type { WrittenDate } from '../document-types/written-date.js';

/** A word on the first page as pdftotext -bbox reads it: points from the top left corner. */
export interface PageWord {
  readonly text: string;
  readonly xMin: number;
  readonly yMin: number;
  readonly xMax: number;
  readonly yMax: number;
}

export interface NumberToWrite {
  /** The register number as written: 01, 02, … 125. */
  readonly number: string;
  /** UBND-VP, QĐ-UBND. */
  readonly notation: string;
  readonly date: WrittenDate;
}

export type Placement =
  | { readonly ok: true; readonly texts: PlacedText[]; readonly where: 'number_line' | 'top_margin' }
  /** The draft already carries another notation after "Số:": numbering would contradict the page. */
  | { readonly ok: false; readonly problem: 'notation_mismatch'; readonly onPage: string };

type Measure = (text: string, size: number) => number;

const sameLine = (a: PageWord, b: PageWord) => Math.abs(a.yMin - b.yMin) < 2 && Math.abs(a.yMax - b.yMax) < 2;
/** Text height from a word's box: the box holds the ascender and descender too. */
const sizeOf = (w: PageWord) => Math.max(8, Math.min(16, (w.yMax - w.yMin) * 0.85));

function lineAfter(words: readonly PageWord[], word: PageWord): PageWord[] {
  return words.filter((w) => w !== word && sameLine(w, word) && w.xMin >= word.xMax - 0.5).sort((a, b) => a.xMin - b.xMin);
}

/** Baseline of a word's line, in PDF coordinates (from the bottom). */
const baseline = (w: PageWord, pageHeight: number) => pageHeight - w.yMax + (w.yMax - w.yMin) * 0.22;

/** Text centred in the gap between two words, or just after the first when there is no second. */
function inGap(text: string, left: PageWord, right: PageWord | undefined, size: number, measure: Measure, pageHeight: number): PlacedText {
  const width = measure(text, size);
  const x = right ? (left.xMax + right.xMin - width) / 2 : left.xMax + size * 0.3;
  return { page: 1, x, y: baseline(left, pageHeight), text, size };
}

/** The date line, "Bình An, ngày … tháng … năm …": where the day, month and year go if they are blank. */
function datePlacement(words: readonly PageWord[], date: WrittenDate, measure: Measure, pageHeight: number): PlacedText[] | null {
  for (const day of words.filter((w) => w.text === 'ngày')) {
    const rest = lineAfter(words, day);
    const month = rest.find((w) => w.text === 'tháng');
    const year = rest.find((w) => w.text === 'năm');
    if (!month || !year || month.xMin > year.xMin) continue;
    const between = (a: PageWord, b: PageWord) => rest.filter((w) => w.xMin >= a.xMax && w.xMax <= b.xMin);
    // A date already written (the drafter typed it) is left as it is.
    if (between(day, month).length > 0 || between(month, year).length > 0) return [];
    const size = sizeOf(day);
    const afterYear = rest.find((w) => w.xMin >= year.xMax);
    const texts = [inGap(date.day, day, month, size, measure, pageHeight), inGap(date.month, month, year, size, measure, pageHeight)];
    if (!afterYear || !/^\d{4}/.test(afterYear.text)) texts.push(inGap(date.year, year, undefined, size, measure, pageHeight));
    return texts;
  }
  return null;
}

/**
 * Where the clerk's number and the date of issue go on the first page of a signed document
 * (Nghị định 30/2020, Phụ lục I: "Số:" under the agency's name, the place and date on the right).
 * A draft written from the template leaves "Số:      /UBND-VP" and "ngày   tháng   năm" blank: the
 * number goes into the first gap, the day and month into the others. "Số:" alone gets the whole
 * code. A page without "Số:" gets the code and date in its top margin, so they are never missing.
 */
export function placeNumber(words: readonly PageWord[], pageHeight: number, wanted: NumberToWrite, measure: Measure): Placement {
  const so = words.find((w) => w.text === 'Số:');
  const date = datePlacement(words, wanted.date, measure, pageHeight);
  if (!so) {
    const d = wanted.date;
    const text = `Số: ${wanted.number}/${wanted.notation}${date ? '' : `, ngày ${d.day} tháng ${d.month} năm ${d.year}`}`;
    return { ok: true, where: 'top_margin', texts: [{ page: 1, x: 56, y: pageHeight - 28, text, size: 10 }, ...(date ?? [])] };
  }
  const size = sizeOf(so);
  const next = lineAfter(words, so)[0];
  const written = next && next.xMin - so.xMax < size * 12 ? next : undefined;
  let number: PlacedText;
  if (written?.text.startsWith('/')) {
    if (written.text !== `/${wanted.notation}`) return { ok: false, problem: 'notation_mismatch', onPage: written.text };
    number = inGap(wanted.number, so, written, size, measure, pageHeight);
  } else {
    number = inGap(`${wanted.number}/${wanted.notation}`, so, undefined, size, measure, pageHeight);
  }
  const dated = date ?? [
    inGap(`ngày ${wanted.date.day}/${wanted.date.month}/${wanted.date.year}`, so, undefined, size, measure, pageHeight),
  ];
  if (!date) dated[0] = { ...dated[0]!, x: number.x + measure(number.text, size) + size };
  return { ok: true, where: 'number_line', texts: [number, ...dated] };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Reads pdftotext -bbox output (XHTML): the first page's height and its words. */
export function wordsOfBbox(xhtml: string): { pageHeight: number; words: PageWord[] } {
  const page = /<page width="([\d.]+)" height="([\d.]+)">/.exec(xhtml);
  if (!page) return { pageHeight: 0, words: [] };
  const words = [...xhtml.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    xMin: Number(m[1]),
    yMin: Number(m[2]),
    xMax: Number(m[3]),
    yMax: Number(m[4]),
    text: m[5]!.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITIES[e]!),
  }));
  return { pageHeight: Number(page[2]), words };
}
