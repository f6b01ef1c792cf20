import { prepareBed } from '../databases.js';
import { alternate, loadRow, ratio } from '../load.js';
import { freshPairs, meLoad } from '../pairs.js';
import { perDatabase, type Scenario, verdict } from '../scenario.js';
import { checkMe, LIMITS_OFF, startOurs, startPeer } from '../servers.js';
import { log } from '../settings.js';
import { peerCookie } from './peer.js';

const CACHE_OFF = { SESSION_CACHE_SIZE: '0' };
const GOAL = 1.2;

export const cacheMiss: Scenario = {
  name: 'cache-miss',
  title: 'Cache misses: every request reads the database',
  goal: [
    'Authenticated `{ me { id name } }` with the session cache off (`SESSION_CACHE_SIZE=0`: the working set of',
    'a big site, or the minute after a deploy) against the express-session + connect-pg-simple peer on the same',
    `PostgreSQL database, alternated in one run. Goal: ≥ ${GOAL}× the peer. On PGlite, for information: cache off`,
    'against cache on, a new pair of servers each round (three rounds).',
  ].join('\n'),
  async run() {
    log('PostgreSQL', 'cache misses against the peer');
    const bed = await prepareBed('PostgreSQL');
    let postgres: string[][];
    let ours: number;
    let theirs: number;
    const server = await startOurs({ ...LIMITS_OFF, ...CACHE_OFF, ...bed.env });
    const peer = await startPeer(bed.url ?? '');
    try {
      await checkMe(server.url, bed.user.cookie);
      const cookie = await peerCookie(peer, bed.user.name);
      const [peerMe, ourMe] = await alternate(
        () => meLoad(peer, cookie),
        () => meLoad(server, bed.user.cookie),
      );
      ours = ourMe.rps;
      theirs = peerMe.rps;
      postgres = [
        loadRow('sessiongraph `me`, cache off', ourMe),
        loadRow('express + express-session + connect-pg-simple', peerMe),
        [
          '**ratio ours / peer**',
          `**${ratio(ourMe.rps, peerMe.rps)}**`,
          ratio(ourMe.p50, peerMe.p50),
          ratio(ourMe.p99, peerMe.p99),
          '',
        ],
      ];
    } finally {
      await peer.stop();
      await server.stop();
      await bed.remove();
    }

    log('PGlite', 'cache off against cache on');
    const [off, on] = [await prepareBed('PGlite'), await prepareBed('PGlite')];
    let pglite: string[][];
    try {
      const { a, b } = await freshPairs(
        { env: { ...LIMITS_OFF, ...CACHE_OFF, ...off.env }, cookie: off.user.cookie },
        { env: { ...LIMITS_OFF, ...on.env }, cookie: on.user.cookie },
        3,
      );
      pglite = [
        loadRow('sessiongraph `me`, cache off', a),
        loadRow('sessiongraph `me`, cache on (default)', b),
        ['ratio off / on', ratio(a.rps, b.rps), ratio(a.p50, b.p50), ratio(a.p99, b.p99), ''],
      ];
    } finally {
      await off.remove();
      await on.remove();
    }
    return {
      markdown: perDatabase(['server', 'req/s', 'p50', 'p99', 'errors'], {
        PostgreSQL: postgres,
        PGlite: pglite,
      }),
      verdicts: [
        verdict(
          `PostgreSQL: cache-off \`me\` ≥ ${GOAL}× the peer`,
          ratio(ours, theirs),
          ours >= GOAL * theirs,
        ),
      ],
    };
  },
};
