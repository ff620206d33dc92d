export { migrateHub } from './migrate.js';
export { startHub, type HubConfig, type RunningHub } from './hub.js';
export { route, isLoop, isRoutePattern, type RoutingTable, type Target } from './routing.js';
export { recordPackage, pendingFor, acknowledgeMany, documentPath, requeueFailed, JOURNAL, type AcceptedPackage } from './store.js';
export { purgeCutOff, purgeDelivered } from './retention.js';
export { buildHubServer, type HubOptions, type HubTls } from './server.js';
export { Pusher, type PusherOptions } from './pusher.js';
export { DeliverySignal } from './delivery-signal.js';
export { HubMetrics } from './metrics.js';
export { PathFinder, type DocumentPath, type PathEntry } from './path-finder.js';
export { decideAcceptance, type Check, type Refusal, type Accepted } from './acceptance.js';
export { appendTrace, TraceError } from './trace.js';
export {
  certificateFingerprint,
  clientByFingerprint,
  registerSystem,
  setSystemActive,
  listSystems,
  assignAgencies,
  removeAgencies,
  registerPeer,
  listPeers,
  setRoute,
  removeRoute,
  registerAdministrator,
  loadRoutingTable,
  directory,
  RegistryError,
  type Client,
  type PeerRecord,
  type SystemRecord,
} from './registry.js';
