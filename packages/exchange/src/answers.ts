/** A 4xx means the other side looked and said no; asking again will not change that, except for these. */
const RETRYABLE_4XX = new Set([401, 408, 425, 429]);

/**
 * Whether an HTTP answer from a hub (or a system the hub pushes to) ends a delivery, fails it for
 * good, or calls for another try later. An unregistered certificate (401) is retried: registering
 * it is what the operator will do next. 508 is a routing loop, which retrying cannot mend.
 */
export function classifyAnswer(status: number): 'done' | 'failed' | 'retry' {
  if (status >= 200 && status < 300) return 'done';
  if (status === 508 || (status >= 400 && status < 500 && !RETRYABLE_4XX.has(status))) return 'failed';
  return 'retry';
}
