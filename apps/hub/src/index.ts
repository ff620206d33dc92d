export { migrateHub } from './migrate.js';
export { route, isLoop, isRoutePattern, type RoutingTable, type Target } from './routing.js';
export { retryDelayMs, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
export { recordPackage, pendingFor, acknowledge, documentPath, type AcceptedPackage, type PendingDelivery } from './store.js';
