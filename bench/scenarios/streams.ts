import { setTimeout as sleep } from 'node:timers/promises';
import { prepareBed } from '../databases.js';
import { fmt, type Load, percentile, ratio } from '../load.js';
import { meLoad } from '../pairs.js';
import { type Scenario, table, verdict } from '../scenario.js';
import {
  gql,
  LIMITS_OFF,
  PASSWORD,
  type Running,
  SIGN_IN,
  signUp,
  startOurs,
  treeRss,
} from '../servers.js';
import { log } from '../settings.js';

const STREAMS = Number(process.env.BENCH_STREAMS ?? 2_000);
const SAMPLES = 50;
const SUBSCRIPTION = 'subscription { sessionEvents { id kind } }';

/** Streams whose reader has not seen the end: the measures below hold only while all are open. */
let openReaders = 0;

const expectOpen = (count: number, when: string) => {
  if (openReaders !== count)
    throw new Error(`streams: ${openReaders} of ${count} streams still open ${when}`);
};

/** One open `sessionEvents` stream read as an SSE client reads it; `onEvent` gets each event's id. */
async function openStream(url: string, cookie: string, onEvent?: (id: string) => void) {
  const controller = new AbortController();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', cookie },
    body: JSON.stringify({ query: SUBSCRIPTION }),
    signal: controller.signal,
  });
  if (response.status !== 200 || !response.body) throw new Error(`stream: ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  openReaders++;
  void (async () => {
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: '' }));
      if (done) {
        openReaders--;
        return;
      }
      buffer += value;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = /^data: (.+)$/m.exec(message)?.[1];
        if (!data || !onEvent) continue;
        const id = (JSON.parse(data) as { data?: { sessionEvents?: { id: string } } }).data
          ?.sessionEvents?.id;
        if (id) onEvent(id);
      }
    }
  })();
  return () => controller.abort();
}

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
};

export const streams: Scenario = {
  name: 'streams',
  title: `Live streams: ${fmt(STREAMS)} open sessionEvents streams on one instance`,
  goal: [
    `PostgreSQL, two server processes A and B on one database. ${fmt(STREAMS)} \`sessionEvents\` streams are`,
    'open on A, each read by an SSE client in the bench process: one probe stream of the measured user, the',
    'rest held by a crowd account (its stream caps raised) that stays idle, as most open streams are.',
    'RSS added per stream: A before and after opening them. Fan-out: a sign-in of the measured user on B,',
    `sequentially ${SAMPLES} times; latency from B's response (the commit happened before it) to the event on`,
    `the probe stream on A. \`me\` throughput on A without the streams, then with them open. Goals: fan-out`,
    'p99 ≤ 100 ms; `me` with streams ≥ 0.9× without.',
  ].join('\n'),
  async run() {
    const db = 'PostgreSQL';
    const bed = await prepareBed(db);
    const env = {
      ...LIMITS_OFF,
      ...bed.env,
      STREAMS_PER_SESSION: String(STREAMS + 10),
      STREAMS_PER_USER: String(STREAMS + 10),
    };
    let a: Running | undefined;
    let b: Running | undefined;
    const closers: (() => void)[] = [];
    try {
      a = await startOurs(env);
      b = await startOurs(env);
      const cookie = bed.user.cookie;
      log(db, 'streams: me on A without streams');
      const without: Load = await meLoad(a, cookie);

      const before = treeRss(a.pid).server;
      log(db, `streams: opening ${fmt(STREAMS)} streams on A`);
      const arrivals = new Map<string, number>();
      closers.push(await openStream(a.url, cookie, (id) => arrivals.set(id, performance.now())));
      const crowd = await signUp(a.url, 'crowd');
      for (let opened = 1; opened < STREAMS; ) {
        const batch = Math.min(100, STREAMS - opened);
        const started = await Promise.all(
          Array.from({ length: batch }, () => openStream(a?.url ?? '', crowd.cookie)),
        );
        closers.push(...started);
        opened += batch;
      }
      await sleep(2_000);
      expectOpen(STREAMS, 'before measuring their memory');
      const after = treeRss(a.pid).server;
      const perStreamKb = ((after - before) * 1024) / STREAMS;

      log(db, `streams: ${SAMPLES} sign-ins on B`);
      const fromResponse: number[] = [];
      const fromRequest: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const seen = arrivals.size;
        const sent = performance.now();
        const res = await gql(b.url, SIGN_IN, {
          input: { name: bed.user.name, password: PASSWORD },
        });
        const responded = performance.now();
        if (!res.body.data?.signIn) throw new Error(`sign-in on B: ${JSON.stringify(res.body)}`);
        for (const deadline = responded + 5_000; arrivals.size === seen; await sleep(1))
          if (performance.now() > deadline) throw new Error('an event never reached A');
        const arrived = [...arrivals.values()].at(-1) ?? responded;
        fromResponse.push(Math.max(0, arrived - responded));
        fromRequest.push(arrived - sent);
      }
      const response = summary(fromResponse);
      const request = summary(fromRequest);

      expectOpen(STREAMS, 'after the fan-out');
      log(db, 'streams: me on A with the streams open');
      const withStreams: Load = await meLoad(a, cookie);
      const markdown = table(
        ['measure', 'value'],
        [
          ['RSS of A before / after opening', `${fmt(before)} MB / ${fmt(after)} MB`],
          ['RSS added per stream', `**${fmt(perStreamKb, 1)} KB**`],
          [
            "fan-out B → A, from B's response: p50 / p99",
            `${fmt(response.p50, 1)} / **${fmt(response.p99, 1)} ms**`,
          ],
          [
            'fan-out B → A, from sending the sign-in: p50 / p99',
            `${fmt(request.p50, 1)} / ${fmt(request.p99, 1)} ms`,
          ],
          [
            '`me` on A without streams: req/s / p50',
            `${fmt(without.rps)} / ${fmt(without.p50, 1)} ms`,
          ],
          [
            `\`me\` on A with ${fmt(STREAMS)} streams: req/s / p50`,
            `${fmt(withStreams.rps)} / ${fmt(withStreams.p50, 1)} ms`,
          ],
          ['throughput with / without', `**${ratio(withStreams.rps, without.rps)}**`],
        ],
      );
      return {
        markdown,
        verdicts: [
          verdict(
            `${db}: fan-out p99 ≤ 100 ms with ${fmt(STREAMS)} streams`,
            `${fmt(response.p99, 1)} ms`,
            response.p99 <= 100,
          ),
          verdict(
            `${db}: \`me\` with ${fmt(STREAMS)} streams ≥ 0.9× without`,
            ratio(withStreams.rps, without.rps),
            withStreams.rps >= 0.9 * without.rps,
          ),
        ],
      };
    } finally {
      for (const close of closers) close();
      await a?.stop();
      await b?.stop();
      await bed.remove();
    }
  },
};
