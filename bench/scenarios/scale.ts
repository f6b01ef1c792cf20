import { prepareBed } from '../databases.js';
import { fmt, ratio } from '../load.js';
import { freshPairs } from '../pairs.js';
import { perDatabase, type Scenario, type Verdict, verdict } from '../scenario.js';
import { LIMITS_OFF } from '../servers.js';
import { DATABASES, type Db, log, settings } from '../settings.js';

const SMALL = 1_000;
const MODES = [
  ['cache on (default)', {}],
  [
    'cache off (`SESSION_CACHE_SIZE=0`: one indexed lookup per request)',
    { SESSION_CACHE_SIZE: '0' },
  ],
] as const;

export const scale: Scenario = {
  name: 'scale',
  title: `Scale: ${fmt(SMALL)} vs ${fmt(settings.bigSessions)} sessions in the table`,
  goal: [
    'The `me` workload on two databases, one with each table size (filler sessions inserted with one',
    '`generate_series` statement, then `VACUUM ANALYZE`). Goal: p50 ratio ≤ 1.2. Each of five rounds starts a',
    'new server on each database, warms both up, then measures them in turn (A-B, B-A, …); medians. Two',
    'identical server processes on one database differed here by up to 1.3× in p50 for as long as they lived,',
    'more than the effect measured, so no pair of processes is kept across rounds.',
  ].join('\n'),
  async run() {
    const rows: Partial<Record<Db, string[][]>> = {};
    const verdicts: Verdict[] = [];
    for (const db of DATABASES) {
      log(
        db,
        `scale: a database with ${fmt(SMALL)} sessions and one with ${fmt(settings.bigSessions)}`,
      );
      const small = await prepareBed(db, SMALL);
      const big = await prepareBed(db, settings.bigSessions);
      try {
        for (const [label, extra] of MODES) {
          log(db, `scale: ${label}`);
          const { a, b } = await freshPairs(
            { env: { ...LIMITS_OFF, ...small.env, ...extra }, cookie: small.user.cookie },
            { env: { ...LIMITS_OFF, ...big.env, ...extra }, cookie: big.user.cookie },
          );
          rows[db] = [
            ...(rows[db] ?? []),
            [
              label,
              `${fmt(a.rps)} / ${fmt(a.p50, 1)} ms`,
              `${fmt(b.rps)} / ${fmt(b.p50, 1)} ms`,
              `**${ratio(b.p50, a.p50)}**`,
            ],
          ];
          verdicts.push(
            verdict(
              `${db}, ${label.split(' (')[0]}: p50 ratio ≤ 1.2`,
              ratio(b.p50, a.p50),
              b.p50 <= 1.2 * a.p50,
            ),
          );
        }
      } finally {
        await small.remove();
        await big.remove();
      }
    }
    return {
      markdown: perDatabase(
        [
          'mode',
          `${fmt(SMALL)} sessions: req/s / p50`,
          `${fmt(settings.bigSessions)} sessions: req/s / p50`,
          'p50 ratio',
        ],
        rows,
      ),
      verdicts,
    };
  },
};
