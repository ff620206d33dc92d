import { execFile } from 'node:child_process';
import { OneAtATime } from '../tools/one-at-a-time.js';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The text of an uploaded scan, for pre-filling the registration of a paper document: the PDF's
 * text layer when it has a usable one (pdftotext, poppler-utils), otherwise OCR of the first page
 * (pdftoppm, then tesseract with the Vietnamese language pack); images go straight to OCR.
 */

export const SCAN_TYPES = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  tiff: 'image/tiff',
} as const;
export type ScanType = keyof typeof SCAN_TYPES;

/** The scan's type by its first bytes; what the browser says the file is cannot be trusted. */
export function scanTypeOf(bytes: Uint8Array): ScanType | null {
  const starts = (...signature: number[]) => signature.every((b, i) => bytes[i] === b);
  // PDF readers accept the header anywhere in the first kilobyte (some scanners put junk before it).
  if (Buffer.from(bytes.subarray(0, 1024)).includes('%PDF-')) return 'pdf';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'tiff';
  return null;
}

export interface ExtractedText {
  readonly source: 'text_layer' | 'ocr';
  readonly text: string;
}

export type ExtractionProblem = 'unsupported' | 'unreadable' | 'tool_missing' | 'timeout' | 'busy';

export class TextExtractionError extends Error {
  constructor(
    readonly problem: ExtractionProblem,
    message: string,
  ) {
    super(message);
  }
}

export interface ExtractionOptions {
  /** PDF pages whose text layer is read. */
  readonly textPages?: number;
  /** Pages OCR reads (of a PDF; a multi-page TIFF is read whole): the first holds what the registration needs. */
  readonly ocrPages?: number;
  /** Resolution a scanned PDF is rendered at for OCR, in dots per inch. */
  readonly resolution?: number;
  /** Time allowed to each run of a tool. */
  readonly timeoutMs?: number;
}

const DEFAULTS: Required<ExtractionOptions> = { textPages: 2, ocrPages: 1, resolution: 300, timeoutMs: 60_000 };
/** Debian packages that bring each tool, for the message when one is missing. */
const PACKAGES: Record<string, string> = {
  pdftotext: 'poppler-utils',
  pdftoppm: 'poppler-utils',
  tesseract: 'tesseract-ocr',
};

export async function extractText(bytes: Uint8Array, options: ExtractionOptions = {}): Promise<ExtractedText> {
  const o = { ...DEFAULTS, ...options };
  const type = scanTypeOf(bytes);
  if (!type) throw new TextExtractionError('unsupported', 'the file is neither a PDF nor a PNG, JPEG or TIFF image');
  const dir = await mkdtemp(join(tmpdir(), 'vanban-scan-'));
  try {
    const input = join(dir, `scan.${type}`);
    await writeFile(input, bytes);
    if (type === 'pdf') {
      const layer = await tool('pdftotext', ['-layout', '-enc', 'UTF-8', '-f', '1', '-l', String(o.textPages), input, '-'], o.timeoutMs);
      if (hasUsableText(layer)) return { source: 'text_layer', text: layer };
      return { source: 'ocr', text: await ocrQueue.run(() => ocrPdf(input, dir, o)) };
    }
    return { source: 'ocr', text: await ocrQueue.run(() => ocr(input, o.timeoutMs)) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function ocrPdf(input: string, dir: string, o: Required<ExtractionOptions>): Promise<string> {
  const resolution = String(o.resolution);
  // Grey is all OCR needs; -scale-to bounds the image of an oversized page to the pixels of A4 at this resolution.
  await tool(
    'pdftoppm',
    [
      '-r',
      resolution,
      '-scale-to',
      String(Math.round(11.7 * o.resolution)),
      '-gray',
      '-png',
      '-f',
      '1',
      '-l',
      String(o.ocrPages),
      input,
      join(dir, 'page'),
    ],
    o.timeoutMs,
  );
  const pages = (await readdir(dir)).filter((f) => /^page-\d+\.png$/.test(f)).sort((a, b) => pageNumber(a) - pageNumber(b));
  const texts: string[] = [];
  for (const page of pages) texts.push(await ocr(join(dir, page), o.timeoutMs));
  return texts.join('\f');
}

function pageNumber(file: string): number {
  return Number(/(\d+)\.png$/.exec(file)![1]);
}

function ocr(image: string, timeoutMs: number): Promise<string> {
  return tool('tesseract', [image, '-', '-l', 'vie'], timeoutMs);
}

/**
 * Whether a PDF's text layer can stand for its content: a scan has none (or a few stray
 * characters), and a layer written with a legacy Vietnamese font (TCVN3, VNI) comes out as
 * "ngµy", "n¨m": in both cases OCR does better.
 */
export function hasUsableText(text: string): boolean {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (letters < 40) return false;
  return /(?<!\p{L})(ngày|năm|tháng|của|và|các|số|về|việc|theo|được|cho|với|những)(?!\p{L})/iu.test(text.normalize('NFC'));
}

/** Runs one tool with its arguments (no shell), within the time allowed; its standard output. */
function tool(name: string, args: readonly string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      name,
      args,
      {
        encoding: 'utf8',
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 16 * 1024 * 1024,
        // Tesseract's OpenMP threads spin against each other on a busy machine: one thread measured 1.2 s a page, two 21 s.
        env: { ...process.env, OMP_THREAD_LIMIT: '1' },
      },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
          return reject(new TextExtractionError('tool_missing', `${name} is not installed (Debian package ${PACKAGES[name] ?? name})`));
        }
        if (error.killed) return reject(new TextExtractionError('timeout', `${name} took longer than ${timeoutMs} ms`));
        if (name === 'tesseract' && /Failed loading language/.test(stderr)) {
          return reject(
            new TextExtractionError('tool_missing', 'tesseract has no Vietnamese language data (Debian package tesseract-ocr-vie)'),
          );
        }
        const said = stderr.trim().split('\n').slice(-3).join(' ');
        reject(new TextExtractionError('unreadable', `${name} could not read the file${said ? `: ${said}` : ''}`));
      },
    );
  });
}

const ocrQueue = new OneAtATime(8, (waiting) => new TextExtractionError('busy', `${waiting} scans are already waiting for OCR`));
