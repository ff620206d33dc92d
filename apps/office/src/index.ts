export { startOffice, migrateOffice, defaultSettings, type RunningOffice } from './office.js';
export { buildApp } from './app.js';
export { seedDemoProvince, DEMO_PASSWORD } from './demo/seed.js';
export { seedDemoCredentials } from './demo/credentials.js';
export type { OfficeSchema } from './schema.js';
export { readCsv, type CsvResult, type CsvRow } from './directory/csv.js';
