import { appendEntry, withTransaction, type Json } from '@vanban/db';
import type pg from 'pg';
import type { Target } from './routing.js';

export const JOURNAL = 'hub_journal';
/** The hub keeps one chain: every hop it sees, in the order it saw them. */
export const CHAIN = 'hub';

export interface AcceptedPackage {
  /** SHA-256 of the bytes as received (the blob's name too). */
  readonly id: string;
  readonly kind: 'document' | 'status';
  readonly documentId: string;
  readonly from: string;
  /** The system or peer hub that handed it over. */
  readonly receivedFrom: string;
  readonly size: number;
  /** The bytes handed on (with this hub's trace), in the blob store. */
  readonly blobSha256: string;
  readonly recipients: readonly { readonly code: string; readonly target: Exclude<Target, { kind: 'unknown' }> }[];
}

/**
 * Records an accepted package and the deliveries it needs, with its journal
 * entry, in one transaction. A package already recorded (the same bytes sent
 * again after a lost answer) is recorded once: the second call changes nothing
 * and says so.
 */
export async function recordPackage(pool: pg.Pool, pkg: AcceptedPackage): Promise<{ created: boolean }> {
  return withTransaction(pool, async (client) => {
    const inserted = await client.query(
      `INSERT INTO packages (id, kind, document_id, from_code, received_from, size, blob_sha256)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
      [pkg.id, pkg.kind, pkg.documentId, pkg.from, pkg.receivedFrom, pkg.size, pkg.blobSha256],
    );
    if (inserted.rowCount === 0) return { created: false };
    for (const r of pkg.recipients) {
      const targetId = r.target.kind === 'system' ? r.target.systemId : r.target.peerId;
      await client.query(`INSERT INTO deliveries (package_id, recipient_code, target_kind, target_id) VALUES ($1, $2, $3, $4)`, [
        pkg.id,
        r.code,
        r.target.kind,
        targetId,
      ]);
    }
    await appendEntry(client, JOURNAL, CHAIN, {
      event: 'accepted',
      packageId: pkg.id,
      kind: pkg.kind,
      documentId: pkg.documentId,
      from: pkg.from,
      receivedFrom: pkg.receivedFrom,
      recipients: pkg.recipients.map((r) => r.code),
    });
    return { created: true };
  });
}

export interface PendingDelivery {
  readonly seq: number;
  readonly packageId: string;
  readonly recipient: string;
  readonly kind: 'document' | 'status';
  readonly documentId: string;
  readonly from: string;
  readonly size: number;
}

/** What a system (or peer hub) has not acknowledged yet, oldest first, after a cursor. */
export async function pendingFor(
  pool: pg.Pool,
  target: { kind: 'system' | 'peer'; id: string },
  afterSeq: number,
  limit: number,
): Promise<PendingDelivery[]> {
  const { rows } = await pool.query<{
    seq: string;
    package_id: string;
    recipient_code: string;
    kind: 'document' | 'status';
    document_id: string;
    from_code: string;
    size: string;
  }>(
    `SELECT d.seq::text AS seq, d.package_id, d.recipient_code, p.kind, p.document_id, p.from_code, p.size::text AS size
       FROM deliveries d JOIN packages p ON p.id = d.package_id
      WHERE d.state = 'pending' AND d.target_kind = $1 AND d.target_id = $2 AND d.seq > $3
      ORDER BY d.seq LIMIT $4`,
    [target.kind, target.id, afterSeq, limit],
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    packageId: r.package_id,
    recipient: r.recipient_code,
    kind: r.kind,
    documentId: r.document_id,
    from: r.from_code,
    size: Number(r.size),
  }));
}

/**
 * Marks a delivery acknowledged by its target. Acknowledging twice is fine
 * (the answer to the first may have been lost); only the first is journaled.
 * Returns false when no such delivery is owed to that target.
 */
export async function acknowledge(
  pool: pg.Pool,
  target: { kind: 'system' | 'peer'; id: string },
  packageId: string,
  recipient: string,
): Promise<boolean> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<{ state: string }>(
      `SELECT state FROM deliveries WHERE package_id = $1 AND recipient_code = $2 AND target_kind = $3 AND target_id = $4 FOR UPDATE`,
      [packageId, recipient, target.kind, target.id],
    );
    const delivery = rows[0];
    if (!delivery) return false;
    if (delivery.state === 'acknowledged') return true;
    await client.query(
      `UPDATE deliveries SET state = 'acknowledged', acknowledged_at = now() WHERE package_id = $1 AND recipient_code = $2`,
      [packageId, recipient],
    );
    const entry: Json = { event: 'acknowledged', packageId, recipient, by: `${target.kind}:${target.id}` };
    await appendEntry(client, JOURNAL, CHAIN, entry);
    return true;
  });
}

/** Every journal entry about one document, in order: its path through this hub. */
export async function documentPath(pool: pg.Pool, documentId: string): Promise<{ seq: number; at: Date; body: Json }[]> {
  const { rows } = await pool.query<{ seq: string; at: Date; body: Json }>(
    `SELECT j.seq::text AS seq, j.at, j.body FROM hub_journal j
      WHERE j.body ->> 'packageId' IN (SELECT id FROM packages WHERE document_id = $1)
      ORDER BY j.seq`,
    [documentId],
  );
  return rows.map((r) => ({ seq: Number(r.seq), at: r.at, body: r.body }));
}
