import { SaxesParser, type SaxesTagNS } from 'saxes';
import type { AttachmentDigest } from './model.js';
import { problem, type Problem } from './problem.js';
import { Base64Decoder, Base64Error, type AttachmentSink, type AttachmentWriter } from './base64-stream.js';
import { DEFAULT_LIMITS, type ReadLimits } from './limits.js';
import { EDXML_NS, type XmlElement } from './xml-tree.js';

export type ByteSource = Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export interface ReadOptions {
  /** Receives attachment bytes as they are decoded; without it they are only hashed. */
  sink?: AttachmentSink;
  limits?: Partial<ReadLimits>;
  /** The length announced by the transport (e.g. Content-Length): refused at once when over the limit. */
  declaredLength?: number;
}

export interface ReadDocument {
  root: XmlElement;
  attachments: AttachmentDigest[];
}

/** A document that cannot be read at all; `problem` says where and why. */
export class EdxmlReadError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.path}: ${problem.en}`);
  }
}

const LT = 0x3c;
/** Characters XML 1.0 does not allow anywhere (the parser checks them too; this names the path). */
const NOT_XML_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const GT = 0x3e;
/**
 * The longest tag, declaration or comment taken while it has not ended: the parser keeps an
 * unfinished one whole, so a name or attribute that never ends is refused here, not at maxXmlBytes.
 */
const MAX_MARKUP = 64 * 1024;

/**
 * Reads an edXML document as a stream. The XML around the attachments goes through a SAX
 * parser (saxes; on a package's header about 3.5 times as fast as sax) into a small element tree;
 * the base64 body of each `ContentTransferEncoded` is cut out of the byte stream and decoded
 * straight into the sink, never becoming one big string.
 */
export async function readDocument(source: ByteSource, options: ReadOptions = {}): Promise<ReadDocument> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  if (options.declaredLength !== undefined && options.declaredLength > limits.maxBytes) {
    throw fatal(
      '/',
      'limits',
      `Gói tin khai báo ${options.declaredLength} byte, vượt giới hạn ${limits.maxBytes} byte.`,
      `The package declares ${options.declaredLength} bytes, over the limit of ${limits.maxBytes}.`,
    );
  }
  const reader = new StreamReader(limits, options.sink ?? null);
  try {
    for await (const chunk of chunks(source)) await reader.push(chunk);
    return await reader.finish();
  } catch (err) {
    await reader.abort();
    throw err;
  }
}

async function* chunks(source: ByteSource): AsyncIterable<Uint8Array> {
  if (source instanceof Uint8Array) {
    // Big buffers are fed in slices like a stream would be, so limits apply as early.
    for (let i = 0; i < source.length; i += 1 << 20) yield source.subarray(i, i + (1 << 20));
  } else yield* source;
}

type ElementParser = SaxesParser<{ xmlns: true; position: false }>;

/**
 * saxes keeps each handler in a property that `on` adds. A parser given a seventh such property
 * after it was made becomes a dictionary object in V8, and every property read of its loop over
 * characters a hash look-up: the reader took about 1 ms over a package's 7 KB header instead of
 * 0.3 ms. Handlers set while the parser is constructed are part of its shape instead.
 */
class HandledParser extends SaxesParser<{ xmlns: true; position: false }> {
  constructor(setHandlers: (parser: ElementParser) => void) {
    super({ xmlns: true, position: false });
    setHandlers(this);
  }
}

/** A namespace-aware parser with the handlers that `setHandlers` sets. Exported for a test of its speed's cause. */
export function parserWith(setHandlers: (parser: ElementParser) => void): ElementParser {
  return new HandledParser(setHandlers);
}

function fatal(path: string, rule: Problem['rule'], vi: string, en: string): EdxmlReadError {
  return new EdxmlReadError(problem(path, rule, vi, en));
}

class StreamReader {
  private readonly parser: ElementParser;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private readonly stack: XmlElement[] = [];
  private root: XmlElement | null = null;
  private readonly attachments: AttachmentDigest[] = [];
  private readonly writers: AttachmentWriter[] = [];
  private readonly queue: (() => Promise<void>)[] = [];
  private base64: Base64Decoder | null = null;
  /** The parser just finished a `ContentTransferEncoded` start tag: its body is ours to decode. */
  private bodyStarts = false;
  private mode: 'xml' | 'base64' = 'xml';
  private totalBytes = 0;
  private xmlBytes = 0;
  private elements = 0;
  /** Characters fed since the last '>', and where in them the markup not yet ended starts ('<'), if any. */
  private run = 0;
  private markupAt = -1;
  private markupHead = '';

  constructor(
    private readonly limits: ReadLimits,
    private readonly sink: AttachmentSink | null,
  ) {
    this.parser = parserWith((p) => {
      p.on('doctype', () => {
        throw fatal(this.path(), 'no-dtd', 'Gói tin không được chứa DTD (DOCTYPE).', 'A package may not carry a DTD (DOCTYPE).');
      });
      p.on('error', (err) => {
        const message = err.message.replace(/\s+/g, ' ').trim();
        throw fatal(this.path(), 'well-formed', `XML sai cú pháp: ${message}`, `Malformed XML: ${message}`);
      });
      p.on('xmldecl', ({ encoding }) => {
        if (encoding && !/^utf-?8$/i.test(encoding)) {
          throw fatal('/', 'utf8', `Gói tin phải mã hóa UTF-8, không phải ${encoding}.`, `A package must be UTF-8, not ${encoding}.`);
        }
      });
      p.on('opentag', (tag) => this.open(tag));
      p.on('closetag', () => this.close());
      p.on('text', (text) => this.text(text));
      p.on('cdata', (text) => this.text(text));
    });
  }

  async push(chunk: Uint8Array): Promise<void> {
    this.totalBytes += chunk.length;
    if (this.totalBytes > this.limits.maxBytes) {
      throw fatal(
        this.path(),
        'limits',
        `Gói tin vượt giới hạn ${this.limits.maxBytes} byte.`,
        `The package is over the limit of ${this.limits.maxBytes} bytes.`,
      );
    }
    let offset = 0;
    while (offset < chunk.length) {
      if (this.mode === 'base64') {
        const lt = chunk.indexOf(LT, offset);
        const end = lt === -1 ? chunk.length : lt;
        await this.decode(chunk.subarray(offset, end));
        offset = end;
        if (lt !== -1) this.mode = 'xml';
      } else {
        // Feed the parser up to each '>', so that we learn right after a start tag ends.
        const gt = chunk.indexOf(GT, offset);
        const end = gt === -1 ? chunk.length : gt + 1;
        this.feed(chunk.subarray(offset, end), true);
        offset = end;
        await this.drain();
        if (this.bodyStarts) {
          this.bodyStarts = false;
          this.mode = 'base64';
        }
      }
    }
  }

  async finish(): Promise<ReadDocument> {
    if (this.mode === 'base64')
      throw fatal(this.path(), 'well-formed', 'Gói tin kết thúc giữa tệp đính kèm.', 'The package ends inside an attachment.');
    this.feed(new Uint8Array(0), false);
    this.parser.close();
    await this.drain();
    if (!this.root) throw fatal('/', 'well-formed', 'Gói tin rỗng.', 'The package is empty.');
    return { root: this.root, attachments: this.attachments };
  }

  async abort(): Promise<void> {
    await Promise.allSettled(this.writers.map((w) => w.abort()));
  }

  private feed(bytes: Uint8Array, stream: boolean): void {
    this.xmlBytes += bytes.length;
    if (this.xmlBytes > this.limits.maxXmlBytes) {
      throw fatal(
        this.path(),
        'limits',
        `Phần XML của gói tin vượt ${this.limits.maxXmlBytes} byte.`,
        `The XML part of the package is over ${this.limits.maxXmlBytes} bytes.`,
      );
    }
    let text: string;
    try {
      text = this.decoder.decode(bytes, { stream });
    } catch {
      throw fatal(this.path(), 'utf8', 'Gói tin có byte không phải UTF-8 hợp lệ.', 'The package has bytes that are not valid UTF-8.');
    }
    this.guard(text);
    if (text) this.parser.write(text);
  }

  /**
   * The parser holds text and unfinished markup whole until they end; what never ends is refused
   * as it grows. `text` is what is fed next: up to and with a '>', or the end of a chunk.
   */
  private guard(text: string): void {
    if (text.endsWith('>')) {
      this.run = 0;
      this.markupAt = -1;
      this.markupHead = '';
      return;
    }
    const lt = text.lastIndexOf('<');
    if (lt !== -1) {
      this.markupAt = this.run + lt;
      this.markupHead = text.slice(lt, lt + 9);
    } else if (this.markupAt !== -1 && this.markupHead.length < 9) {
      this.markupHead += text.slice(0, 9 - this.markupHead.length);
    }
    this.run += text.length;
    // A CDATA section or a comment is bounded as text is, below.
    const textLike = this.markupHead.startsWith('<![CDATA[') || this.markupHead.startsWith('<!--');
    if (this.markupAt !== -1 && !textLike && this.run - this.markupAt > MAX_MARKUP) {
      throw fatal(
        this.path(),
        'limits',
        `Một tên, thuộc tính hay khai báo dài quá ${MAX_MARKUP} ký tự.`,
        `A name, attribute or declaration is longer than ${MAX_MARKUP} characters.`,
      );
    }
    // Attachment bodies the parser sees (CDATA) are bounded by maxXmlBytes alone, as they always were.
    const inAttachment = this.stack.at(-1)?.attachmentIndex !== undefined;
    if (!inAttachment && this.run > this.limits.maxTextLength + MAX_MARKUP) {
      throw fatal(
        this.path(),
        'limits',
        `Nội dung phần tử dài quá ${this.limits.maxTextLength} ký tự.`,
        `Element text is longer than ${this.limits.maxTextLength} characters.`,
      );
    }
  }

  private async drain(): Promise<void> {
    while (this.queue.length) await this.queue.shift()!();
  }

  private async decode(bytes: Uint8Array): Promise<void> {
    try {
      await this.base64!.write(bytes);
    } catch (err) {
      throw this.base64Problem(err);
    }
  }

  private base64Problem(err: unknown): unknown {
    if (!(err instanceof Base64Error)) return err;
    return fatal(
      this.path(),
      'base64',
      `Tệp đính kèm không phải base64 hợp lệ: ${err.message}.`,
      `The attachment is not valid base64: ${err.message}.`,
    );
  }

  private open(tag: SaxesTagNS): void {
    const parent = this.stack[this.stack.length - 1];
    if (++this.elements > this.limits.maxElements) {
      throw fatal(
        this.path(),
        'limits',
        `Gói tin có quá ${this.limits.maxElements} phần tử.`,
        `The package has more than ${this.limits.maxElements} elements.`,
      );
    }
    if (this.stack.length >= this.limits.maxDepth) {
      throw fatal(
        this.path(),
        'limits',
        `Phần tử lồng nhau quá ${this.limits.maxDepth} cấp.`,
        `Elements nest deeper than ${this.limits.maxDepth} levels.`,
      );
    }
    const attributes = [];
    for (const a of Object.values(tag.attributes)) {
      if (a.value.length > this.limits.maxAttributeLength) {
        throw fatal(
          this.path(),
          'limits',
          `Thuộc tính ${a.name} dài quá ${this.limits.maxAttributeLength} ký tự.`,
          `Attribute ${a.name} is longer than ${this.limits.maxAttributeLength} characters.`,
        );
      }
      this.checkChars(a.value);
      if (a.prefix === 'xmlns' || a.name === 'xmlns') continue;
      attributes.push({ qname: a.name, uri: a.uri, value: a.value });
    }
    const element: XmlElement = { local: tag.local, uri: tag.uri, attributes, children: [], text: '' };
    if (parent) parent.children.push(element);
    else this.root = element;
    this.stack.push(element);
    if (tag.local === 'ContentTransferEncoded' && tag.uri === EDXML_NS && parent?.local === 'Attachment')
      this.startAttachment(parent, element, tag.isSelfClosing);
  }

  private startAttachment(attachment: XmlElement, element: XmlElement, selfClosing: boolean): void {
    if (this.attachments.length + (this.base64 ? 1 : 0) >= this.limits.maxAttachments) {
      throw fatal(
        this.path(),
        'limits',
        `Gói tin có quá ${this.limits.maxAttachments} tệp đính kèm.`,
        `The package has more than ${this.limits.maxAttachments} attachments.`,
      );
    }
    const contentId = attachment.children.find((c) => c.local === 'ContentId')?.text.trim() ?? '';
    const writer = this.sink?.open(contentId) ?? null;
    if (writer) this.writers.push(writer);
    const used = this.attachments.reduce((sum, a) => sum + a.size, 0);
    this.base64 = new Base64Decoder(contentId, writer, this.limits.maxBytes - used);
    element.attachmentIndex = this.attachments.length;
    if (!selfClosing) this.bodyStarts = true;
  }

  private close(): void {
    const element = this.stack.pop();
    if (element?.attachmentIndex !== undefined && this.base64) {
      const decoder = this.base64;
      this.base64 = null;
      this.bodyStarts = false;
      this.queue.push(async () => {
        try {
          this.attachments.push(await decoder.end());
        } catch (err) {
          throw this.base64Problem(err);
        }
      });
    }
  }

  private text(text: string): void {
    const element = this.stack[this.stack.length - 1];
    if (!element) return;
    if (element.attachmentIndex !== undefined && this.base64) {
      // Base64 the parser saw itself (inside CDATA, or after a comment): decode it all the same.
      const decoder = this.base64;
      const bytes = Buffer.from(text, 'utf8');
      this.queue.push(() => this.decodeWith(decoder, bytes));
      return;
    }
    this.checkChars(text);
    if (element.text.length + text.length > this.limits.maxTextLength) {
      throw fatal(
        this.path(),
        'limits',
        `Nội dung phần tử dài quá ${this.limits.maxTextLength} ký tự.`,
        `Element text is longer than ${this.limits.maxTextLength} characters.`,
      );
    }
    element.text += text;
  }

  private checkChars(text: string): void {
    const bad = NOT_XML_CHAR.exec(text);
    if (bad) {
      const code = `U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      throw fatal(this.path(), 'well-formed', `Ký tự ${code} không được phép trong XML.`, `Character ${code} is not allowed in XML.`);
    }
  }

  private async decodeWith(decoder: Base64Decoder, bytes: Uint8Array): Promise<void> {
    try {
      await decoder.write(bytes);
    } catch (err) {
      throw this.base64Problem(err);
    }
  }

  /** The path of the element being read, e.g. `/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/To[2]`. */
  path(): string {
    return elementPath(this.stack);
  }
}

export function elementPath(stack: readonly XmlElement[]): string {
  if (stack.length === 0) return '/';
  let path = '';
  for (let i = 0; i < stack.length; i++) {
    const element = stack[i]!;
    const parent = stack[i - 1];
    const same = parent ? parent.children.filter((c) => c.local === element.local) : [element];
    path += `/${element.local}${same.length > 1 ? `[${same.indexOf(element) + 1}]` : ''}`;
  }
  return path;
}
