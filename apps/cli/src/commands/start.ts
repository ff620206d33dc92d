import { BlobStore, connect, takeOverShutdown } from '@vanban/db';
import { DEMO_PASSWORD, seedDemoCredentials, seedDemoProvince, seedDemoTraffic, startOffice, type OfficeSchema } from '@vanban/office';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { dataDirOf, openDatabase } from '../database.js';
import { DEFAULT_CA_URL, openDemoCa, serveCa } from '../demo-ca.js';
import { NATIONAL_HUB_CODE, PROVINCE_HUB_CODE, startDemoExchange, type DemoExchange } from '../demo-exchange.js';
import { pino } from 'pino';

const WEB_ROOT = join(import.meta.dirname, '..', '..', '..', 'web', 'dist');

export const command: Command = {
  summary:
    'Start the database, the demo certification authority, the national and provincial exchange hubs, the office and the web app, with the demo province on first start',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        data: { type: 'string' },
        host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
        port: { type: 'string', default: process.env.PORT ?? '3000' },
        'hub-port': { type: 'string', default: process.env.VANBAN_HUB_PORT ?? '3443' },
        'national-hub-port': { type: 'string', default: process.env.VANBAN_NATIONAL_HUB_PORT ?? '3444' },
        'no-demo': { type: 'boolean', default: false },
        'ca-url': { type: 'string', default: process.env.VANBAN_CA_URL ?? DEFAULT_CA_URL },
        help: { type: 'boolean' },
      },
    });
    if (values.help) {
      console.log(
        [
          'vanban start [--data DIR] [--host H] [--port P] [--hub-port P] [--national-hub-port P] [--no-demo] [--ca-url URL]',
          'Starts PostgreSQL (embedded in DIR, default ./data, unless DATABASE_URL is set), the demo certification',
          'authority (kept in DIR/ca, its CRLs, OCSP responder and timestamp authority served at URL, default',
          `${DEFAULT_CA_URL}; the URL is fixed when the CA is first created), the national exchange hub`,
          "(HTTPS, default port 3444) and the demo province's hub (default 3443) on databases of their own,",
          'federated, the office API connected to the provincial hub, and the web app.',
          'On first start the demo province is created, with certificates for every agency and agency leader,',
          'and a few signed documents are sent between its agencies through the hubs.',
          'With SMTP_URL (smtp://user:pass@host:587) and SMTP_FROM set, notifications are mailed too.',
          'Ctrl-C stops everything.',
        ].join('\n'),
      );
      return 0;
    }
    const portOf = (option: string, value: string) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--${option} takes a port number, not ${value}`);
      return n;
    };
    const port = portOf('port', values.port);
    const hubPorts = {
      province: portOf('hub-port', values['hub-port']),
      national: portOf('national-hub-port', values['national-hub-port']),
    };
    if (!existsSync(join(WEB_ROOT, 'index.html'))) {
      console.warn('The web app is not built (npm run build:web); serving the API only.');
    }

    // Ctrl-C stops the office, the CA service and the database in that order, then exits 0.
    takeOverShutdown();
    const dataDir = dataDirOf(values.data);
    // The office's blob store: the demo documents queued in its outbox are read from there by its hub connector.
    const filesDir = join(dataDir, 'files');
    const { ca } = await openDemoCa(dataDir, values['ca-url']);
    const caService = await serveCa(ca);
    let database: Awaited<ReturnType<typeof openDatabase>> | undefined;
    let exchange: DemoExchange | undefined;
    let office: Awaited<ReturnType<typeof startOffice>> | undefined;
    try {
      database = await openDatabase(dataDir);
      exchange = await startDemoExchange({
        ca,
        caDir: join(dataDir, 'ca'),
        databases: { national: await database.another('hub_national'), province: await database.another('hub') },
        blobsDir: join(dataDir, 'hubs'),
        host: values.host,
        ports: hubPorts,
        logger: pino({ level: process.env.LOG_LEVEL ?? 'warn' }),
      });
      office = await startOffice({
        databaseUrl: database.url,
        host: values.host,
        port,
        webRoot: WEB_ROOT,
        filesDir,
        trust: ca.trustList(),
        // The demo CA leaves every agency's and signer's key in its issued folder.
        keys: { dir: join(dataDir, 'ca', 'issued') },
        logger: { level: process.env.LOG_LEVEL ?? 'warn' },
        hub: exchange.office,
        // Notifications are mailed too when an SMTP server is given.
        ...(process.env.SMTP_URL ? { smtp: { url: process.env.SMTP_URL, from: process.env.SMTP_FROM ?? '' } } : {}),
      });
      if (!values['no-demo']) {
        const db = connect<OfficeSchema>(database.url, { max: 4 });
        try {
          const seeded = await seedDemoProvince(db.db);
          if (seeded.created) {
            console.log(`Demo province created: ${seeded.agencies} agencies, ${seeded.users} users.`);
            console.log('Issuing certificates for every agency and agency leader (once; about half a minute)…');
          }
          const issued = await seedDemoCredentials(db.db, ca);
          if (issued.agencies + issued.signers > 0) {
            console.log(`Certificates issued: ${issued.agencies} agencies, ${issued.signers} signers.`);
          }
        } finally {
          await db.close();
        }
      }
      // The provincial hub delivers to the office for every agency it holds, however they were added.
      await exchange.registerOfficeAgencies(await office.database.db.selectFrom('agencies').select(['code', 'name']).execute());
      if (!values['no-demo']) {
        // After the hub knows the agencies, or it would refuse their documents. Once only; a failure
        // (fonts-dejavu-core missing, say) leaves the demo without traffic but running.
        try {
          const traffic = await seedDemoTraffic(office.database.db, new BlobStore(filesDir), { dir: join(dataDir, 'ca', 'issued') });
          if (traffic.sent > 0) console.log(`Demo documents sent: ${traffic.sent}.`);
        } catch (error) {
          console.warn(`Demo documents not sent: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    } catch (err) {
      await office?.stop();
      await exchange?.stop();
      await database?.stop();
      await caService.server.close();
      throw err;
    }

    const running = office;
    const runningExchange = exchange;
    const runningDatabase = database;
    // Listening before saying so: whoever reads "Press Ctrl-C" may press it at once.
    const stopped = new Promise<void>((resolveStop) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        console.log(`\n${signal}: stopping the office, the hubs, the CA service and the database…`);
        void running
          .stop()
          .finally(() => runningExchange.stop())
          .finally(() => caService.server.close())
          .finally(() => runningDatabase.stop())
          .finally(resolveStop);
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });

    console.log(
      [
        '',
        `vanban is running at ${office.url}  (API docs: ${office.url}/docs)`,
        `Database: ${database.embedded ? 'embedded PostgreSQL in ' + dataDir : 'DATABASE_URL'}`,
        `Certification authority "${ca.name}" (${join(dataDir, 'ca')}): CRLs, OCSP and timestamps at ${caService.url}`,
        `Exchange hubs (mutual TLS, certificates from that CA): provincial ${PROVINCE_HUB_CODE} at ${exchange.province.url},`,
        `  national ${NATIONAL_HUB_CODE} at ${exchange.national.url}; health at /health, metrics at /metrics`,
        '',
        `Demo logins (password ${DEMO_PASSWORD}):`,
        "  qt.ubnd    administrator of the province People's Committee (whole province)",
        '  vt.ubnd    clerk        ld.ubnd   agency leader     cv.ubnd   officer',
        '  vt.sotc    clerk of Sở Tài chính',
        '  kiemnhiem  works in two agencies (agency switcher)',
        '',
        'Press Ctrl-C to stop.',
      ].join('\n'),
    );

    await stopped;
    console.log('Stopped.');
    return 0;
  },
};
