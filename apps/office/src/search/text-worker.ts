import { buffer } from 'node:stream/consumers';
import type { BlobStore } from '@vanban/db';
import type { FastifyBaseLogger } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { extractText, TextExtractionError } from '../incoming/text-extraction.js';
import type { OfficeSchema } from '../schema.js';
import { Rounds } from '../tools/rounds.js';

/** Pages of a PDF's text layer read for search; OCR, at about a second a page, reads the first few. */
const TEXT_PAGES = 200;
const OCR_PAGES = 3;
/** Characters of a document's text kept: the words of a longer one past this are not searched. */
const MAX_BODY = 500_000;

export interface ExtractionRound {
  readonly read: number;
  readonly failed: number;
  /** More documents may be waiting: the round took as many as it could. */
  readonly more: boolean;
}

/**
 * Reads the text of documents whose PDF waits (search_texts rows without extracted_at, queued by
 * the triggers on the file tables) and stores it, which puts it into their search entries. A file
 * that cannot be read is marked with why and not tried again until the document has another file;
 * when OCR is busy with registrations the round stops and the next one goes on. Two processes may
 * read the same file at once: the second write only repeats the first.
 */
export async function extractPendingTexts(db: Kysely<OfficeSchema>, files: BlobStore, limit = 10): Promise<ExtractionRound> {
  const pending = await db
    .selectFrom('search_texts')
    .select(['document_id', 'sha256'])
    .where('extracted_at', 'is', null)
    .where('sha256', 'is not', null)
    .orderBy('document_id')
    .limit(limit)
    .execute();
  let read = 0;
  let failed = 0;
  for (const p of pending) {
    const sha256 = p.sha256!;
    let outcome: { body: string; source: 'text_layer' | 'ocr' } | { problem: string };
    try {
      const bytes = await buffer(await files.read(sha256));
      const extracted = await extractText(bytes, { textPages: TEXT_PAGES, ocrPages: OCR_PAGES });
      outcome = { body: extracted.text.normalize('NFC').slice(0, MAX_BODY), source: extracted.source };
    } catch (error) {
      if (error instanceof TextExtractionError && error.problem === 'busy') return { read, failed, more: true };
      outcome = { problem: (error instanceof Error ? error.message : String(error)).slice(0, 1000) };
    }
    // Only for the file read: a newer file queued meanwhile waits for its own reading.
    await db
      .updateTable('search_texts')
      .set('problem' in outcome ? { problem: outcome.problem } : { body: outcome.body, source: outcome.source, problem: null })
      .set({ extracted_at: sql`now()` })
      .where('document_id', '=', p.document_id)
      .where('sha256', '=', sha256)
      .execute();
    if ('problem' in outcome) failed++;
    else read++;
  }
  return { read, failed, more: pending.length === limit };
}

export interface SearchTextWorkerOptions {
  readonly db: Kysely<OfficeSchema>;
  readonly files: BlobStore;
  readonly logger?: FastifyBaseLogger;
  /** How often waiting files are looked for (5 s by default, the first look 2 s after start). */
  readonly everyMs?: number;
  readonly firstMs?: number;
}

/**
 * Reads the PDFs of new documents for search in the background, never in the request that stored
 * them (OCR takes seconds a page). A failed round is logged and the next comes as usual.
 */
export class SearchTextWorker {
  readonly #o: SearchTextWorkerOptions;
  readonly #rounds: Rounds;
  #started = false;

  constructor(options: SearchTextWorkerOptions) {
    this.#o = options;
    this.#rounds = new Rounds(options.logger);
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#rounds.every(this.#o.firstMs ?? 2_000, this.#o.everyMs ?? 5_000, 'reading document texts for search', () => this.#round());
  }

  stop(): Promise<void> {
    return this.#rounds.stop();
  }

  async #round(): Promise<void> {
    // A full batch means more may be waiting: go on until one is short.
    for (;;) {
      const round = await extractPendingTexts(this.#o.db, this.#o.files);
      if (round.read + round.failed > 0) this.#o.logger?.info(round, 'document texts read for search');
      if (this.#rounds.stopped || !round.more || round.read + round.failed === 0) return;
    }
  }
}
