import type { BlobStore } from '@vanban/db';
import type { PendingItem } from '@vanban/exchange';
import type { OwedDelivery } from './store.js';

/** The most bytes of packages one listing may carry: the answer is built in memory. */
export const MAX_CARRIED_BYTES = 32 * 1024 * 1024;

/**
 * Which deliveries of a page carry their package's bytes: in the page's order, while they fit in
 * `budget` bytes in all, and each package once (a package owed to two agencies of one system is
 * listed twice). What does not fit is listed without its bytes, and fetched.
 */
export function carriedContent(page: readonly Pick<PendingItem, 'packageId' | 'size'>[], budget: number): Set<number> {
  const carried = new Set<number>();
  const packages = new Set<string>();
  let left = budget;
  for (const [i, item] of page.entries()) {
    if (packages.has(item.packageId) || item.size > left) continue;
    packages.add(item.packageId);
    carried.add(i);
    left -= item.size;
  }
  return carried;
}

/**
 * The page as the system sees it, and the bytes of the packages `carriedContent` chooses, read from
 * the blob store. A package purged since it was listed is listed without its bytes: fetching it says so.
 */
export async function carriedPage(
  page: readonly OwedDelivery[],
  budget: number,
  blobs: BlobStore,
): Promise<{ items: PendingItem[]; carried: { packageId: string; bytes: Buffer }[] }> {
  const chosen = budget > 0 ? carriedContent(page, budget) : new Set<number>();
  const read = await Promise.all(
    page.map(async ({ blob }, i) => {
      if (!chosen.has(i)) return null;
      try {
        return await blobs.readAll(blob);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    }),
  );
  return {
    items: page.map(({ blob: _, ...item }, i) => (read[i] ? { ...item, carried: true } : item)),
    carried: page.flatMap((item, i) => (read[i] ? [{ packageId: item.packageId, bytes: read[i] }] : [])),
  };
}
