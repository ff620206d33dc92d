import { randomBytes, type Hash } from 'node:crypto';

/**
 * An attachment's base64 is almost all of a package, and libxml2 parses and canonicalizes text
 * slowly (byte by byte, about 17 ms for 2 MB). Long runs of plain character data are therefore
 * set aside before parsing, each replaced by a marker, and put back as the canonical bytes are
 * hashed. That gives the same digest because a run holds no '<', '>', '&' or CR: no markup, no
 * reference, nothing a parser rewrites or canonicalization escapes, so wherever it stands (element
 * content, a comment, CDATA, a processing instruction) its canonical bytes are its own bytes, or
 * it is left out whole with what holds it. A run never lies in an attribute value: a value cannot hold '<', so the run
 * would reach the '>' that ends the tag. The marker is of the same kind of characters and starts
 * with a random token, so the document cannot contain it by chance or by design.
 */
export interface BulkyText {
  /** The document with each run replaced by its marker. */
  readonly document: Buffer;
  /** The runs set aside, in document order; views of the original bytes. */
  readonly runs: readonly Uint8Array[];
  /** What starts every marker; a marker is the token, the run's index and a full stop. */
  readonly token: Buffer;
}

/** Runs shorter than this stay: certificates and signature values are far shorter, attachments longer. */
export const BULKY_RUN = 16 * 1024;

const LT = 0x3c;
const GT = 0x3e;
const AMP = 0x26;
const CR = 0x0d;
const DOT = 0x2e;

/**
 * The document's runs of at least `minLength` bytes between a '>' and the next '<' holding none of
 * '>', '&' or CR, set aside; null when there is none, or when the document may not be UTF-8 (a run
 * of another encoding would not be its own canonical bytes).
 */
export function setAsideBulkyText(bytes: Uint8Array, minLength = BULKY_RUN): BulkyText | null {
  const source = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!isUtf8(source)) return null;
  const token = Buffer.from(randomBytes(16).toString('hex'), 'latin1');
  const parts: Buffer[] = [];
  const runs: Uint8Array[] = [];
  let copied = 0;
  // From each '<' to the next: the tag ends at the first '>', and what follows it up to the next
  // '<' is text. Text after the last tag lies outside the root element and stays.
  for (let lt = source.indexOf(LT), next = lt === -1 ? -1 : source.indexOf(LT, lt + 1); next !== -1;) {
    const gt = source.subarray(lt + 1, next).indexOf(GT);
    const start = lt + 1 + gt + 1;
    if (gt !== -1 && next - start >= minLength && plain(source.subarray(start, next))) {
      parts.push(source.subarray(copied, start), Buffer.from(`${token.toString('latin1')}${runs.length}.`, 'latin1'));
      runs.push(source.subarray(start, next));
      copied = next;
    }
    lt = next;
    next = source.indexOf(LT, lt + 1);
  }
  if (runs.length === 0) return null;
  parts.push(source.subarray(copied));
  return { document: Buffer.concat(parts), runs, token };
}

/** No other '>' before the next '<', nor '&' or CR. */
function plain(run: Buffer): boolean {
  return run.indexOf(GT) === -1 && run.indexOf(AMP) === -1 && run.indexOf(CR) === -1;
}

/**
 * Whether libxml2 will read the bytes as UTF-8, by the rules it detects an encoding with (XML 1.0,
 * appendix F): no UTF-16 or UTF-32 byte order mark or zero bytes at the start, a '<' or whitespace
 * first, and an XML declaration, if any, naming no other encoding.
 */
function isUtf8(source: Buffer): boolean {
  const start = source[0] === 0xef && source[1] === 0xbb && source[2] === 0xbf ? 3 : 0;
  const first = source[start];
  if (first === undefined || ![LT, 0x20, 0x09, 0x0a, 0x0d].includes(first) || source.subarray(0, 4).includes(0)) return false;
  if (source.toString('latin1', start, start + 5) !== '<?xml') return true;
  const end = source.indexOf('?>', start);
  if (end === -1 || end > start + 1024) return false;
  const encoding = /\sencoding\s*=\s*["']([^"']*)["']/.exec(source.toString('latin1', start, end))?.[1];
  return encoding === undefined || /^utf-?8$/i.test(encoding);
}

/**
 * A sink for canonical bytes that hashes them with every marker replaced by its run. Chunks may
 * end inside a marker: what could be the start of one waits for the next chunk.
 */
export class SplicingHash {
  private pending: Buffer = Buffer.alloc(0);

  constructor(
    private readonly hash: Hash,
    private readonly bulky: BulkyText,
  ) {}

  write(chunk: Uint8Array): void {
    const incoming = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const data = this.pending.length ? Buffer.concat([this.pending, incoming]) : incoming;
    const { token, runs } = this.bulky;
    let from = 0;
    for (;;) {
      const at = data.indexOf(token, from);
      if (at === -1) {
        // Keep back what could begin a marker cut by the chunk's end; copied, as the chunk is not ours to keep.
        const keep = Math.max(from, data.length - (token.length - 1));
        this.hash.update(data.subarray(from, keep));
        this.pending = Buffer.from(data.subarray(keep));
        return;
      }
      const dot = data.indexOf(DOT, at + token.length);
      if (dot === -1) {
        this.hash.update(data.subarray(from, at));
        this.pending = Buffer.from(data.subarray(at));
        return;
      }
      const index = data.toString('latin1', at + token.length, dot);
      const run = /^\d+$/.test(index) ? runs[Number(index)] : undefined;
      // The token is random: only a marker of ours can carry it.
      if (!run) throw new Error(`a marker of set-aside text is damaged: ${index.slice(0, 20)}`);
      this.hash.update(data.subarray(from, at));
      this.hash.update(run);
      from = dot + 1;
    }
  }

  /** Hashes what was kept back; call once after the last chunk. */
  end(): void {
    this.hash.update(this.pending);
    this.pending = Buffer.alloc(0);
  }
}
