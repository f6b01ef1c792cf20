import { readFileSync } from 'node:fs';

/**
 * What `npm start` runs, read from package.json, so that the benchmarks and the process tests start the
 * server exactly as users do (the compiled dist/server.js and node's flags) and cannot drift from it.
 */
export const ROOT = new URL('..', import.meta.url).pathname;

export function startCommand(): { command: string; args: string[] } {
  const { scripts } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    scripts: { start: string };
  };
  const flags = /exec node (.*?)\s*dist\/server\.js/.exec(scripts.start)?.[1];
  if (flags === undefined)
    throw new Error('npm start no longer runs `node … dist/server.js`: update scripts/start-command.ts');
  return { command: process.execPath, args: [...flags.split(/\s+/).filter(Boolean), 'dist/server.js'] };
}
