/**
 * edXML dates are written `yyyy/MM/dd` and timestamps `yyyy/MM/dd HH:mm:ss`; readers also meet
 * `dd/MM/yyyy` and ISO forms. Inside vanban they are ISO: `yyyy-mm-dd` and `yyyy-mm-ddTHH:mm:ss`
 * (Vietnam local time, as on the wire).
 */

const FORMS: RegExp[] = [
  /^(?<y>\d{4})[/-](?<m>\d{1,2})[/-](?<d>\d{1,2})(?:[ T](?<time>\d{1,2}:\d{2}(?::\d{2})?))?$/,
  /^(?<d>\d{1,2})[/-](?<m>\d{1,2})[/-](?<y>\d{4})(?:[ T](?<time>\d{1,2}:\d{2}(?::\d{2})?))?$/,
];
/** ISO with a zone or fraction, as some writers emit it: the local date and time are kept as written. */
const ISO_ZONED = /^(?<y>\d{4})-(?<m>\d{2})-(?<d>\d{2})T(?<time>\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})$/;

interface Parts {
  date: string;
  time: string | null;
}

function readParts(text: string): Parts | null {
  const trimmed = text.trim();
  for (const form of [...FORMS, ISO_ZONED]) {
    const g = form.exec(trimmed)?.groups;
    if (!g) continue;
    const y = Number(g.y);
    const m = Number(g.m);
    const d = Number(g.d);
    if (m < 1 || m > 12 || d < 1 || d > daysIn(y, m)) return null;
    let time: string | null = null;
    if (g.time) {
      const [hh = 0, mm = 0, ss = 0] = g.time.split(':').map(Number);
      if (hh > 23 || mm > 59 || ss > 59) return null;
      time = `${pad(hh)}:${pad(mm)}:${pad(ss)}`;
    }
    return { date: `${y}-${pad(m)}-${pad(d)}`, time };
  }
  return null;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** A date in any accepted form, as ISO `yyyy-mm-dd`; a time part, if any, is dropped. */
export function readDate(text: string): string | null {
  return readParts(text)?.date ?? null;
}

/** A timestamp in any accepted form, as ISO `yyyy-mm-ddTHH:mm:ss`; a bare date means midnight. */
export function readTimestamp(text: string): string | null {
  const parts = readParts(text);
  return parts ? `${parts.date}T${parts.time ?? '00:00:00'}` : null;
}

export function isIsoDate(iso: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) && readDate(iso) === iso;
}

export function isIsoTimestamp(iso: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(iso) && readTimestamp(iso) === iso;
}

/** `yyyy/MM/dd` */
export function writeDate(iso: string): string {
  return iso.replaceAll('-', '/');
}

/** `yyyy/MM/dd HH:mm:ss` */
export function writeTimestamp(iso: string): string {
  return iso.replace('T', ' ').replaceAll('-', '/');
}

/** `dd/MM/yyyy HH:mm:ss`: the form QCVN 102:2016 gives for status messages. */
export function writeStatusTimestamp(iso: string): string {
  const [date = '', time = ''] = iso.split('T');
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y} ${time}`;
}

/** An instant as edXML writes times: Vietnam's wall clock (UTC+7, no daylight saving), ISO, no zone. */
export function vietnamLocal(at: Date): string {
  return new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 19);
}
