export { startEmbeddedPostgres, takeOverShutdown, type EmbeddedServer, type EmbeddedOptions } from './embedded.js';
export { loadMigrations, migrate, type Migration } from './migrate.js';
export { connect, ensureDatabase, dropDatabase, withTransaction, type Database } from './connection.js';
export { BlobStore, BlobTooLargeError, type StoredBlob } from './blob-store.js';
export { Listener, type ListenerHandlers, type ListenerOptions } from './listener.js';
export { resolveServer, freePort, type ServerHandle } from './server.js';
export { createTestDatabase, type TestDatabase } from './testing.js';
export {
  appendEntries,
  appendEntry,
  appendLockedEntries,
  canonicalJson,
  ChainChecker,
  entryHash,
  GENESIS,
  lockChain,
  verifyJournal,
  type ChainBreak,
  type ChainEntry,
  type Json,
  type Queryable,
} from './hash-chain.js';
