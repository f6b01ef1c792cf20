import { distinctDocument } from '../../test/support/documents.js';
import { prepareBed } from '../databases.js';
import { fmt, load } from '../load.js';
import { meLoad } from '../pairs.js';
import { perDatabase, type Scenario, type Verdict, verdict } from '../scenario.js';
import {
  BARE,
  checkMe,
  classifySignIn,
  LIMITS_OFF,
  type Running,
  SIGN_IN,
  sampleRss,
  signInVariables,
  startOurs,
  type TreeRss,
  treeRss,
} from '../servers.js';
import { DATABASES, type Db, log, settings } from '../settings.js';
import { signInStorm } from '../sign-in-storm.js';
import { SIGN_IN_CONNECTIONS } from './signin-rate.js';

const CEILING_MB = 250;
const DOCUMENTS = Number(process.env.BENCH_DOCUMENTS ?? 1_200);

/** A change in MB with its sign (a shrink of under 0.5 MB reads +0, not -0). */
const signed = (mb: number) => {
  const rounded = Math.round(mb) || 0;
  return rounded < 0 ? fmt(rounded) : `+${fmt(rounded)}`;
};

const rssRow = (label: string, peak: TreeRss) => [
  label,
  fmt(peak.server),
  fmt(peak.helpers),
  `**${fmt(peak.total)}**`,
];

/** Sends `count` distinct documents from `from` on, four at a time; throws on any refusal. */
async function sendDocuments(server: Running, cookie: string, from: number, count: number) {
  let next = from;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let i = next++; i < from + count; i = next++) {
        const response = await fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie },
          body: JSON.stringify({ variables: {}, ...distinctDocument(i) }),
        });
        const body = (await response.json()) as { errors?: unknown };
        if (response.status !== 200 || body.errors)
          throw new Error(`document ${i}: ${response.status} ${JSON.stringify(body.errors)}`);
      }
    }),
  );
}

export const rss: Scenario = {
  name: 'rss',
  title: 'Memory: RSS under each load',
  goal: [
    'Peak resident memory, sampled every 100 ms, of everything `npm start` runs: the server process and every',
    `process it started, summed (none since argon2 runs on the server's own threads). Goal: ≤ ${CEILING_MB} MB under each load. On PGlite the server`,
    `process holds the whole PostgreSQL engine too (WebAssembly memory). Then ${fmt(DOCUMENTS)} distinct valid documents`,
    'near the limits (the shapes of test/memory.test.ts), four at a time: RSS must stay bounded, that is the second',
    "half of the documents grows it by at most a quarter of the first half's growth (or 16 MB), as caches fill and stop.",
  ].join('\n'),
  async run() {
    const rows: Partial<Record<Db, string[][]>> = {};
    const documents: Partial<Record<Db, string[][]>> = {};
    const verdicts: Verdict[] = [];
    for (const db of DATABASES) {
      const bed = await prepareBed(db);
      const table: string[][] = [];
      const measure = async (label: string, server: Running, work: () => Promise<unknown>) => {
        log(db, `rss: ${label}`);
        const stop = sampleRss(server.pid);
        await work();
        const peak = stop();
        table.push(rssRow(label, peak));
        verdicts.push(
          verdict(
            `${db}: RSS ≤ ${CEILING_MB} MB, ${label.replaceAll('`', '')}`,
            `${fmt(peak.total)} MB`,
            peak.total <= CEILING_MB,
          ),
        );
      };
      try {
        const server = await startOurs({
          ...LIMITS_OFF,
          USERS_QUERY_ACCESS: 'signed-in',
          ...bed.env,
        });
        try {
          const { cookie } = bed.user;
          await checkMe(server.url, cookie);
          await measure('`me` and `__typename` at full speed, 10 connections', server, async () => {
            await load({ url: server.url, query: BARE, durationS: settings.durationS });
            await meLoad(server, cookie);
          });
          await measure(`\`signIn\` closed loop, ${SIGN_IN_CONNECTIONS} connections`, server, () =>
            load({
              url: server.url,
              query: SIGN_IN,
              variables: signInVariables(bed.user),
              classify: classifySignIn,
              connections: SIGN_IN_CONNECTIONS,
              durationS: settings.durationS,
            }),
          );
          await measure('sign-in storm + `me`', server, () => signInStorm(server, bed.user));

          log(db, `rss: ${fmt(DOCUMENTS)} distinct documents`);
          const half = Math.floor(DOCUMENTS / 2);
          const stop = sampleRss(server.pid);
          const before = treeRss(server.pid).total;
          await sendDocuments(server, cookie, 0, half);
          const middle = treeRss(server.pid).total;
          await sendDocuments(server, cookie, half, DOCUMENTS - half);
          const after = treeRss(server.pid).total;
          const peak = stop();
          const [first, second] = [middle - before, after - middle];
          const bounded = second <= Math.max(16, first / 4);
          documents[db] = [
            [fmt(before), fmt(middle), fmt(after), fmt(peak.total), signed(first), signed(second)],
          ];
          verdicts.push(
            verdict(
              `${db}: RSS bounded under distinct documents`,
              `${signed(first)} MB, then ${signed(second)} MB`,
              bounded,
            ),
          );
        } finally {
          await server.stop();
        }
        const cacheOff = await startOurs({ ...LIMITS_OFF, SESSION_CACHE_SIZE: '0', ...bed.env });
        try {
          await checkMe(cacheOff.url, bed.user.cookie);
          await measure('`me` with the session cache off, 10 connections', cacheOff, () =>
            meLoad(cacheOff, bed.user.cookie),
          );
        } finally {
          await cacheOff.stop();
        }
      } finally {
        await bed.remove();
      }
      rows[db] = table;
    }
    return {
      markdown: [
        perDatabase(
          ['load', 'server (MB)', 'helper processes (MB)', 'all (MB, peak of the sum)'],
          rows,
        ),
        '',
        `**${fmt(DOCUMENTS)} distinct documents** (RSS of all processes, MB)`,
        '',
        perDatabase(
          ['before', 'after half', 'after all', 'peak', 'first half grew', 'second half grew'],
          documents,
        ),
      ].join('\n'),
      verdicts,
    };
  },
};
