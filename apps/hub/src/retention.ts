import type { BlobStore } from '@vanban/db';
import type pg from 'pg';
import type { Logger } from 'pino';
import { setTimeout as sleep } from 'node:timers/promises';
import { JournalWriter } from './journal-writer.js';
import { CHAIN, JOURNAL } from './store.js';

/** How many packages one transaction purges: the journal's lock is not held for long. */
const BATCH = 500;

/**
 * Removes the bytes of the packages received before `before` that every recipient acknowledged:
 * the hub is an exchange, not an archive, and its disk would otherwise grow with every package.
 * The package's record, its deliveries and a `purged` journal entry stay, so its path can still be
 * told. A package with a delivery pending or failed (which an administrator may requeue) keeps its
 * bytes. Runs through the journal writer, so it takes turns with recording and acknowledging in
 * every hub process (`writer` is this process's, when it has one). Returns how many packages were
 * purged.
 */
export async function purgeDelivered(
  pool: pg.Pool,
  blobs: BlobStore,
  before: Date,
  writer = new JournalWriter(pool, JOURNAL, CHAIN),
): Promise<number> {
  let purged = 0;
  for (;;) {
    const batch = await writer.run(async (client, journal) => {
      const { rows } = await client.query<{ id: string; blob_sha256: string }>(
        `UPDATE packages p SET purged_at = now()
          WHERE p.id IN (SELECT q.id FROM packages q
                          WHERE q.purged_at IS NULL AND q.received_at < $1
                            AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.package_id = q.id AND d.state <> 'acknowledged')
                          ORDER BY q.received_at LIMIT $2)
         RETURNING p.id, p.blob_sha256`,
        [before, BATCH],
      );
      for (const row of rows) journal({ event: 'purged', packageId: row.id });
      return rows;
    });
    // After the commit: a blob is a package's own, named by bytes that hold this hub's time of
    // receipt (to the second), so bytes stored again by a later resend have another name. Should
    // the process die before this, the files stay on disk and only the space is lost.
    for (const row of batch) await blobs.remove(row.blob_sha256);
    purged += batch.length;
    if (batch.length < BATCH) return purged;
  }
}

/** The receipt time before which bytes kept `days` days may go. */
export function purgeCutOff(days: number): Date {
  return new Date(Date.now() - days * 86_400_000);
}

/** How often a hub process that keeps bytes for a number of days looks for bytes to purge. */
const PURGE_EVERY_MS = 6 * 3_600_000;

/**
 * Purges bytes older than `days` days in this hub process: at once, then every few hours, until
 * stopped. Several processes may each do so; they take turns through the journal's lock and the
 * later ones find nothing. A failed round is logged and tried again at the next.
 */
export function schedulePurge(
  deps: { pool: pg.Pool; blobs: BlobStore; writer: JournalWriter; logger: Logger },
  days: number,
): { stop(): Promise<void> } {
  const stopping = new AbortController();
  const rounds = (async () => {
    while (!stopping.signal.aborted) {
      try {
        const purged = await purgeDelivered(deps.pool, deps.blobs, purgeCutOff(days), deps.writer);
        if (purged > 0) deps.logger.info({ purged, days }, 'purged the bytes of packages every recipient acknowledged');
      } catch (error) {
        deps.logger.error({ err: error }, 'purge failed; tried again at the next round');
      }
      await sleep(PURGE_EVERY_MS, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  })();
  return {
    stop: async () => {
      stopping.abort();
      await rounds;
    },
  };
}
