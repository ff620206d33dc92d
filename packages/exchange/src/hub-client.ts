import type { Readable } from 'node:stream';
import { Agent, request } from 'undici';
import { classifyAnswer } from './answers.js';
import { listingOf, type DeliveryPage } from './listing.js';

export interface HubRefusal {
  readonly check: string;
  readonly message: { readonly vi: string; readonly en: string };
  readonly details?: unknown;
}

/** What became of a package handed to the hub. */
export type SendResult =
  | { kind: 'accepted'; id: string; duplicate: boolean }
  | { kind: 'refused'; status: number; refusal: HubRefusal }
  | { kind: 'retry'; error: string };

/** One delivery owed to the caller, as `GET /deliveries` lists it (the hub's store returns this very type). */
export interface PendingItem {
  readonly seq: number;
  readonly packageId: string;
  readonly recipient: string;
  readonly kind: 'document' | 'status';
  readonly documentId: string;
  readonly from: string;
  readonly size: number;
  /** Whether the listing carries the package's bytes, as a part of its multipart answer (see `pending`). */
  readonly carried?: boolean;
}

/** What a call to the hub sends besides its method and path. */
interface CallInit {
  readonly body?: Buffer | string | Readable;
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
}

/** A delivery as `HubClient.pending` lists it: with the package's bytes when the listing carried them. */
export interface ListedDelivery extends PendingItem {
  readonly content?: Buffer;
}

/** What the hub found for an acknowledged delivery: closed now, closed before, or not owed to this system. */
export type AckOutcome = 'acknowledged' | 'already' | 'unknown';
/** The most deliveries the hub takes in one acknowledgement. */
export const ACK_BATCH = 1000;

export class HubCallError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A connected system's side of the hub's API over mutual TLS: send packages and status messages,
 * take what is owed (long polling), fetch and acknowledge it, read the directory and a document's path.
 */
export class HubClient {
  readonly #agent: Agent;
  readonly #base: string;

  constructor(options: { url: string; tls: { key: string; cert: string; ca: string }; timeoutMs?: number }) {
    this.#base = options.url.replace(/\/$/, '');
    const timeout = options.timeoutMs ?? 60_000;
    this.#agent = new Agent({
      connect: { key: options.tls.key, cert: options.tls.cert, ca: options.tls.ca },
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
  }

  async #call(method: 'GET' | 'POST', path: string, init: CallInit = {}) {
    const answer = await request(`${this.#base}${path}`, {
      method,
      dispatcher: this.#agent,
      headers: init.headers ?? {},
      ...(init.signal ? { signal: init.signal } : {}),
      ...(init.body === undefined ? {} : { body: init.body }),
    });
    const type = answer.headers['content-type'];
    return {
      status: answer.statusCode,
      contentType: typeof type === 'string' ? type : '',
      body: Buffer.from(await answer.body.arrayBuffer()),
    };
  }

  /** A call whose answer must be a success (2xx); anything else is thrown as a HubCallError. */
  async #succeeded(method: 'GET' | 'POST', path: string, init: CallInit = {}) {
    const answer = await this.#call(method, path, init);
    if (answer.status < 200 || answer.status >= 300)
      throw new HubCallError(answer.status, `${method} ${path}: HTTP ${answer.status} ${answer.body.toString('utf8').slice(0, 300)}`);
    return answer;
  }

  async #json<T>(method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const answer = await this.#succeeded(method, path, {
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      ...(signal ? { signal } : {}),
    });
    return (answer.body.length ? JSON.parse(answer.body.toString('utf8')) : undefined) as T;
  }

  /** Hands over a signed package or a status message; network trouble and 5xx come back as `retry`, never thrown. */
  async send(bytes: Buffer | Readable, options: { classification?: string } = {}): Promise<SendResult> {
    try {
      const answer = await this.#call('POST', '/packages', {
        body: bytes,
        headers: { 'content-type': 'application/xml', ...(options.classification ? { 'x-classification': options.classification } : {}) },
      });
      const verdict = classifyAnswer(answer.status);
      const text = answer.body.toString('utf8');
      if (verdict === 'done') {
        const { id, duplicate } = JSON.parse(text) as { id: string; duplicate: boolean };
        return { kind: 'accepted', id, duplicate };
      }
      if (verdict === 'failed') return { kind: 'refused', status: answer.status, refusal: JSON.parse(text) as HubRefusal };
      return { kind: 'retry', error: `HTTP ${answer.status}: ${text.slice(0, 300)}` };
    } catch (error) {
      return { kind: 'retry', error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
  }

  /**
   * What is owed to this system after a cursor; waits up to `wait` seconds for something to arrive.
   * The cursor may be kept from listing to listing (the hub numbers deliveries in commit order);
   * a listing from 0 finds again what was taken but not acknowledged (see the route's `after`).
   * With `content`, the listing brings the packages' bytes along, up to that many bytes in all
   * (take them with `contentOf`): one request instead of one more per package.
   */
  async pending(
    options: { after?: number; limit?: number; wait?: number; content?: number; signal?: AbortSignal } = {},
  ): Promise<DeliveryPage<ListedDelivery>> {
    const query = new URLSearchParams({
      after: String(options.after ?? 0),
      limit: String(options.limit ?? 100),
      wait: String(options.wait ?? 0),
      ...(options.content ? { content: String(options.content) } : {}),
    });
    const answer = await this.#succeeded('GET', `/deliveries?${query}`, options.signal ? { signal: options.signal } : {});
    return listingOf(answer.contentType, answer.body);
  }

  /** The bytes of a listed delivery: carried by the listing, or else fetched. */
  async contentOf(item: ListedDelivery): Promise<Buffer> {
    return item.content ?? this.fetch(item.packageId);
  }

  async fetch(packageId: string): Promise<Buffer> {
    const answer = await this.#call('GET', `/packages/${packageId}`);
    if (answer.status !== 200) throw new HubCallError(answer.status, `GET /packages/${packageId}: HTTP ${answer.status}`);
    return answer.body;
  }

  /**
   * Acknowledges many deliveries in one request (a page taken in); one outcome per delivery, in
   * order: `unknown` when the hub owes it to no one this system answers for.
   */
  async ackMany(items: readonly { packageId: string; recipient: string }[]): Promise<AckOutcome[]> {
    const outcomes: AckOutcome[] = [];
    for (let i = 0; i < items.length; i += ACK_BATCH) {
      const batch = items.slice(i, i + ACK_BATCH).map(({ packageId, recipient }) => ({ packageId, recipient }));
      outcomes.push(...(await this.#json<{ outcomes: AckOutcome[] }>('POST', '/deliveries/ack', { items: batch })).outcomes);
    }
    return outcomes;
  }

  directory(): Promise<{ hubCode: string; agencies: { code: string; name: string }[] }> {
    return this.#json('GET', '/directory');
  }

  documentPath(documentId: string): Promise<{
    documentId: string;
    entries: { hub: string; seq: number; at: string; body: unknown }[];
    unreachable: { hub: string; reason: string }[];
  }> {
    return this.#json('GET', `/document-path?documentId=${encodeURIComponent(documentId)}`);
  }

  close(): Promise<void> {
    return this.#agent.close();
  }
}
