import { prepareBed } from '../databases.js';
import { fmt, load, loadRow, pairedWindows } from '../load.js';
import { meLoad } from '../pairs.js';
import { perDatabase, type Scenario, type Verdict, verdict } from '../scenario.js';
import { BARE, checkMe, LIMITS_OFF, startOurs } from '../servers.js';
import { DATABASES, type Db, log, settings } from '../settings.js';

/** Pairs of 1 s windows: with the default 5 s per load, 20 s of each load in all. */
const PAIRS = settings.durationS * 4;

export const authTax: Scenario = {
  name: 'auth-tax',
  title: 'Auth tax: `me` vs `__typename` on the same server',
  goal: 'Goal: `me` ≥ 0.9× the throughput of `{ __typename }`, p99 ≤ 1.5×.',
  async run() {
    const rows: Partial<Record<Db, string[][]>> = {};
    const verdicts: Verdict[] = [];
    for (const db of DATABASES) {
      log(db, 'auth tax');
      const bed = await prepareBed(db);
      const server = await startOurs({ ...LIMITS_OFF, ...bed.env });
      try {
        await checkMe(server.url, bed.user.cookie);
        const paired = await pairedWindows(
          (durationS) => load({ url: server.url, query: BARE, durationS }),
          (durationS) => meLoad(server, bed.user.cookie, durationS),
          PAIRS,
        );
        const { a: bare, b: me, ratio } = paired;
        const times = (x: number) => `${fmt(x, 2)}×`;
        rows[db] = [
          loadRow('`{ __typename }` (no cookie)', bare),
          loadRow('`{ me { id name } }` (signed in)', me),
          [
            '**ratio me / bare**',
            `**${times(ratio.rps)}**`,
            times(ratio.p50),
            `**${times(ratio.p99)}**`,
            '',
          ],
        ];
        verdicts.push(
          verdict(`${db}: me ≥ 0.9× bare req/s`, times(ratio.rps), ratio.rps >= 0.9),
          verdict(`${db}: me p99 ≤ 1.5× bare`, times(ratio.p99), ratio.p99 <= 1.5),
        );
      } finally {
        await server.stop();
        await bed.remove();
      }
    }
    return {
      markdown: [
        `Both loads on one server, 10 connections each, in ${PAIRS} pairs of adjacent 1 s windows (in order, then`,
        'in reverse). The rows are medians over the windows; the ratio row is the median of the ratios taken',
        "within each pair, which this machine's swings in speed from one few-second window to the next do not",
        'move as they move a ratio of loads measured a minute apart.',
        '',
        perDatabase(['request', 'req/s', 'p50', 'p99', 'errors'], rows),
      ].join('\n'),
      verdicts,
    };
  },
};
