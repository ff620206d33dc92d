import { connect } from '@vanban/db';
import { DEMO_PASSWORD, seedDemoProvince, startOffice, type OfficeSchema } from '@vanban/office';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { dataDirOf, openDatabase } from '../database.js';

const WEB_ROOT = join(import.meta.dirname, '..', '..', '..', 'web', 'dist');

export const command: Command = {
  summary: 'Start the database, the office and the web app, with the demo province on first start',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        data: { type: 'string' },
        host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
        port: { type: 'string', default: process.env.PORT ?? '3000' },
        'no-demo': { type: 'boolean', default: false },
        help: { type: 'boolean' },
      },
    });
    if (values.help) {
      console.log(
        [
          'vanban start [--data DIR] [--host H] [--port P] [--no-demo]',
          'Starts PostgreSQL (embedded in DIR, default ./data, unless DATABASE_URL is set), the office API and the web app.',
          'Ctrl-C stops everything.',
        ].join('\n'),
      );
      return 0;
    }
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port takes a port number, not ${values.port}`);
    if (!existsSync(join(WEB_ROOT, 'index.html'))) {
      console.warn('The web app is not built (npm run build:web); serving the API only.');
    }

    const database = await openDatabase(dataDirOf(values.data));
    let office: Awaited<ReturnType<typeof startOffice>> | undefined;
    try {
      office = await startOffice({
        databaseUrl: database.url,
        host: values.host,
        port,
        webRoot: WEB_ROOT,
        logger: { level: process.env.LOG_LEVEL ?? 'warn' },
      });
      if (!values['no-demo']) {
        const db = connect<OfficeSchema>(database.url, { max: 2 });
        try {
          const seeded = await seedDemoProvince(db.db);
          if (seeded.created) console.log(`Demo province created: ${seeded.agencies} agencies, ${seeded.users} users.`);
        } finally {
          await db.close();
        }
      }
    } catch (err) {
      await office?.stop();
      await database.stop();
      throw err;
    }

    console.log(
      [
        '',
        `vanban is running at ${office.url}  (API docs: ${office.url}/docs)`,
        `Database: ${database.embedded ? 'embedded PostgreSQL in ' + dataDirOf(values.data) : 'DATABASE_URL'}`,
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

    const running = office;
    await new Promise<void>((resolveStop) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        console.log(`\n${signal}: stopping the office and the database…`);
        void running
          .stop()
          .finally(() => database.stop())
          .finally(resolveStop);
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
    console.log('Stopped.');
    return 0;
  },
};
