import { withoutMarks } from '../tools/vietnamese.js';

/**
 * How the archive package names what it holds. Names are plain ASCII (Vietnamese letters folded,
 * anything else a dash), so the package unpacks the same with any unzip tool and every line of
 * SHA256SUMS reads back in `sha256sum -c` without escapes; the real titles are in the index files.
 */

const MAX_NAME = 80;

/**
 * One path segment safe inside the ZIP: no folder separators, no ".." or leading dot, no control
 * characters, no spaces; at most 80 characters, keeping a file's extension. Never empty.
 */
export function safeName(name: string, fallback = 'tep'): string {
  const clean = (text: string) =>
    text
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/-{2,}/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '');
  const folded = withoutMarks(name.normalize('NFC'));
  const ext = /\.[A-Za-z0-9]{1,8}$/.exec(folded)?.[0] ?? '';
  const stem = clean(folded.slice(0, folded.length - ext.length));
  const cut = stem.slice(0, MAX_NAME - ext.length).replace(/[-.]+$/g, '');
  return `${cut || fallback}${ext}`;
}

/** Names unique within one folder: a repeated name gets "-2", "-3"… before its extension. */
export class FolderNames {
  readonly #taken = new Set<string>();

  take(name: string, fallback?: string): string {
    const safe = safeName(name, fallback);
    const dot = safe.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [safe.slice(0, dot), safe.slice(dot)] : [safe, ''];
    let candidate = safe;
    for (let n = 2; this.#taken.has(candidate.toLowerCase()); n++) candidate = `${stem}-${n}${ext}`;
    this.#taken.add(candidate.toLowerCase());
    return candidate;
  }
}

/** The two-digit (or longer) ordinal folders and files are prefixed with, so they list in order. */
export function ordinal(n: number): string {
  return String(n).padStart(2, '0');
}

export interface ManifestLine {
  readonly path: string;
  readonly sha256: string;
}

/**
 * SHA256SUMS exactly as `sha256sum` writes it and `sha256sum -c` reads it: the hex digest, two
 * spaces, the path relative to the package's root; one line per file, sorted by path.
 */
export function formatManifest(lines: readonly ManifestLine[]): string {
  for (const line of lines) {
    if (!/^[0-9a-f]{64}$/.test(line.sha256)) throw new RangeError(`Not a SHA-256 digest: ${line.sha256}`);
    if (!/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(line.path) || line.path.split('/').some((s) => s === '..' || s === '.')) {
      throw new RangeError(`Not a safe relative path: ${line.path}`);
    }
  }
  const sorted = [...lines].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return sorted.map((l) => `${l.sha256}  ${l.path}\n`).join('');
}

/** Escapes text for the HTML index. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
