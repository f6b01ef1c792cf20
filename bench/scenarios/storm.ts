import { prepareBed } from '../databases.js';
import { fmt, percentile, ratio } from '../load.js';
import { perDatabase, type Scenario, type Verdict, verdict } from '../scenario.js';
import { checkMe, LIMITS_OFF, startOurs } from '../servers.js';
import { DATABASES, type Db, log, settings } from '../settings.js';
import { type Storm, signInStorm } from '../sign-in-storm.js';

/** The storm's table rows (shared with the machinery scenario). */
export function stormRows(storm: Storm): string[][] {
  const duration = settings.durationS;
  const { ok, limited } = storm;
  return [
    [
      'measured hash capacity (sign-ins/s, 4 connections)',
      fmt(storm.capacity, 1),
      `${storm.capacityOk} ok in ${duration} s`,
    ],
    [
      `sign-ins offered at 3× capacity (${storm.rate}/s for ${duration * 2} s, open loop)`,
      `${storm.sent} sent: ${ok.length} ok, ${limited.length} RATE_LIMITED, ${storm.other} other`,
      `ok p50 ${fmt(percentile(ok, 0.5))} / p99 ${fmt(percentile(ok, 0.99))} ms; RATE_LIMITED p50 ${fmt(percentile(limited, 0.5))} / p99 ${fmt(percentile(limited, 0.99))} ms`,
    ],
    ['`me` idle', `${fmt(storm.idleMe.rps)} req/s`, `p99 ${fmt(storm.idleMe.p99, 1)} ms`],
    [
      '`me` during the storm',
      `${fmt(storm.stormMe.rps)} req/s`,
      `p99 ${fmt(storm.stormMe.p99, 1)} ms`,
    ],
    [
      '**ratio storm / idle**',
      `**${ratio(storm.stormMe.rps, storm.idleMe.rps)}**`,
      `**p99 ${ratio(storm.stormMe.p99, storm.idleMe.p99)}**`,
    ],
  ];
}

export const stormVerdicts = (db: Db, storm: Storm): Verdict[] => [
  verdict(
    `${db}: \`me\` during a sign-in storm ≥ 0.5× idle`,
    ratio(storm.stormMe.rps, storm.idleMe.rps),
    storm.stormMe.rps >= 0.5 * storm.idleMe.rps,
  ),
  verdict(
    `${db}: \`me\` p99 during a sign-in storm ≤ 3× idle`,
    ratio(storm.stormMe.p99, storm.idleMe.p99),
    storm.stormMe.p99 <= 3 * storm.idleMe.p99,
  ),
];

export const storm: Scenario = {
  name: 'storm',
  title: 'Sign-in storm',
  goal: [
    'signIn offered at 3× the measured hash capacity while `me` runs. Goal: `me` keeps ≥ 0.5× its idle',
    'throughput and p99 ≤ 3× idle; excess sign-ins fail fast with `RATE_LIMITED` instead of queueing without',
    'bound (a sign-in whose hash could not start within `PASSWORD_HASH_MAX_WAIT` is refused before any',
    'query). Abuse limits are raised for this run so that only the hash admission sheds. `me` idle is the',
    'mean of a run just before and one just after the storm.',
  ].join('\n'),
  async run() {
    const rows: Partial<Record<Db, string[][]>> = {};
    const verdicts: Verdict[] = [];
    for (const db of DATABASES) {
      log(db, 'sign-in storm');
      const bed = await prepareBed(db);
      const server = await startOurs({ ...LIMITS_OFF, ...bed.env });
      try {
        await checkMe(server.url, bed.user.cookie);
        const result = await signInStorm(server, bed.user);
        rows[db] = stormRows(result);
        verdicts.push(...stormVerdicts(db, result));
      } finally {
        await server.stop();
        await bed.remove();
      }
    }
    return { markdown: perDatabase(['measure', 'value', 'detail'], rows), verdicts };
  },
};
