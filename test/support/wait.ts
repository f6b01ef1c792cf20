import { setTimeout as sleep } from 'node:timers/promises';

/** Polls until `check` holds or `timeoutMs` passes; returns how long it took. */
export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  stepMs = 10,
): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > timeoutMs)
      throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(stepMs);
  }
}
