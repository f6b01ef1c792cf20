import { prepareBed } from '../databases.js';
import { alternate, loadRow, ratio } from '../load.js';
import { meLoad } from '../pairs.js';
import { perDatabase, type Scenario, verdict } from '../scenario.js';
import { checkMe, LIMITS_OFF, type Running, startOurs, startPeer } from '../servers.js';
import { log } from '../settings.js';

/** Signs the bench user in on the peer (by name: the peer is measured only on "who am I"). */
export async function peerCookie(peer: Running, name: string): Promise<string> {
  const login = await fetch(`${peer.origin}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  const cookie = login.headers.getSetCookie()[0]?.split(';')[0];
  if (!cookie) throw new Error('peer login failed');
  await checkMe(peer.url, cookie);
  return cookie;
}

export const peer: Scenario = {
  name: 'peer',
  title: 'The peer: express + express-session + connect-pg-simple',
  goal: 'The same "who am I" (session lookup, then the user row) from the same PostgreSQL database. Goal: ours ≥ 2×.',
  async run() {
    log('PostgreSQL', 'peer');
    const bed = await prepareBed('PostgreSQL');
    const ours = await startOurs({ ...LIMITS_OFF, ...bed.env });
    const theirs = await startPeer(bed.url ?? '');
    try {
      await checkMe(ours.url, bed.user.cookie);
      const cookie = await peerCookie(theirs, bed.user.name);
      const [peerMe, ourMe] = await alternate(
        () => meLoad(theirs, cookie),
        () => meLoad(ours, bed.user.cookie),
      );
      const rows = [
        loadRow('sessiongraph `{ me { id name } }`', ourMe),
        loadRow('express + express-session + connect-pg-simple', peerMe),
        [
          '**ratio ours / peer**',
          `**${ratio(ourMe.rps, peerMe.rps)}**`,
          ratio(ourMe.p50, peerMe.p50),
          ratio(ourMe.p99, peerMe.p99),
          '',
        ],
      ];
      return {
        markdown: perDatabase(['server', 'req/s', 'p50', 'p99', 'errors'], { PostgreSQL: rows }),
        verdicts: [
          verdict(
            'PostgreSQL: ours ≥ 2× the peer',
            ratio(ourMe.rps, peerMe.rps),
            ourMe.rps >= 2 * peerMe.rps,
          ),
        ],
      };
    } finally {
      await theirs.stop();
      await ours.stop();
      await bed.remove();
    }
  },
};
