export { startOffice, migrateOffice, defaultSettings, type RunningOffice, type HubConnection } from './office.js';
export { HubConnector, ClassifiedThroughHubError, mayGoThroughHub, type OutgoingMessage } from './hub-connector/connector.js';
export { buildApp } from './app.js';
export { seedDemoProvince, DEMO_PASSWORD } from './demo/seed.js';
export { seedDemoCredentials } from './demo/credentials.js';
export { seedDemoTraffic } from './demo/traffic.js';
export type { OfficeSchema } from './schema.js';
export { readCsv, type CsvResult, type CsvRow } from './directory/csv.js';
