import { prepareBed } from '../databases.js';
import { alternate, load, loadRow, ratio } from '../load.js';
import { meLoad } from '../pairs.js';
import { perDatabase, type Scenario, type Verdict, verdict } from '../scenario.js';
import { BARE, checkMe, LIMITS_OFF, startOurs } from '../servers.js';
import { DATABASES, type Db, log, settings } from '../settings.js';

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
        const [bare, me] = await alternate(
          () => load({ url: server.url, query: BARE, durationS: settings.durationS }),
          () => meLoad(server, bed.user.cookie),
        );
        rows[db] = [
          loadRow('`{ __typename }` (no cookie)', bare),
          loadRow('`{ me { id name } }` (signed in)', me),
          [
            '**ratio me / bare**',
            `**${ratio(me.rps, bare.rps)}**`,
            ratio(me.p50, bare.p50),
            `**${ratio(me.p99, bare.p99)}**`,
            '',
          ],
        ];
        verdicts.push(
          verdict(`${db}: me ≥ 0.9× bare req/s`, ratio(me.rps, bare.rps), me.rps >= 0.9 * bare.rps),
          verdict(`${db}: me p99 ≤ 1.5× bare`, ratio(me.p99, bare.p99), me.p99 <= 1.5 * bare.p99),
        );
      } finally {
        await server.stop();
        await bed.remove();
      }
    }
    return {
      markdown: [
        'Both loads on one server, 10 connections each, alternated (see the header).',
        '',
        perDatabase(['request', 'req/s', 'p50', 'p99', 'errors'], rows),
      ].join('\n'),
      verdicts,
    };
  },
};
