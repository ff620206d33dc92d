/**
 * When to try a delivery again: exponential backoff with full jitter, so that
 * a recipient coming back after an outage is not hit by every sender at once.
 * `random` is injectable for tests; the first retry waits about `baseMs`.
 */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 15 * 60_000 };

export function retryDelayMs(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt counts from 1, not ${attempt}`);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt - 1, 30));
  // Half fixed, half random: never hammer, never wait needlessly long.
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
