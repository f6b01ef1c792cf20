import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { hash, verify } from 'argon2';
import type { HashReply, HashRequest } from './hash-process.js';

/**
 * The child process that computes argon2 (see hash-process.ts): it runs at a lower CPU priority than
 * the server, so hashing takes what the event loop leaves and never the other way round.
 */

async function answer(request: HashRequest): Promise<HashReply> {
  try {
    if (request.op === 'hash')
      return { id: request.id, ok: true, value: await hash(request.password, request.options) };
    // A malformed stored hash is a wrong password, not a crash.
    const matches = await verify(request.hash, request.password).catch(() => false);
    return { id: request.id, ok: true, value: matches };
  } catch (error) {
    return {
      id: request.id,
      ok: false,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

/**
 * Lowers this process's priority by `nice`. On Linux a priority belongs to a thread, and argon2 runs on
 * libuv's pool threads, which exist before any of our code runs: every thread is reniced, not just
 * the main one. Elsewhere the process as a whole.
 */
function lowerPriority(nice: number): void {
  const target = Math.min(19, getPriority() + nice);
  let threads: string[] = [];
  try {
    threads = readdirSync('/proc/self/task');
  } catch {}
  try {
    if (threads.length === 0) setPriority(target);
    for (const thread of threads) setPriority(Number(thread), target);
  } catch {
    // No permission or no such facility: hashing still works, at the server's priority.
  }
}

lowerPriority(Number(process.argv[2] ?? 0));

process.on('message', (request: HashRequest) => {
  void answer(request).then((reply) => process.send?.(reply));
});
// The server is gone (even by kill -9): nothing is left to answer.
process.on('disconnect', () => process.exit(0));
