import { setTimeout as sleep } from 'node:timers/promises';
import { type Load, load } from './load.js';
import {
  type Account,
  classifySignIn,
  gql,
  ME,
  type Running,
  SIGN_IN,
  signInVariables,
} from './servers.js';
import { settings } from './settings.js';

/**
 * signIn offered at 3× the measured hash capacity, open loop, while `me` runs at full speed on
 * another 10 connections; `me` is measured alone just before and just after for the comparison.
 */

export interface Storm {
  /** Sign-ins per second the server completed with 4 connections and nothing else running. */
  capacity: number;
  capacityOk: number;
  /** Sign-ins offered per second during the storm. */
  rate: number;
  sent: number;
  ok: number[];
  limited: number[];
  other: number;
  /** `me` alone: the mean of the runs before and after the storm. */
  idleMe: Load;
  stormMe: Load;
}

export async function signInStorm(server: Running, user: Account): Promise<Storm> {
  const duration = settings.durationS;
  const me = (durationS: number) =>
    load({ url: server.url, query: ME, cookie: user.cookie, durationS });
  await me(Math.min(duration, 3));
  const before = await me(duration);
  const capacityRun = await load({
    url: server.url,
    query: SIGN_IN,
    variables: signInVariables(user),
    classify: classifySignIn,
    connections: 4,
    durationS: duration,
  });
  const capacityOk = capacityRun.kinds.ok ?? 0;
  const capacity = capacityOk / duration;
  const rate = Math.max(1, Math.round(capacity * 3));
  // Open loop: a new sign-in every 1/rate s whatever the previous ones are doing, as a real storm
  // arrives (autocannon waits on each connection, so it cannot offer more than the server answers).
  const outcomes: { ms: number; kind: string }[] = [];
  const inFlight: Promise<void>[] = [];
  const stormMs = duration * 2 * 1_000;
  const fire = async () => {
    const started = performance.now();
    try {
      const res = await gql(server.url, SIGN_IN, signInVariables(user));
      outcomes.push({
        ms: performance.now() - started,
        kind: res.body.errors?.[0]?.extensions?.code ?? 'ok',
      });
    } catch {
      outcomes.push({ ms: performance.now() - started, kind: 'transport error' });
    }
  };
  const generator = (async () => {
    const begun = performance.now();
    for (let sent = 0; performance.now() - begun < stormMs; sent++) {
      inFlight.push(fire());
      const due = begun + ((sent + 1) * 1_000) / rate;
      await sleep(Math.max(0, due - performance.now()));
    }
  })();
  const stormMe = await me(duration * 2);
  await generator;
  await Promise.all(inFlight);
  const after = await me(duration);
  const byKind = (kind: string) =>
    outcomes
      .filter((o) => o.kind === kind)
      .map((o) => o.ms)
      .sort((a, b) => a - b);
  const ok = byKind('ok');
  const limited = byKind('RATE_LIMITED');
  return {
    capacity,
    capacityOk,
    rate,
    sent: outcomes.length,
    ok,
    limited,
    other: outcomes.length - ok.length - limited.length,
    idleMe: meanLoad(before, after),
    stormMe,
  };
}

function meanLoad(a: Load, b: Load): Load {
  const mean = (pick: (run: Load) => number) => (pick(a) + pick(b)) / 2;
  return {
    rps: mean((r) => r.rps),
    p50: mean((r) => r.p50),
    p99: mean((r) => r.p99),
    requests: a.requests + b.requests,
    non2xx: a.non2xx + b.non2xx,
    errors: a.errors + b.errors,
    timeouts: a.timeouts + b.timeouts,
    kinds: {},
  };
}
