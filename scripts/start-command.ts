import { readFileSync } from 'node:fs';

/**
 * What `npm start` runs, read from package.json, so that the benchmarks and the process tests start the
 * server exactly as users do (the compiled dist/server.js and node's flags) and cannot drift from it.
 */
export const ROOT = new URL('..', import.meta.url).pathname;

export function startCommand(): { command: string; args: string[] } {
  const { scripts } = JSON.parse(
    readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
  ) as {
    scripts: { start: string };
  };
  // The script's own shell line (its environment defaults included), without npm and its prestart
  // build (the callers build first). `exec` makes the shell become node: the pid is the server's.
  if (!/\bexec node .*dist\/server\.js$/.test(scripts.start))
    throw new Error(
      'npm start no longer ends in `exec node … dist/server.js`: update scripts/start-command.ts',
    );
  return { command: '/bin/sh', args: ['-c', scripts.start] };
}
