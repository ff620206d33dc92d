import { connect } from '@vanban/db';
import { migrateOffice, seedDemoCredentials, seedDemoProvince, type OfficeSchema } from '@vanban/office';
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { dataDirOf, openDatabase } from '../database.js';
import { DEFAULT_CA_URL, openDemoCa } from '../demo-ca.js';

export const command: Command = {
  summary: 'Create the demo province and its certificates (once) and stop',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        data: { type: 'string' },
        seed: { type: 'string', default: '2026' },
        'ca-url': { type: 'string', default: process.env.VANBAN_CA_URL ?? DEFAULT_CA_URL },
        help: { type: 'boolean' },
      },
    });
    if (values.help) {
      console.log(
        [
          'vanban seed [--data DIR] [--seed N] [--ca-url URL]',
          'Creates the demo province (the same N always gives the same data) and, from the demo certification',
          'authority in DIR/ca (created with URL if missing), certificates for every agency and agency leader.',
        ].join('\n'),
      );
      return 0;
    }
    const seed = Number(values.seed);
    if (!Number.isInteger(seed)) throw new Error(`--seed takes a whole number, not ${values.seed}`);
    const dataDir = dataDirOf(values.data);
    const { ca } = await openDemoCa(dataDir, values['ca-url']);
    const database = await openDatabase(dataDir);
    try {
      await migrateOffice(database.url);
      const db = connect<OfficeSchema>(database.url, { max: 2 });
      try {
        const result = await seedDemoProvince(db.db, seed);
        console.log(
          result.created
            ? `Demo province created: ${result.agencies} agencies, ${result.users} users.`
            : 'The demo province is already there.',
        );
        const issued = await seedDemoCredentials(db.db, ca);
        console.log(`Certificates issued: ${issued.agencies} agencies, ${issued.signers} signers.`);
      } finally {
        await db.close();
      }
      return 0;
    } finally {
      await database.stop();
    }
  },
};
