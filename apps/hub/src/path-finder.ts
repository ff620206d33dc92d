import type { Json } from '@vanban/db';
import type pg from 'pg';
import { Agent, request } from 'undici';
import { documentPath } from './store.js';

export interface PathEntry {
  /** The hub whose journal holds the entry. */
  readonly hub: string;
  readonly seq: number;
  readonly at: string;
  readonly body: Json;
}

export interface DocumentPath {
  readonly documentId: string;
  readonly entries: PathEntry[];
  /** Hubs on the path that could not be asked, and why. */
  readonly unreachable: { hub: string; reason: string }[];
}

/**
 * Tells the path of one document: this hub's journal entries about it, and those of every hub it was
 * handed to or received from, asked in turn. Each hub passes on the list of hubs already asked, so
 * the questions end however the hubs are connected.
 */
export class PathFinder {
  readonly #agent: Agent | null;

  constructor(private readonly options: { pool: pg.Pool; hubCode: string; tls: { ca: string; client?: { key: string; cert: string } } }) {
    const client = options.tls.client;
    this.#agent = client
      ? new Agent({ connect: { key: client.key, cert: client.cert, ca: options.tls.ca }, headersTimeout: 10_000, bodyTimeout: 10_000 })
      : null;
  }

  /** Whether a system speaking for these agencies sent or received the document (or a status about it). */
  async concerns(documentId: string, speaksFor: ReadonlySet<string>): Promise<boolean> {
    const { rows } = await this.options.pool.query<{ yes: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM packages p WHERE (p.document_id = $1 OR p.related_document_id = $1) AND (p.from_code = ANY($2)
                 OR EXISTS (SELECT 1 FROM deliveries d WHERE d.package_id = p.id AND d.recipient_code = ANY($2)))) AS yes`,
      [documentId, [...speaksFor]],
    );
    return rows[0]?.yes ?? false;
  }

  async find(documentId: string, asked: readonly string[]): Promise<DocumentPath> {
    const { pool, hubCode } = this.options;
    const local = await documentPath(pool, documentId);
    const entries: PathEntry[] = local.map((e) => ({ hub: hubCode, seq: e.seq, at: e.at.toISOString(), body: e.body }));
    const unreachable: DocumentPath['unreachable'] = [];
    const peerIds = new Set<string>();
    for (const e of local) {
      const body = e.body as { to?: unknown; receivedFrom?: unknown };
      for (const party of [body.to, body.receivedFrom]) {
        if (typeof party === 'string' && party.startsWith('peer:')) peerIds.add(party.slice('peer:'.length));
      }
    }
    const seen = [...asked, hubCode];
    const { rows: peers } = await pool.query<{ hub_code: string; base_url: string }>(
      `SELECT hub_code, base_url FROM peers WHERE id = ANY($1) AND NOT hub_code = ANY($2)`,
      [[...peerIds], seen],
    );
    const answers = await Promise.all(peers.map((peer) => this.#ask(peer, documentId, seen)));
    for (const [i, answer] of answers.entries()) {
      if ('reason' in answer) unreachable.push({ hub: peers[i]!.hub_code, reason: answer.reason });
      else {
        entries.push(...answer.entries);
        unreachable.push(...answer.unreachable);
      }
    }
    const unique = new Map(entries.map((e) => [`${e.hub} ${e.seq}`, e]));
    const ordered = [...unique.values()].sort((a, b) => a.at.localeCompare(b.at) || a.hub.localeCompare(b.hub) || a.seq - b.seq);
    return { documentId, entries: ordered, unreachable };
  }

  async #ask(peer: { hub_code: string; base_url: string }, documentId: string, seen: string[]): Promise<DocumentPath | { reason: string }> {
    if (!this.#agent) return { reason: 'this hub has no client certificate to ask other hubs with' };
    try {
      const url = `${peer.base_url.replace(/\/$/, '')}/document-path?documentId=${encodeURIComponent(documentId)}`;
      const answer = await request(url, { dispatcher: this.#agent, headers: { 'x-vanban-hops': seen.join(',') } });
      const text = await answer.body.text();
      if (answer.statusCode !== 200) return { reason: `HTTP ${answer.statusCode}` };
      return JSON.parse(text) as DocumentPath;
    } catch (error) {
      return { reason: error instanceof Error ? error.message : String(error) };
    }
  }

  async close(): Promise<void> {
    await this.#agent?.close();
  }
}
