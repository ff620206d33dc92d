/**
 * A receiving office as its own process, for the crash test to kill: the real office server with
 * its hub connector. Configuration comes as JSON in VANBAN_CRASH_OFFICE (database URL, files folder,
 * hub URL, PEM key, certificate and CA).
 */
import { startOffice, type HubConnection } from '../../apps/office/src/index.js';

const config = JSON.parse(process.env.VANBAN_CRASH_OFFICE ?? '{}') as { databaseUrl: string; filesDir: string; hub: HubConnection };
const office = await startOffice({
  databaseUrl: config.databaseUrl,
  host: '127.0.0.1',
  port: 0,
  filesDir: config.filesDir,
  hub: config.hub,
});
const stop = () => void office.stop().finally(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
console.log('office ready');
