import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, type StartCommand, startCommand } from '../../scripts/start-command.js';
import { freePort } from './ports.js';
import { TEST_SECRET } from './server.js';

/**
 * The server in a process of its own, started as `npm start` starts it (the compiled dist/, built by
 * the global setup), for tests of the process itself: signals, exit codes, start-up, and kills for real
 * (a SIGKILL leaves no chance to finish a transaction or flush anything, as a crash would).
 */

export interface RunningProcess {
  child: ChildProcess;
  /** What the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code, or the name of the signal that ended it. */
  exited: Promise<number | string>;
}

/**
 * Starts the server with exactly this environment (plus PATH and HOME), and nothing else; `start` is
 * `npm start`'s line unless the caller changes node's flags (the bench compares with and without them).
 */
export function runServerProcess(
  env: Record<string, string>,
  start: StartCommand = startCommand(),
): RunningProcess {
  const { command, args } = start;
  let output = '';
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | string>((done) => {
    child.on('exit', (code, signal) => done(code ?? signal ?? 'unknown'));
  });
  return { child, output: () => output, exited };
}

export interface ServerProcess extends RunningProcess {
  origin: string;
  graphqlUrl: string;
  /** Sends the signal (SIGTERM by default), waits for the exit and removes the data directory. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Starts the server on a free port with the environment a user would give it (on top of a test secret,
 * a throwaway DATA_DIR and LOG_LEVEL=warn) and waits until /ready answers 200.
 */
export async function spawnServer(
  env: Record<string, string>,
  timeoutMs = 60_000,
  start: StartCommand = startCommand(),
): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'sg-process-'));
  const { child, output, exited } = runServerProcess(
    {
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      SESSION_SECRET: TEST_SECRET,
      LOG_LEVEL: 'warn',
      ...env,
    },
    start,
  );
  const cleanup = () => rmSync(dataDir, { recursive: true, force: true });
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const result = await exited;
    cleanup();
    return result;
  };

  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ready = await fetch(`${origin}/ready`).catch(() => undefined);
    if (ready?.status === 200) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop('SIGKILL');
      throw new Error(`server did not become ready:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, origin, graphqlUrl: `${origin}/graphql`, output, exited, stop };
}

/** Waits for the "sessiongraph on http://…/graphql" line and returns the port taken (PORT=0: the OS chose). */
export async function listeningPort(server: RunningProcess, timeoutMs = 45_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = /http:\/\/127\.0\.0\.1:(\d+)\/graphql/.exec(server.output());
    if (match) return Number(match[1]);
    if (server.child.exitCode !== null) throw new Error(`server exited early:\n${server.output()}`);
    if (Date.now() > deadline) throw new Error(`server did not start:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Strip terminal colours (pino-pretty in development) before reading log lines.
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences start with ESC.
const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

/** The process's output as trimmed, uncoloured, non-empty lines. */
export const outputLines = (server: RunningProcess) =>
  plain(server.output())
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
