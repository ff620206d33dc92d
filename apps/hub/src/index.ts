export { migrateHub } from './migrate.js';
export { route, isLoop, isRoutePattern, type RoutingTable, type Target } from './routing.js';
export { retryDelayMs, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
export { recordPackage, pendingFor, acknowledge, documentPath, type AcceptedPackage, type PendingDelivery } from './store.js';
export { buildHubServer, type HubOptions } from './server.js';
export { decideAcceptance, type Check, type Refusal, type Accepted } from './acceptance.js';
export { appendTrace, TraceError } from './trace.js';
export { clientByFingerprint, registerSystem, assignAgencies, loadRoutingTable, directory, type Client } from './registry.js';
