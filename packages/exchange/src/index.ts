export { retryDelayMs, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
export { classifyAnswer } from './answers.js';
export {
  HubClient,
  HubCallError,
  ACK_BATCH,
  type AckOutcome,
  type SendResult,
  type PendingItem,
  type ListedDelivery,
  type HubRefusal,
} from './hub-client.js';
export { carryingListing, listingOf, type DeliveryPage } from './listing.js';
export { Doorbell } from './doorbell.js';
