import type { StartCommand } from '../scripts/start-command.js';
import { type Load, load, medianLoad } from './load.js';
import { checkMe, ME, type Running, sampleRss, startOurs, type TreeRss } from './servers.js';
import { settings } from './settings.js';

/**
 * Server configurations compared with new processes every round. Two identical processes on one
 * database differed here by up to 1.3× in p50 for as long as they lived (where the scheduler happens
 * to put them, it seems), more than most effects measured; new processes each round let that fall on
 * every side alike. Each round starts one server per side, warms each up, then measures them in turn,
 * in order in even rounds and in reverse in odd ones (A-B, B-A, …); medians per side.
 */

export interface Side {
  env: Record<string, string>;
  /** A cookie that signs `me` in on this side's database. */
  cookie: string;
  /** How node is started, when not as `npm start` starts it. */
  start?: StartCommand;
}

export interface SideResult {
  load: Load;
  /** Peak resident memory of the side's process tree during its measured runs. */
  rss: TreeRss;
}

/** The `me` load on one server with one cookie. */
export const meLoad = (server: Running, cookie: string, durationS = settings.durationS) =>
  load({ url: server.url, query: ME, cookie, durationS });

const WARM_UP_S = 2;

export async function freshServers(
  sides: readonly Side[],
  rounds = 5,
  measure: (server: Running, side: Side) => Promise<Load> = (server, side) =>
    meLoad(server, side.cookie),
): Promise<SideResult[]> {
  const runs: Load[][] = sides.map(() => []);
  const peaks: TreeRss[][] = sides.map(() => []);
  const indexes = sides.map((_, index) => index);
  for (let round = 0; round < rounds; round++) {
    const servers = await Promise.all(sides.map((side) => startOurs(side.env, side.start)));
    try {
      for (const index of indexes) {
        const [server, side] = [servers[index] as Running, sides[index] as Side];
        await checkMe(server.url, side.cookie);
        await meLoad(server, side.cookie, WARM_UP_S);
      }
      for (const index of round % 2 === 0 ? indexes : [...indexes].reverse()) {
        const [server, side] = [servers[index] as Running, sides[index] as Side];
        const stop = sampleRss(server.pid);
        runs[index]?.push(await measure(server, side));
        peaks[index]?.push(stop());
      }
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
  }
  return sides.map((_, index) => ({
    load: medianLoad(runs[index] ?? []),
    rss: maxRss(peaks[index] ?? []),
  }));
}

/** Two configurations, A and B (see freshServers). */
export async function freshPairs(a: Side, b: Side, rounds = 5) {
  const [resultA, resultB] = (await freshServers([a, b], rounds)) as [SideResult, SideResult];
  return { a: resultA.load, b: resultB.load };
}

const maxRss = (peaks: readonly TreeRss[]): TreeRss => ({
  server: Math.max(0, ...peaks.map((p) => p.server)),
  helpers: Math.max(0, ...peaks.map((p) => p.helpers)),
  total: Math.max(0, ...peaks.map((p) => p.total)),
});
