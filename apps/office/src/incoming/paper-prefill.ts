import { withoutMarks } from '../tools/vietnamese.js';
/**
 * Reads, from the text of the first page of a paper document (its PDF text layer or OCR of the
 * scan), what a clerk would otherwise type when registering it: number, notation, issue date,
 * sending agency, document type and subject. The page is laid out as Nghị định 30/2020 asks:
 * agency block top left (the governing body above it, if any), the national motto top right,
 * "Số: 12/QĐ-UBND" under the agency, "<place>, ngày 05 tháng 3 năm 2026" under the motto, then
 * the type line in capitals and the subject under it (a công văn has "V/v …" under its number
 * instead). Every field is a suggestion: the clerk confirms or corrects it.
 */

export const SUGGESTED_FIELDS = ['number', 'notation', 'issueDate', 'senderName', 'documentType', 'subject'] as const;
export type SuggestedField = (typeof SUGGESTED_FIELDS)[number];

export interface PaperSuggestion {
  number?: string;
  /** Everything after the number: `QĐ-UBND`, `2026/NĐ-CP`, `STC-NS`. */
  notation?: string;
  /** yyyy-mm-dd */
  issueDate?: string;
  /** The issuing agency, in the usual case rather than the capitals of the page. */
  senderName?: string;
  /** The governing body printed above the issuing agency: it tells apart agencies of the same name. */
  senderParent?: string;
  /** The type's name, e.g. `Quyết định`, `Công văn`. */
  documentType?: string;
  subject?: string;
  /** The fields read from the page, for the screen to show which ones to check. */
  found: SuggestedField[];
  /** Fields inferred rather than read (the type from the notation's abbreviation): check them first. */
  inferred: SuggestedField[];
}

/** Document types with the abbreviations notations use (STANDARDS.md, plus the Government's and ministries' own). */
export const DOCUMENT_TYPES: readonly (readonly [name: string, abbreviation: string | null])[] = [
  ['Nghị quyết', 'NQ'],
  ['Quyết định', 'QĐ'],
  ['Chỉ thị', 'CT'],
  ['Quy chế', 'QC'],
  ['Quy định', 'QyĐ'],
  ['Thông cáo', 'TC'],
  ['Thông báo', 'TB'],
  ['Hướng dẫn', 'HD'],
  ['Chương trình', 'CTr'],
  ['Kế hoạch', 'KH'],
  ['Phương án', 'PA'],
  ['Đề án', 'ĐA'],
  ['Dự án', 'DA'],
  ['Báo cáo', 'BC'],
  ['Biên bản', 'BB'],
  ['Tờ trình', 'TTr'],
  ['Hợp đồng', 'HĐ'],
  ['Công điện', 'CĐ'],
  ['Bản ghi nhớ', 'GN'],
  ['Bản thỏa thuận', 'TTh'],
  ['Giấy ủy quyền', 'GUQ'],
  ['Giấy mời', 'GM'],
  ['Giấy giới thiệu', 'GGT'],
  ['Giấy nghỉ phép', 'NP'],
  ['Phiếu gửi', 'PG'],
  ['Phiếu chuyển', 'PC'],
  ['Phiếu báo', 'PB'],
  ['Nghị định', 'NĐ'],
  ['Thông tư liên tịch', 'TTLT'],
  ['Thông tư', 'TT'],
  ['Công văn', null],
  ['Thư công', null],
];

/**
 * Lower case without diacritics, one character for one (so that a position found in the folded
 * text is the same position in the original): OCR loses and confuses diacritics far more often
 * than letters, so keywords are compared this way.
 */
export function fold(text: string): string {
  let out = '';
  for (const unit of text) {
    const f = withoutMarks(unit).toLowerCase();
    out += f.length === unit.length ? f : unit.length === 1 ? ' ' : unit;
  }
  return out;
}

/** A keyword as a regular expression over folded text that also takes the usual OCR confusions (0 for o, 1 or l for i). */
function keyword(words: string): string {
  const letter: Record<string, string> = { o: '[o06]', i: '[il1|]', l: '[l1i|]', a: '[a4]' };
  return words
    .split(' ')
    .map((w) => [...w].map((c) => letter[c] ?? c).join(''))
    .join('\\s*');
}

const MOTTO = new RegExp(
  [
    keyword('cong hoa xa hoi'),
    `(?:${keyword('xa hoi')}\\s*)?${keyword('chu nghia')}`,
    keyword('doc lap'),
    `${keyword('tu do')}\\s*-\\s*${keyword('hanh')}`,
    keyword('hanh phuc'),
  ].join('|'),
);
/** "<place>, ngày 05 tháng 3 năm 2026", folded; digits as OCR may misread them. */
const DATE = /ngay\s*([0-9oil|]{1,2})\s*[.,]?\s*thang\s*([0-9oil|]{1,2})\s*[.,]?\s*nam\s*([0-9oil|]{4})/;
/** "Số:", also as OCR reads it: "S6:", "Sô :", "So;". */
const NUMBER_MARK = /(?<![\p{L}\d])S[\p{L}\d]?\s*[:;.]\s*/u;
const SUBJECT_MARK = /^V\s*[/\\|lI1]\s*[vVy]\b\s*[.:]?\s*/;
/** Words that start the name of an agency: a line starting with one, under a complete name, is another agency. */
const AGENCY_HEADS = [
  'uy ban',
  'ubnd',
  'hoi dong',
  'hdnd',
  'so',
  'bo',
  'phong',
  'van phong',
  'ban',
  'cuc',
  'chi cuc',
  'tong cuc',
  'vu',
  'trung tam',
  'truong',
  'benh vien',
  'thanh tra',
  'kho bac',
  'cong an',
  'bo chi huy',
  'vien',
  'hoc vien',
  'dai hoc',
  'toa an',
  'chinh phu',
  'quoc hoi',
  'tinh uy',
  'huyen uy',
  'thanh uy',
  'dang uy',
  'chi nhanh',
  'cong ty',
  'tong cong ty',
  'bao hiem xa hoi',
  'doan',
  'hoi',
];
/** Administrative units: the place name after one is a proper name. */
const PLACE_UNITS = ['thành phố', 'thị xã', 'thị trấn', 'tỉnh', 'huyện', 'quận', 'xã', 'phường'];
/** Units that, without their diacritics, are other words of agency names: "Ban Quản lý", "địa phương". */
const EXACT_UNITS = new Set(['quận', 'phường']);
/** Agencies whose own name (the field after the head word) is capitalised: Sở Tài chính, Phòng Tài chính - Kế hoạch. */
const NAMING_HEADS = [
  'sở',
  'bộ',
  'phòng',
  'ban',
  'cục',
  'chi cục',
  'tổng cục',
  'vụ',
  'trung tâm',
  'văn phòng',
  'viện',
  'học viện',
  'trường',
  'bệnh viện',
];
const ABBREVIATIONS = new Set(['ubnd', 'ubmttq']);

interface Segment {
  readonly text: string;
  /** Column where it starts on its line: pdftotext -layout keeps the page's columns apart with runs of spaces. */
  readonly col: number;
}

interface Line {
  readonly segments: readonly Segment[];
  /** The line's text left of the right column, motto removed; what the agency block and the subject are read from. */
  readonly left: string;
  readonly all: string;
}

export function suggestFromText(text: string): PaperSuggestion {
  const lines = linesOf(firstPage(text));
  const suggestion: PaperSuggestion = { found: [], inferred: [] };
  const numberAt = lines.findIndex((l) => codeIn(l.all) !== null);
  const code = numberAt >= 0 ? codeIn(lines[numberAt]!.all)! : null;
  if (code?.number) suggestion.number = code.number;
  if (code?.notation) suggestion.notation = code.notation;

  const typeAt = lines.findIndex((l, i) => i > numberAt && typeNamed(l.left) !== null);
  const bodyAt = lines.findIndex((l) => /^\s*(can cu|kinh gui)\b/.test(fold(l.left)));
  const headerEnd = Math.min(...[typeAt, bodyAt, lines.length].filter((i) => i >= 0));

  const date = issueDateIn(lines.slice(0, headerEnd));
  if (date) suggestion.issueDate = date;

  const agencies = agencyNames(lines.slice(0, numberAt >= 0 ? numberAt : headerEnd));
  if (agencies.length) {
    suggestion.senderName = agencyCase(agencies[agencies.length - 1]!);
    if (agencies.length > 1) suggestion.senderParent = agencyCase(agencies[agencies.length - 2]!);
  }

  const letterSubject = numberAt >= 0 ? subjectUnderNumber(lines, numberAt) : null;
  if (typeAt >= 0 && typeAt < (bodyAt < 0 ? lines.length : bodyAt + 1)) {
    suggestion.documentType = typeNamed(lines[typeAt]!.left)!;
    const subject = subjectUnderType(lines, typeAt);
    if (subject) suggestion.subject = subject;
  } else if (letterSubject) {
    suggestion.documentType = 'Công văn';
  }
  if (!suggestion.subject && letterSubject) suggestion.subject = letterSubject;
  if (!suggestion.subject) {
    const about = lines.slice(0, headerEnd + 1).findIndex((l) => /^ve\s*viec\b/.test(fold(l.left)));
    if (about >= 0) suggestion.subject = collectSubject(lines, about, lines[about]!.left);
  }

  for (const field of SUGGESTED_FIELDS) if (suggestion[field] !== undefined) suggestion.found.push(field);
  if (!suggestion.documentType && code?.notation) {
    const inferred = typeOfNotation(code.notation);
    if (inferred) {
      suggestion.documentType = inferred;
      suggestion.inferred.push('documentType');
    }
  }
  return suggestion;
}

/** The first page with text; OCR confusions of characters that look alike undone. */
function firstPage(text: string): string {
  const page = text.split('\f').find((p) => p.trim()) ?? '';
  return (
    page
      .normalize('NFC')
      // Ð (Icelandic eth) for Đ: old Vietnamese fonts and OCR both produce it.
      .replace(/\u00d0/g, 'Đ')
      .replace(/\u00f0/g, 'đ')
      .replace(/[\u2010-\u2015\u2212]/g, '-')
      .replace(/[\u200b-\u200d\u00ad\ufeff]/g, '')
      .replace(/[\u00a0\u2000-\u200a\t]/g, ' ')
      .replace(/\r\n?/g, '\n')
  );
}

function linesOf(page: string): Line[] {
  const raw = page.split('\n').map((line) => {
    const segments: Segment[] = [];
    for (const m of line.matchAll(/\S+(?: {1,2}\S+)*/g)) segments.push({ text: m[0], col: m.index });
    return segments;
  });
  // Where the right column (the motto) starts, when the layout kept it apart.
  const mottoCols = raw.flatMap((segments) => segments.filter((s, i) => i > 0 && MOTTO.test(fold(s.text))).map((s) => s.col));
  const rightCol = mottoCols.length ? Math.min(...mottoCols) - 4 : Infinity;
  return raw.map((segments) => {
    const left = segments
      .filter((s, i) => i === 0 || s.col < rightCol)
      .map((s) => withoutMotto(s.text))
      .join(' ')
      .trim();
    return { segments, left, all: segments.map((s) => s.text).join(' ') };
  });
}

/** The text before the national motto, when OCR put both columns on one line. */
function withoutMotto(text: string): string {
  const m = MOTTO.exec(fold(text));
  return m ? text.slice(0, m.index).trim() : text;
}

/** Number and notation from "Số: 12/QĐ-UBND"; a "Số:" without a slash after it (the received stamp's) is not one. */
function codeIn(line: string): { number?: string; notation?: string } | null {
  const mark = NUMBER_MARK.exec(line);
  if (!mark) return null;
  const rest = line
    .slice(mark.index + mark[0].length)
    .replace(/\s*([/-])\s*/g, '$1')
    .trimStart();
  const token = /^[\p{L}\d/.\-|]*/u.exec(rest)![0].replace(/[.\-/]+$/, '');
  const slash = token.indexOf('/');
  if (slash < 0) return null;
  const digits = ocrDigits(token.slice(0, slash));
  const notation = restoreAbbreviation(token.slice(slash + 1));
  if (!/\p{L}/u.test(notation)) return null;
  const result: { number?: string; notation?: string } = { notation };
  if (/^\d{1,6}$/.test(digits)) result.number = digits;
  return result;
}

function ocrDigits(text: string): string {
  return text.replace(/[oO]/g, '0').replace(/[lI|i]/g, '1');
}

/** Types whose abbreviation has a Đ that OCR reads as D; only those that cannot be mistaken for another one. */
const RESTORED: Record<string, string> = { QD: 'QĐ', ND: 'NĐ', QYD: 'QyĐ', CD: 'CĐ', HDND: 'HĐND' };

function restoreAbbreviation(notation: string): string {
  return notation
    .split('/')
    .map((part) =>
      part
        .split('-')
        .map((token) => RESTORED[token.toUpperCase()] ?? token)
        .join('-'),
    )
    .join('/');
}

/** The type whose abbreviation leads the notation's last part: QĐ-UBND, 2026/NĐ-CP. */
function typeOfNotation(notation: string): string | null {
  const last = notation.split('/').pop()!;
  if (!last.includes('-')) return null;
  const abbreviation = last.split('-')[0]!;
  return DOCUMENT_TYPES.find(([, a]) => a === abbreviation)?.[0] ?? null;
}

/** The document type when the line is its name alone (in capitals on the page). */
function typeNamed(line: string): string | null {
  const letters = fold(line).replace(/[^a-z]/g, '');
  if (!letters || letters.length > 20 || !isCapitals(line)) return null;
  return DOCUMENT_TYPES.find(([name]) => fold(name).replace(/ /g, '') === letters)?.[0] ?? null;
}

function isCapitals(text: string): boolean {
  const letters = [...text].filter((c) => /\p{L}/u.test(c));
  if (letters.length < 2) return false;
  return letters.filter((c) => c === c.toUpperCase() && c !== c.toLowerCase()).length / letters.length >= 0.8;
}

/** The issue date: on the place-and-date line (after a comma) if there is one, else the first date above the body. */
function issueDateIn(header: readonly Line[]): string | undefined {
  const candidates: { date: string; afterComma: boolean }[] = [];
  const texts = [...header.map((l) => l.all), header.map((l) => l.all).join(' ')];
  for (const text of texts) {
    const folded = fold(text);
    for (const m of folded.matchAll(new RegExp(DATE, 'g'))) {
      const date = isoDate(ocrDigits(m[3]!), ocrDigits(m[2]!), ocrDigits(m[1]!));
      if (date) candidates.push({ date, afterComma: /,\s*$/.test(folded.slice(0, m.index)) });
    }
  }
  return (candidates.find((c) => c.afterComma) ?? candidates[0])?.date;
}

function isoDate(year: string, month: string, day: string): string | undefined {
  const [y, m, d] = [Number(year), Number(month), Number(day)];
  if (y < 1945 || y > 2100 || m < 1 || m > 12 || d < 1) return undefined;
  if (d > new Date(Date.UTC(y, m, 0)).getUTCDate()) return undefined;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The agency block: capitals above the number, grouped into names (the governing body first, the issuing agency last). */
function agencyNames(header: readonly Line[]): string[] {
  const groups: string[][] = [];
  for (const line of header) {
    const text = withoutDate(line.left)
      .replace(/^[\s\-_=.~—–]+|[\s\-_=.~—–]+$/g, '')
      .replace(/\s+/g, ' ');
    if (!text || !isCapitals(text) || typeNamed(text)) continue;
    const folded = fold(text);
    const last = groups[groups.length - 1];
    // A name on two lines ("ỦY BAN NHÂN DÂN" / "TỈNH BÌNH AN") is one; a line starting another agency under a complete name is the next level.
    const startsAgency = AGENCY_HEADS.some((h) => folded === h || folded.startsWith(`${h} `));
    const lastComplete = last !== undefined && !AGENCY_HEADS.includes(fold(last.join(' ')));
    if (!last || (startsAgency && lastComplete)) groups.push([text]);
    else last.push(text);
  }
  return groups.map((g) => g.join(' '));
}

/** The text without a place-and-date that OCR ran into it ("… Bình An, ngày 05 tháng 3 năm 2026"). */
function withoutDate(text: string): string {
  const folded = fold(text);
  const comma = /,\s*ngay\b/.exec(folded);
  const at = comma ? placeStart(text, comma.index) : /\bngay\s*[0-9oil|]{1,2}\s*thang\b/.exec(folded)?.index;
  return at === undefined ? text : text.slice(0, at).trim();
}

/** Where the place before ", ngày" starts: the capitalised words just before the comma. */
function placeStart(text: string, comma: number): number {
  let at = comma;
  const words = [...text.slice(0, comma).matchAll(/\S+/g)].reverse();
  for (const [i, w] of words.entries()) {
    if (i >= 4 || !/^\p{Lu}/u.test(w[0])) break;
    at = w.index;
  }
  return at;
}

/** A công văn's subject: "V/v …" under the number, with the lines that continue it. */
function subjectUnderNumber(lines: readonly Line[], numberAt: number): string | null {
  for (let i = numberAt + 1; i < Math.min(lines.length, numberAt + 4); i++) {
    const left = withoutDate(lines[i]!.left);
    const mark = SUBJECT_MARK.exec(left);
    if (mark) return collectSubject(lines, i, `Về việc ${left.slice(mark[0].length)}`);
    if (left && !DATE.test(fold(lines[i]!.all))) return null;
  }
  return null;
}

/** The subject under the type line: the lines after it up to a blank line or the start of the body. */
function subjectUnderType(lines: readonly Line[], typeAt: number): string | undefined {
  let start = typeAt + 1;
  while (start < lines.length && start <= typeAt + 2 && !lines[start]!.left) start++;
  const first = lines[start];
  if (!first?.left || endsSubject(first.left, true)) return undefined;
  return collectSubject(lines, start, first.left);
}

function collectSubject(lines: readonly Line[], start: number, first: string): string {
  const parts = [first];
  for (let i = start + 1; i < Math.min(lines.length, start + 5); i++) {
    const left = withoutDate(lines[i]!.left);
    if (!left || endsSubject(left, false)) break;
    parts.push(left);
  }
  const subject = parts.join(' ').replace(/\s+/g, ' ').trim();
  return subject.charAt(0).toUpperCase() + subject.slice(1);
}

/** Where the subject ends: the legal basis, the addressee, the signing authority in capitals, a rule under the subject. */
function endsSubject(line: string, first: boolean): boolean {
  const folded = fold(line);
  if (/^(can cu|kinh gui|theo de nghi)\b/.test(folded)) return true;
  if (/^[\s\-_=.~—–*]+$/.test(line) || line.endsWith(':')) return true;
  if (isCapitals(line))
    return !first || /^(chu tich|bo truong|giam doc|thu truong|truong|chanh|uy ban|hoi dong|chinh phu|thu tuong)\b/.test(folded);
  return false;
}

/** "SỞ TÀI CHÍNH" → "Sở Tài chính", "ỦY BAN NHÂN DÂN TỈNH BÌNH AN" → "Ủy ban nhân dân tỉnh Bình An". */
export function agencyCase(name: string): string {
  const words = name.trim().split(/\s+/);
  const lower = words.map((w) => w.toLocaleLowerCase('vi'));
  const head = NAMING_HEADS.filter((h) => wordsAt(lower, 0, h)).sort((a, b) => b.length - a.length)[0];
  const fieldAt = head ? head.split(' ').length : -1;
  let place = false;
  let unitWords = 0;
  return words
    .map((word, i) => {
      const key = fold(word).replace(/[^a-z0-9]/g, '');
      // An abbreviation (UBND, HĐND, THPT) keeps its capitals: a Vietnamese word always has a vowel.
      if (ABBREVIATIONS.has(key) || (key.length > 1 && !/[aeiouy]/.test(key))) return word;
      if (unitWords > 0) {
        unitWords--;
        return lower[i]!;
      }
      const unit = i > 0 ? PLACE_UNITS.find((u) => wordsAt(lower, i, u, !EXACT_UNITS.has(u)) && !wordsAt(lower, i, 'xã hội')) : undefined;
      if (unit) {
        // What follows "tỉnh", "huyện", "xã"… is the place's proper name.
        place = true;
        unitWords = unit.split(' ').length - 1;
        return lower[i]!;
      }
      // The field of a Sở, Phòng, Ban… is capitalised, each part of it: Sở Giáo dục và Đào tạo, Phòng Tài chính - Kế hoạch.
      const joined = i > fieldAt && fieldAt > 0 && (/^(và|-|&)$/.test(lower[i - 1]!) || words[i - 1]!.endsWith(','));
      return i === 0 || place || i === fieldAt || joined ? capitalised(lower[i]!) : lower[i]!;
    })
    .join(' ');
}

/**
 * Whether `phrase` (lower case, with its diacritics) is written at `words[at]`; also without
 * diacritics, as OCR may leave it, and with any, when `loosely` (OCR reads "TỈNH" as "TÍNH").
 */
function wordsAt(words: readonly string[], at: number, phrase: string, loosely = false): boolean {
  return phrase.split(' ').every((p, k) => {
    const w = words[at + k]?.replace(/[,.;:]+$/, '');
    if (w === undefined) return false;
    return w === p || ((loosely || fold(w) === w) && fold(p) === fold(w));
  });
}

function capitalised(word: string): string {
  return word.charAt(0).toLocaleUpperCase('vi') + word.slice(1);
}
