import { migrateOffice } from '@vanban/office';
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { dataDirOf, openDatabase } from '../database.js';

export const command: Command = {
  summary: 'Apply the database migrations and stop',
  async run(args) {
    const { values } = parseArgs({ args, options: { data: { type: 'string' }, help: { type: 'boolean' } } });
    if (values.help) {
      console.log(
        'vanban migrate [--data DIR]\nApplies pending migrations to DATABASE_URL, or to the embedded PostgreSQL in DIR (default ./data).',
      );
      return 0;
    }
    const database = await openDatabase(dataDirOf(values.data));
    try {
      const applied = await migrateOffice(database.url);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
      return 0;
    } finally {
      await database.stop();
    }
  },
};
