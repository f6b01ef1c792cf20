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
    return { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

process.on('message', (request: HashRequest) => {
  void answer(request).then((reply) => process.send?.(reply));
});
// The server is gone (even by kill -9): nothing is left to answer.
process.on('disconnect', () => process.exit(0));
