import { readFileSync } from 'node:fs';

/**
 * What `npm start` runs, read from package.json, so that the benchmarks and the process tests start the
 * server exactly as users do (the compiled dist/server.js and node's flags) and cannot drift from it.
 */
export const ROOT = new URL('..', import.meta.url).pathname;

export interface StartCommand {
  command: string;
  args: string[];
}

const NODE_LINE = /\bexec node((?: --?[\w-]+(?:=\S+)?)*) dist\/server\.js$/;

/**
 * The script's own shell line (its environment defaults included), without npm and its prestart
 * build (the callers build first). `exec` makes the shell become node: the pid is the server's.
 * `nodeFlags` replaces the flags the script passes to node (the bench compares with and without them).
 */
export function startCommand(options: { nodeFlags?: readonly string[] } = {}): StartCommand {
  const { scripts } = JSON.parse(
    readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
  ) as {
    scripts: { start: string };
  };
  if (!NODE_LINE.test(scripts.start))
    throw new Error(
      'npm start no longer ends in `exec node … dist/server.js`: update scripts/start-command.ts',
    );
  const line = options.nodeFlags
    ? scripts.start.replace(
        NODE_LINE,
        ['exec node', ...options.nodeFlags, 'dist/server.js'].join(' '),
      )
    : scripts.start;
  return { command: '/bin/sh', args: ['-c', line] };
}

/** The flags `npm start` passes to node, as written in package.json. */
export function startNodeFlags(): string[] {
  const { scripts } = JSON.parse(
    readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
  ) as {
    scripts: { start: string };
  };
  return (NODE_LINE.exec(scripts.start)?.[1] ?? '').split(' ').filter(Boolean);
}
