import { appendEntry, withTransaction, type Json } from '@vanban/db';
import type { AckOutcome, PendingItem } from '@vanban/exchange';
import type pg from 'pg';
import type { JournalWriter, SharedJournalWork } from './journal-writer.js';
import type { Target } from './routing.js';

export const JOURNAL = 'hub_journal';
/** The hub keeps one chain: every hop it sees, in the order it saw them. */
export const CHAIN = 'hub';
/** The PostgreSQL notification channel that says "a delivery is owed to target kind:id". */
export const DELIVERY_CHANNEL = 'hub_deliveries';

export interface AcceptedPackage {
  /** SHA-256 of the bytes as received (the blob's name too). */
  readonly id: string;
  readonly kind: 'document' | 'status';
  readonly documentId: string;
  /** A status message's code, or a package's BussinessDocType (new, recall, amend, replace). */
  readonly status?: string;
  readonly business?: string;
  /** The document a recall, amendment or replacement is about. */
  readonly relatedDocumentId?: string;
  readonly from: string;
  /** The system or peer hub that handed it over. */
  readonly receivedFrom: string;
  readonly size: number;
  /** The bytes handed on (with this hub's trace), in the blob store. */
  readonly blobSha256: string;
  /** Whether those bytes were stored for this send, rather than taken from the package held: they replace purged ones. */
  readonly storedNow?: boolean;
  /** The hubs it passed, this one last. */
  readonly via: readonly string[];
  readonly recipients: readonly { readonly code: string; readonly target: Exclude<Target, { kind: 'unknown' }> }[];
}

/**
 * Records an accepted package and the deliveries it needs, with its journal entry, in one
 * transaction. The same bytes sent again (after a lost answer) are recorded once; a resend that
 * names recipients not yet served (a peer hub handing on another part of the `To` list) adds their
 * deliveries only. Returns whether the package is new and which recipients were added.
 *
 * A package whose bytes were purged takes new deliveries only with its bytes stored again
 * (`storedNow`); otherwise nothing is added and `purged` says so.
 *
 * The packages recorded in one batch of the journal writer are recorded by one statement.
 */
export function recordPackage(writer: JournalWriter, pkg: AcceptedPackage): Promise<Recorded> {
  return writer.share(recordPackages, pkg);
}

export interface Recorded {
  readonly created: boolean;
  readonly added: string[];
  readonly purged: boolean;
}

const recordPackages: SharedJournalWork<AcceptedPackage, Recorded> = async (client, journal, packages) => {
  const recorded: Recorded[] = [];
  // One statement may not touch a package twice: the same package sent twice at once is recorded by a second statement, after the first.
  for (const round of distinctRounds(packages)) {
    const rows = await recordRound(
      client,
      round.map((i) => packages[i]!),
    );
    round.forEach((i, k) => {
      const row = rows[k]!;
      // In the order of the To list, whatever order the rows came back in.
      const added = packages[i]!.recipients.map((r) => r.code).filter((code) => row.added.includes(code));
      recorded[i] = { created: row.created, added, purged: row.purged };
    });
  }
  return packages.map((pkg, i) => {
    const result = recorded[i]!;
    if (result.created || result.added.length > 0) {
      journal({
        event: 'accepted',
        packageId: pkg.id,
        kind: pkg.kind,
        documentId: pkg.documentId,
        ...(pkg.status ? { status: pkg.status } : {}),
        ...(pkg.business ? { business: pkg.business } : {}),
        ...(pkg.relatedDocumentId ? { relatedDocumentId: pkg.relatedDocumentId } : {}),
        from: pkg.from,
        receivedFrom: pkg.receivedFrom,
        recipients: result.added,
      });
    }
    return result;
  });
};

/** The packages' positions, split so that no id appears twice in one part: a copy goes in the part after its previous one. */
function distinctRounds(packages: readonly AcceptedPackage[]): number[][] {
  const rounds: number[][] = [];
  const seen = new Map<string, number>();
  packages.forEach((pkg, i) => {
    const round = (seen.get(pkg.id) ?? -1) + 1;
    seen.set(pkg.id, round);
    (rounds[round] ??= []).push(i);
  });
  return rounds;
}

async function recordRound(client: pg.ClientBase, packages: readonly AcceptedPackage[]) {
  const recipients = packages.flatMap((pkg, i) => pkg.recipients.map((r) => ({ pkg: i + 1, ...r })));
  // One statement: each package if new, and the deliveries not yet there (each wakes the hub processes on commit: migrations 0005, 0006).
  // Statements run for every package are named: each connection then parses and plans them once.
  const { rows } = await client.query<{ created: boolean; added: string[]; purged: boolean }>({
    name: 'hub.record-packages',
    // Every part sees the tables as the statement began: "gone" is a package purged and not given anew.
    text: `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::jsonb[], $9::text[], $10::boolean[])
           WITH ORDINALITY AS i (id, kind, document_id, from_code, received_from, size, blob_sha256, via, related_document_id, stored_now, n)
       ), package AS (
         INSERT INTO packages AS p (id, kind, document_id, from_code, received_from, size, blob_sha256, via, related_document_id)
         SELECT id, kind, document_id, from_code, received_from, size, blob_sha256,
                ARRAY(SELECT jsonb_array_elements_text(via)), related_document_id
           FROM input ORDER BY n
         ON CONFLICT (id) DO UPDATE SET blob_sha256 = EXCLUDED.blob_sha256, purged_at = NULL
          WHERE p.purged_at IS NOT NULL AND EXISTS (SELECT 1 FROM input i WHERE i.id = EXCLUDED.id AND i.stored_now)
         RETURNING p.id, xmax = 0 AS inserted
       ), gone AS (
         SELECT i.id FROM input i JOIN packages p USING (id) WHERE p.purged_at IS NOT NULL AND NOT i.stored_now
       ), delivery AS (
         INSERT INTO deliveries (package_id, recipient_code, target_kind, target_id, mode)
         SELECT i.id, r.code, r.kind, r.target,
                -- Peers are always pushed to; a system is when it gave a push URL, otherwise it pulls.
                CASE WHEN r.kind = 'peer' OR EXISTS (SELECT 1 FROM systems s WHERE s.id = r.target AND s.push_url IS NOT NULL)
                     THEN 'push' ELSE 'pull' END
           FROM unnest($11::int[], $12::text[], $13::text[], $14::text[]) WITH ORDINALITY AS r (pkg, code, kind, target, n)
           JOIN input i ON i.n = r.pkg
          WHERE NOT EXISTS (SELECT 1 FROM gone g WHERE g.id = i.id)
          ORDER BY r.n
         ON CONFLICT (package_id, recipient_code) DO NOTHING RETURNING package_id, recipient_code
       )
       SELECT EXISTS (SELECT 1 FROM package p WHERE p.id = i.id AND p.inserted) AS created,
              EXISTS (SELECT 1 FROM gone g WHERE g.id = i.id) AS purged,
              ARRAY(SELECT d.recipient_code FROM delivery d WHERE d.package_id = i.id) AS added
         FROM input i ORDER BY i.n`,
    values: [
      packages.map((p) => p.id),
      packages.map((p) => p.kind),
      packages.map((p) => p.documentId),
      packages.map((p) => p.from),
      packages.map((p) => p.receivedFrom),
      packages.map((p) => p.size),
      packages.map((p) => p.blobSha256),
      packages.map((p) => JSON.stringify(p.via)),
      packages.map((p) => p.relatedDocumentId ?? null),
      packages.map((p) => p.storedNow ?? false),
      recipients.map((r) => r.pkg),
      recipients.map((r) => r.code),
      recipients.map((r) => r.target.kind),
      recipients.map((r) => (r.target.kind === 'system' ? r.target.systemId : r.target.peerId)),
    ],
  });
  return rows;
}

/** A delivery owed, as listed, and the blob of the bytes it hands on. */
export type OwedDelivery = PendingItem & { readonly blob: string };

/** What a system (or peer hub) has not acknowledged yet, oldest first, after a cursor. */
export async function pendingFor(
  pool: pg.Pool,
  target: { kind: 'system' | 'peer'; id: string },
  afterSeq: number,
  limit: number,
): Promise<OwedDelivery[]> {
  const { rows } = await pool.query<{
    seq: string;
    package_id: string;
    recipient_code: string;
    kind: 'document' | 'status';
    document_id: string;
    from_code: string;
    size: string;
    blob_sha256: string;
  }>({
    name: 'hub.pending',
    text: `SELECT d.seq::text AS seq, d.package_id, d.recipient_code, p.kind, p.document_id, p.from_code, p.size::text AS size, p.blob_sha256
       FROM deliveries d JOIN packages p ON p.id = d.package_id
      WHERE d.state = 'pending' AND d.target_kind = $1 AND d.target_id = $2 AND d.seq > $3
      ORDER BY d.seq LIMIT $4`,
    values: [target.kind, target.id, afterSeq, limit],
  });
  return rows.map((r) => ({
    seq: Number(r.seq),
    packageId: r.package_id,
    recipient: r.recipient_code,
    kind: r.kind,
    documentId: r.document_id,
    from: r.from_code,
    size: Number(r.size),
    blob: r.blob_sha256,
  }));
}

export interface DeliveryKey {
  readonly packageId: string;
  readonly recipient: string;
}

/** The journal entry of a delivery closed: by whom it was taken, and the id a next hub gave it. */
function closedEntry(event: 'acknowledged' | 'delivered' | 'forwarded', key: DeliveryKey, to: string, remoteId?: string): Json {
  return { event, packageId: key.packageId, recipient: key.recipient, to, ...(remoteId ? { remoteId } : {}) };
}

/**
 * Marks a pushed delivery done, with its journal entry, if it is still open: `delivered` when the
 * system answered 2xx, `forwarded` when the next hub took it (with the id it gave it). Closing one
 * already closed does nothing.
 */
export async function completeDelivery(
  client: pg.ClientBase,
  journal: (body: Json) => void,
  key: DeliveryKey,
  event: 'delivered' | 'forwarded',
  extra: { remoteId?: string } = {},
): Promise<void> {
  // The row lock makes a concurrent second close find nothing.
  const closed = await client.query<{ target_kind: string; target_id: string }>({
    name: 'hub.complete-delivery',
    text: `UPDATE deliveries SET state = 'acknowledged', acknowledged_at = now(), remote_id = $3, last_error = NULL
      WHERE package_id = $1 AND recipient_code = $2 AND state = 'pending'
      RETURNING target_kind, target_id`,
    values: [key.packageId, key.recipient, extra.remoteId ?? null],
  });
  const delivery = closed.rows[0];
  if (delivery) journal(closedEntry(event, key, `${delivery.target_kind}:${delivery.target_id}`, extra.remoteId));
}

/**
 * Marks deliveries acknowledged by the system (or peer hub) they are owed to, many in one statement:
 * a receiver that took a page of packages acknowledges the page at once. Acknowledging twice is fine;
 * only the first is journalled. Returns one outcome per key, in order.
 */
export async function acknowledgeMany(
  writer: JournalWriter,
  target: { kind: 'system' | 'peer'; id: string },
  keys: readonly DeliveryKey[],
): Promise<AckOutcome[]> {
  if (keys.length === 0) return [];
  return writer.run(async (client, journal) => {
    const ids = keys.map((k) => k.packageId);
    const recipients = keys.map((k) => k.recipient);
    // Those not closed here were closed before, or a moment ago by a concurrent acknowledgement
    // (which the row lock made this one wait for): both are acknowledged.
    const { rows } = await client.query<{ package_id: string; recipient_code: string; closed: boolean }>({
      name: 'hub.acknowledge',
      text: `WITH keys AS (SELECT DISTINCT package_id, recipient_code FROM unnest($1::text[], $2::text[]) AS k (package_id, recipient_code)),
            closed AS (
              UPDATE deliveries d SET state = 'acknowledged', acknowledged_at = now(), last_error = NULL
                FROM keys k
               WHERE d.package_id = k.package_id AND d.recipient_code = k.recipient_code AND d.state = 'pending'
                 AND d.target_kind = $3 AND d.target_id = $4
              RETURNING d.package_id, d.recipient_code)
       SELECT package_id, recipient_code, true AS closed FROM closed
        UNION ALL
       SELECT d.package_id, d.recipient_code, false FROM deliveries d JOIN keys k USING (package_id, recipient_code)
        WHERE d.target_kind = $3 AND d.target_id = $4
          AND NOT EXISTS (SELECT 1 FROM closed c WHERE c.package_id = d.package_id AND c.recipient_code = d.recipient_code)`,
      values: [ids, recipients, target.kind, target.id],
    });
    const found = new Map(rows.map((r) => [`${r.package_id} ${r.recipient_code}`, r.closed]));
    const journalled = new Set<string>();
    return keys.map((k): AckOutcome => {
      const key = `${k.packageId} ${k.recipient}`;
      const closed = found.get(key);
      if (closed === undefined) return 'unknown';
      if (!closed || journalled.has(key)) return 'already';
      journalled.add(key);
      journal(closedEntry('acknowledged', k, `${target.kind}:${target.id}`));
      return 'acknowledged';
    });
  });
}

/** Every journal entry about one document (its status messages, recalls, amendments and replacements included), in order. */
export async function documentPath(pool: pg.Pool, documentId: string): Promise<{ seq: number; at: Date; body: Json }[]> {
  const { rows } = await pool.query<{ seq: string; at: Date; body: Json }>(
    `SELECT j.seq::text AS seq, j.at, j.body FROM hub_journal j
      WHERE j.body ->> 'packageId' IN (SELECT id FROM packages WHERE document_id = $1 OR related_document_id = $1)
      ORDER BY j.seq`,
    [documentId],
  );
  return rows.map((r) => ({ seq: Number(r.seq), at: r.at, body: r.body }));
}

/**
 * Puts deliveries that failed for good back in the queue, once an administrator has fixed what the
 * target refused (an agency missing from its directory, a certificate not yet registered).
 */
export async function requeueFailed(pool: pg.Pool, target?: { kind: 'system' | 'peer'; id: string }): Promise<number> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<{ package_id: string; recipient_code: string; target_kind: string; target_id: string }>(
      `UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = now()
        WHERE state = 'failed' AND ($1::text IS NULL OR (target_kind = $1 AND target_id = $2))
       RETURNING package_id, recipient_code, target_kind, target_id`,
      [target?.kind ?? null, target?.id ?? null],
    );
    for (const r of rows) {
      await appendEntry(client, JOURNAL, CHAIN, {
        event: 'requeued',
        packageId: r.package_id,
        recipient: r.recipient_code,
        to: `${r.target_kind}:${r.target_id}`,
      });
    }
    return rows.length;
  });
}
