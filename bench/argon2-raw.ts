import argon2 from 'argon2';
import { OWASP_ARGON2 } from '../src/core/auth/passwords/password.js';

/**
 * The raw argon2id verify rate at the server's parameters: `node --import tsx bench/argon2-raw.ts
 * <seconds> <in flight>` verifies one password for that long, that many at once, on libuv's pool of a
 * process of its own, and prints `{ "verifies": n, "seconds": s }`.
 */

const seconds = Number(process.argv[2] ?? 5);
const inFlight = Number(process.argv[3] ?? 2);
const password = 'bench-password-long-enough';
const hash = await argon2.hash(password, { type: argon2.argon2id, ...OWASP_ARGON2 });
let verifies = 0;
const started = performance.now();
const end = started + seconds * 1_000;
await Promise.all(
  Array.from({ length: inFlight }, async () => {
    while (performance.now() < end) {
      if (!(await argon2.verify(hash, password))) throw new Error('verify failed');
      verifies++;
    }
  }),
);
console.log(JSON.stringify({ verifies, seconds: (performance.now() - started) / 1_000 }));
