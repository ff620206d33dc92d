import { connect } from '@vanban/db';
import { migrateOffice, seedDemoProvince, type OfficeSchema } from '@vanban/office';
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { dataDirOf, openDatabase } from '../database.js';

export const command: Command = {
  summary: 'Create the demo province (once) and stop',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: { data: { type: 'string' }, seed: { type: 'string', default: '2026' }, help: { type: 'boolean' } },
    });
    if (values.help) {
      console.log('vanban seed [--data DIR] [--seed N]\nCreates the demo province; the same N always gives the same data.');
      return 0;
    }
    const seed = Number(values.seed);
    if (!Number.isInteger(seed)) throw new Error(`--seed takes a whole number, not ${values.seed}`);
    const database = await openDatabase(dataDirOf(values.data));
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
      } finally {
        await db.close();
      }
      return 0;
    } finally {
      await database.stop();
    }
  },
};
