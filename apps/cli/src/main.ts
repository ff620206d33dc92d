#!/usr/bin/env node
// The `vanban` command: one sub-command per file in ./commands.
import type { Command } from './command.js';

const commands: Record<string, () => Promise<{ command: Command }>> = {
  start: () => import('./commands/start.js'),
  migrate: () => import('./commands/migrate.js'),
  seed: () => import('./commands/seed.js'),
  edxml: () => import('./commands/edxml.js'),
};

function usage(): string {
  const lines = Object.keys(commands)
    .sort()
    .map((name) => `  vanban ${name}`);
  return ['Usage: vanban <command> [options]', '', 'Commands:', ...lines, '', 'vanban <command> --help tells more.'].join('\n');
}

const [name, ...args] = process.argv.slice(2);
const load = name ? commands[name] : undefined;
if (!load) {
  console.error(name && name !== '--help' ? `Unknown command: ${name}\n\n${usage()}` : usage());
  process.exit(name === '--help' ? 0 : 2);
}
const { command } = await load();
try {
  process.exitCode = await command.run(args);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
}
