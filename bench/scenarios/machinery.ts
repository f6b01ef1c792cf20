import { type StartCommand, startCommand } from '../../scripts/start-command.js';
import { type Bed, prepareBed } from '../databases.js';
import { fmt, type Load, median, ratio } from '../load.js';
import { freshServers, type Side } from '../pairs.js';
import { type Scenario, table, type Verdict, verdict } from '../scenario.js';
import { checkMe, LIMITS_OFF, startOurs, type TreeRss } from '../servers.js';
import { DATABASES, type Db, log } from '../settings.js';
import { type Storm, signInStorm } from '../sign-in-storm.js';

/** The V8 flags `npm start` has passed to node; B runs node without them. */
const V8_FLAGS = ['--max-semi-space-size=8', '--liftoff-only'];
const ROUNDS = 3;
const RSS_CEILING_MB = 250;

/** One piece of machinery, and the server without it (B). */
interface Piece {
  label: string;
  /** What B is and the load it runs. */
  without: string;
  env?: Record<string, string>;
  start?: StartCommand;
}

/** Pieces measured on `me`: one new server per piece and one as shipped (A), every round. */
const ON_ME: readonly Piece[] = [
  {
    label: 'memo of verified cookies',
    without: '`INTERNAL_VERIFY_MEMO=false`; `me`, cache on',
    env: { INTERNAL_VERIFY_MEMO: 'false' },
  },
  {
    label: 'body-limit plugin',
    without: "`INTERNAL_BODY_LIMIT=yoga` (Yoga's `maxRequestBodySize`); `me`",
    env: { INTERNAL_BODY_LIMIT: 'yoga' },
  },
  {
    label: `V8 flags (\`${V8_FLAGS.join(' ')}\`)`,
    without: 'plain `node dist/server.js` (same environment defaults); `me`',
    start: startCommand({ nodeFlags: [] }),
  },
];

const IDLE_POOL: Piece = {
  label: "libuv's pool threads (argon2) in the idle class",
  without:
    '`PASSWORD_HASH_IDLE_CLASS=false` (the pool at normal priority, one hash fewer at once, same queue and wait); `me` during the sign-in storm',
  env: { PASSWORD_HASH_IDLE_CLASS: 'false' },
};

interface Measured {
  a: Load;
  b: Load;
  /** The throughput measure the verdict compares: req/s, or for the storm `me` storm/idle. */
  aValue: number;
  bValue: number;
  detail: string;
  rssA?: TreeRss;
  rssB?: TreeRss;
}

const sideOn = (bed: Bed, piece?: Piece): Side => ({
  env: { ...LIMITS_OFF, ...bed.env, ...piece?.env },
  cookie: bed.user.cookie,
  start: piece?.start ?? startCommand({ nodeFlags: V8_FLAGS }),
});

async function onMe(beds: readonly Bed[]): Promise<Measured[]> {
  const bedFor = (index: number) => beds[index] ?? (beds[0] as Bed);
  const sides = [
    sideOn(bedFor(0)),
    ...ON_ME.map((piece, index) => sideOn(bedFor(index + 1), piece)),
  ];
  const [a, ...bs] = await freshServers(sides, ROUNDS);
  if (!a) throw new Error('no result for A');
  return bs.map((b) => ({
    a: a.load,
    b: b.load,
    aValue: a.load.rps,
    bValue: b.load.rps,
    detail: `RSS peak A ${fmt(a.rss.total)} MB, B ${fmt(b.rss.total)} MB`,
    rssA: a.rss,
    rssB: b.rss,
  }));
}

/**
 * The sign-in storm on a new server for each side, one storm each (a storm takes half a minute):
 * A-B on PostgreSQL, B-A on PGlite, so that neither side always runs first.
 */
async function onStorm(db: Db, beds: readonly Bed[]): Promise<Measured> {
  const sides = [sideOn(beds[0] as Bed), sideOn(beds[1] ?? (beds[0] as Bed), IDLE_POOL)];
  const runs: [Storm[], Storm[]] = [[], []];
  for (const index of db === 'PostgreSQL' ? ([0, 1] as const) : ([1, 0] as const)) {
    const side = sides[index] as Side;
    const server = await startOurs(side.env, side.start);
    try {
      await checkMe(server.url, side.cookie);
      runs[index].push(await signInStorm(server, (beds[index] ?? (beds[0] as Bed)).user));
    } finally {
      await server.stop();
    }
  }
  const summary = (storms: readonly Storm[]) => {
    const load: Load = {
      rps: median(storms.map((s) => s.stormMe.rps)),
      p50: median(storms.map((s) => s.stormMe.p50)),
      p99: median(storms.map((s) => s.stormMe.p99)),
      requests: 0,
      non2xx: 0,
      errors: 0,
      timeouts: 0,
      kinds: {},
    };
    const kept = median(storms.map((s) => s.stormMe.rps / s.idleMe.rps));
    return { load, kept, signIns: median(storms.map((s) => s.ok.length)) };
  };
  const [a, b] = [summary(runs[0]), summary(runs[1])];
  return {
    a: a.load,
    b: b.load,
    aValue: a.kept,
    bValue: b.kept,
    detail: `\`me\` storm/idle A ${fmt(a.kept, 2)}×, B ${fmt(b.kept, 2)}×; sign-ins ok per storm A ${fmt(a.signIns)}, B ${fmt(b.signIns)}`,
  };
}

/** B loses ≥ 10 % of the throughput measure or of p99, or breaks the RSS goal A meets. */
function earnsItsPlace(m: Measured): boolean {
  const slower = m.bValue <= 0.9 * m.aValue || m.b.p99 >= 1.1 * m.a.p99;
  const heavier =
    m.rssA !== undefined &&
    m.rssB !== undefined &&
    m.rssA.total <= RSS_CEILING_MB &&
    m.rssB.total > RSS_CEILING_MB;
  return slower || heavier;
}

export const machinery: Scenario = {
  name: 'machinery',
  title: 'Machinery: each piece against the server without it',
  goal: [
    'A is the server as shipped (`npm start` with its V8 flags), B the same without one piece of machinery, on',
    `both databases. \`me\` rows: every round starts A and one B per piece, warms each up and measures them in turn`,
    `(in order, then in reverse), ${ROUNDS} rounds, medians. The storm row: one sign-in storm on a new server for`,
    'each side, A-B on PostgreSQL and B-A on PGlite. A piece is kept only if B loses ≥ 10 % of throughput (for the',
    `storm: of the storm/idle ratio of \`me\`) or of p99 on either database, or breaks the ${RSS_CEILING_MB} MB RSS goal that`,
    'A meets.',
  ].join('\n'),
  async run() {
    const measured = new Map<string, [Db, Measured][]>();
    const record = (piece: Piece, db: Db, m: Measured) =>
      measured.set(piece.label, [...(measured.get(piece.label) ?? []), [db, m]]);
    for (const db of DATABASES) {
      // PGlite is one process's database: every server of a round needs a data directory of its own.
      const count = db === 'PGlite' ? ON_ME.length + 1 : 1;
      const beds: Bed[] = [];
      try {
        for (let i = 0; i < count; i++) beds.push(await prepareBed(db));
        log(db, 'machinery: on `me`');
        const results = await onMe(beds);
        ON_ME.forEach((piece, index) => {
          const m = results[index];
          if (m) record(piece, db, m);
        });
        log(db, `machinery: ${IDLE_POOL.label}`);
        record(IDLE_POOL, db, await onStorm(db, beds));
      } finally {
        for (const bed of beds) await bed.remove();
      }
    }
    const rows: string[][] = [];
    const verdicts: Verdict[] = [];
    for (const piece of [...ON_ME, IDLE_POOL]) {
      const results = measured.get(piece.label) ?? [];
      for (const [db, m] of results) {
        rows.push([
          piece.label,
          db,
          piece.without,
          fmt(m.a.rps),
          fmt(m.a.p99, 1),
          fmt(m.b.rps),
          fmt(m.b.p99, 1),
          `**${ratio(m.bValue, m.aValue)}**`,
          `**${ratio(m.b.p99, m.a.p99)}**`,
          m.detail,
          earnsItsPlace(m) ? 'keep' : 'remove',
        ]);
      }
      verdicts.push(
        verdict(
          `${piece.label}: kept only if B loses ≥ 10 %`,
          results
            .map(([db, m]) => `${db} ${ratio(m.bValue, m.aValue)}, p99 ${ratio(m.b.p99, m.a.p99)}`)
            .join('; '),
          results.some(([, m]) => earnsItsPlace(m)),
          { pass: 'keep', fail: 'remove' },
        ),
      );
    }
    return {
      markdown: table(
        [
          'machinery',
          'database',
          'B: without it',
          'A req/s',
          'A p99',
          'B req/s',
          'B p99',
          'B / A throughput',
          'B / A p99',
          'detail',
          'verdict',
        ],
        rows,
      ),
      verdicts,
    };
  },
};
