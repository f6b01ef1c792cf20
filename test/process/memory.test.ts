import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/client.js';
import { distinctDocument } from '../support/documents.js';
import { signUp, UNLIMITED } from '../support/flows.js';
import { inspectorUrl, liveHeapMb } from '../support/inspector.js';
import { ME_ID } from '../support/operations.js';
import { type ServerProcess, spawnServer } from '../support/server-process.js';

/**
 * API.md, "Resources and hosts": memory stays bounded whatever documents arrive. The server runs as
 * `npm start` runs it (its own heap flags), and a signed-in client sends 1,200 distinct valid documents
 * within the default limits, each a new key for every per-document cache. What grows with
 * documents is the process's own caches, whatever the engine: it runs once, on the embedded database.
 */

/**
 * The ceilings. The live heap (after a full collection, measured through the inspector) may grow by
 * what the caches keyed by documents hold at most (20 MiB, src/http/document-cache.ts) plus room for
 * the rest of the process's own state (sessions, counters): 64 MB. Resident memory also carries garbage
 * V8 has not collected yet (with no heap cap it lets the heap reach a few times its live size before a
 * full collection), so its bound is loose: 512 MB of growth. Before the fix the caches kept about 3 MB
 * per comment-padded document and 1 MB per compiled one: the server died at its 192 MB heap cap near
 * the 120th document, and without the cap its resident memory grew by 2.5 GB.
 */
const LIVE_HEAP_GROWTH_CEILING_MB = 64;
const RESIDENT_GROWTH_CEILING_MB = 512;

let server: ServerProcess;
let client: TestClient;

beforeAll(async () => {
  server = await spawnServer({
    // The inspector on a port of its own, for the live heap (test/support/inspector.ts).
    NODE_OPTIONS: '--inspect=127.0.0.1:0',
    ...UNLIMITED,
    USERS_QUERY_ACCESS: 'signed-in',
  });
  client = new TestClient(server);
  await signUp(client);
}, 60_000);

afterAll(async () => {
  await server?.stop('SIGKILL');
});

/** Resident memory of the server process, from /proc (the pid is node's: the start script execs it). */
function residentMb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error('no VmRSS');
  return Number(match[1]) / 1024;
}

describe('memory under a stream of distinct documents', () => {
  it('the server answers 1,200 distinct valid documents near the limits and stays under its memory ceiling', async () => {
    const pid = server.child.pid as number;
    const inspector = await inspectorUrl(server);
    const heapBefore = await liveHeapMb(inspector);
    const before = residentMb(pid);
    // As many as the bench's rss scenario sends: what the caches once kept per document, unbounded,
    // would be 3.6 GB, far past both ceilings.
    const total = 1_200;
    let next = 0;
    const statuses = new Map<number, number>();
    // A few requests in flight at once, as several clients would send them.
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = next++; i < total; i = next++) {
          const document = distinctDocument(i);
          const response = await client
            .request(document.query, document.variables)
            .catch((error: unknown) => {
              const exit = server.child.exitCode ?? server.child.signalCode ?? 'still running';
              throw new Error(
                `document ${i} got no answer; server: ${exit}\n${server.output().slice(-1500)}`,
                {
                  cause: error,
                },
              );
            });
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          expect(response.errors).toBeUndefined();
        }
      }),
    );
    expect(statuses).toEqual(new Map([[200, total]]));

    expect((await fetch(`${server.origin}/health`)).status).toBe(200);
    const me = await client.request(ME_ID);
    expect(me.data?.me?.id).toBeTruthy();
    const grown = residentMb(pid) - before;
    expect(grown, `RSS grew by ${grown.toFixed(0)} MB from ${before.toFixed(0)} MB`).toBeLessThan(
      RESIDENT_GROWTH_CEILING_MB,
    );
    const heapGrown = (await liveHeapMb(inspector)) - heapBefore;
    expect(
      heapGrown,
      `live heap grew by ${heapGrown.toFixed(0)} MB from ${heapBefore.toFixed(0)} MB`,
    ).toBeLessThan(LIVE_HEAP_GROWTH_CEILING_MB);
  }, 240_000);
});
