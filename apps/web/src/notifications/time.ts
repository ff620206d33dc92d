const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['week', 7 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** How long ago, in the reader's language: "5 phút trước", "hôm qua", "3 days ago"… */
export function relativeTime(iso: string, lang: 'vi' | 'en', now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  // Under a minute, a count of seconds would tick away while the list is open.
  if (Math.abs(seconds) < 60) return lang === 'vi' ? 'Vừa xong' : 'Just now';
  const [unit, size] = UNITS.find(([, size]) => Math.abs(seconds) >= size)!;
  return new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }).format(Math.round(seconds / size), unit);
}
