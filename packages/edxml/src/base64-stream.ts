import { createHash, type Hash } from 'node:crypto';
import type { AttachmentDigest } from './model.js';

/** Where attachment bytes go while a package is read (the blob store, a file, nowhere). */
export interface AttachmentSink {
  /** Called once per attachment before its first bytes. */
  open(contentId: string): AttachmentWriter;
}

export interface AttachmentWriter {
  write(bytes: Uint8Array): void | Promise<void>;
  /** All bytes are written; the digest is what the reader computed. */
  close(digest: AttachmentDigest): void | Promise<void>;
  /** The package was refused: drop what was written. */
  abort(): void | Promise<void>;
}

export class Base64Error extends Error {}

// 1 base64 alphabet, 2 whitespace, 3 '=', 4 '&' (a character reference some writers use for line breaks).
const CLASS = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') CLASS[c.charCodeAt(0)] = 1;
for (const c of ' \t\r\n') CLASS[c.charCodeAt(0)] = 2;
CLASS['='.charCodeAt(0)] = 3;
CLASS['&'.charCodeAt(0)] = 4;
const EMPTY = Buffer.alloc(0);
const WHITESPACE = /[ \t\r\n]+/g;

function hasWhitespace(chunk: Buffer): boolean {
  return chunk.indexOf(0x0a) !== -1 || chunk.indexOf(0x0d) !== -1 || chunk.indexOf(0x20) !== -1 || chunk.indexOf(0x09) !== -1;
}
const WHITESPACE_REFERENCES = new Set(['&#13;', '&#10;', '&#9;', '&#32;', '&#xD;', '&#xA;', '&#xd;', '&#xa;', '&#x9;', '&#x20;']);
/**
 * The most text decoded at once. The reader hands over up to a megabyte; a string that long is
 * born in V8's old generation, and a 2 MB attachment's worth of them made each hub examiner
 * thread mark its whole heap every few packages. Strings of this size die young, cheaply.
 */
export const DECODE_PIECE = 48 * 1024;

/**
 * Decodes base64 as it streams past, strictly: only the alphabet, whitespace and final
 * padding; the SHA-256 and size are computed on the way. Memory stays at one chunk.
 */
export class Base64Decoder {
  private readonly hash: Hash = createHash('sha256');
  private carry = Buffer.alloc(0);
  private size = 0;
  private padding = 0;
  private reference: string | null = null;
  private head = Buffer.alloc(0);

  constructor(
    private readonly contentId: string,
    private readonly writer: AttachmentWriter | null,
    private readonly maxBytes: number,
  ) {}

  /** Base64 text as raw bytes of the document (ASCII), of any length. */
  async write(bytes: Uint8Array): Promise<void> {
    for (let at = 0; at < bytes.length; at += DECODE_PIECE) await this.writePiece(bytes.subarray(at, at + DECODE_PIECE));
  }

  private async writePiece(bytes: Uint8Array): Promise<void> {
    const chunk = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (this.reference !== null || this.padding || chunk.indexOf(0x2d) !== -1 || chunk.indexOf(0x5f) !== -1)
      return this.writeCarefully(chunk);
    // The usual chunk: the alphabet, perhaps with line breaks. Node's decoder skips what is not
    // base64, so a decoded length of exactly 3/4 of the text proves every character valid;
    // otherwise (padding, garbage) the careful path decides. '-' and '_', which Node also
    // accepts, were sent there above.
    let whole = chunk.toString('latin1');
    if (hasWhitespace(chunk)) whole = whole.replace(WHITESPACE, '');
    // The final padding goes the careful way, so that the rest of the last chunk need not.
    const padAt = whole.indexOf('=');
    const text = padAt === -1 ? whole : whole.slice(0, padAt);
    const need = this.carry.length ? 4 - this.carry.length : 0;
    if (text.length < need + 4) return this.writeCarefully(chunk);
    const bodyEnd = need + ((text.length - need) & ~3);
    const head = need ? Buffer.from(this.carry.toString('latin1') + text.slice(0, need), 'base64') : EMPTY;
    const body = Buffer.from(need || bodyEnd !== text.length ? text.slice(need, bodyEnd) : text, 'base64');
    if ((need && head.length !== 3) || body.length !== ((bodyEnd - need) / 4) * 3) return this.writeCarefully(chunk);
    this.carry = Buffer.from(text.slice(bodyEnd), 'latin1');
    if (need) await this.emit(head);
    await this.emit(body);
    if (padAt !== -1) await this.writeCarefully(Buffer.from(whole.slice(padAt), 'latin1'));
  }

  private async writeCarefully(bytes: Uint8Array): Promise<void> {
    const clean = Buffer.allocUnsafe(this.carry.length + bytes.length);
    this.carry.copy(clean);
    let n = this.carry.length;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      const kind = this.reference !== null ? 4 : CLASS[b];
      if (kind === 1) {
        if (this.padding) throw new Base64Error('data after padding');
        clean[n++] = b;
      } else if (kind === 2) continue;
      else if (kind === 3) {
        if (++this.padding > 2) throw new Base64Error('too much padding');
        clean[n++] = b;
      } else if (kind === 4) {
        this.reference = (this.reference ?? '') + String.fromCharCode(b);
        if (b === 0x3b) {
          if (!WHITESPACE_REFERENCES.has(this.reference)) throw new Base64Error(`character reference ${this.reference}`);
          this.reference = null;
        } else if (this.reference.length > 8) throw new Base64Error('character reference too long');
      } else throw new Base64Error(`byte 0x${b.toString(16).padStart(2, '0')} is not base64`);
    }
    const whole = n - (n % 4);
    this.carry = Buffer.from(clean.subarray(whole, n));
    if (whole > 0) await this.emit(Buffer.from(clean.toString('latin1', 0, whole), 'base64'));
  }

  async end(): Promise<AttachmentDigest> {
    if (this.reference !== null) throw new Base64Error('unfinished character reference');
    if (this.carry.length !== 0) throw new Base64Error('length is not a multiple of 4');
    const digest: AttachmentDigest = {
      contentId: this.contentId,
      size: this.size,
      sha256: this.hash.digest('hex'),
      sniffed: sniff(this.head),
    };
    await this.writer?.close(digest);
    return digest;
  }

  private async emit(decoded: Buffer): Promise<void> {
    this.size += decoded.length;
    if (this.size > this.maxBytes) throw new Base64Error(`attachment larger than ${this.maxBytes} bytes`);
    if (this.head.length < 8) this.head = Buffer.concat([this.head, decoded.subarray(0, 8 - this.head.length)]);
    this.hash.update(decoded);
    await this.writer?.write(decoded);
  }
}

/** What the first bytes say a file is, whatever its name or stated type claims. */
export function sniff(head: Buffer): AttachmentDigest['sniffed'] {
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5 || head[2] === 7)) return 'zip';
  return 'other';
}
