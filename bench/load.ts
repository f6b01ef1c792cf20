import autocannon from 'autocannon';

/** Loads with autocannon, A-B comparisons and how numbers are printed. */

export interface Load {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Response bodies sorted by a classifier, when one was given. */
  kinds: Record<string, number>;
}

export interface LoadOptions {
  url: string;
  query: string;
  variables?: Record<string, unknown>;
  cookie?: string;
  connections?: number;
  durationS: number;
  /** Requests per second across all connections; unset: as fast as possible. */
  overallRate?: number;
  classify?: (body: string) => string;
}

export async function load(options: LoadOptions): Promise<Load> {
  const kinds: Record<string, number> = {};
  // autocannon's own percentiles are whole milliseconds, too coarse for 3 ms requests: keep every duration.
  const durations: number[] = [];
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    connections: options.connections ?? 10,
    duration: options.durationS,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    headers: {
      'content-type': 'application/json',
      ...(options.cookie ? { cookie: options.cookie } : {}),
    },
    body: JSON.stringify({ query: options.query, variables: options.variables ?? {} }),
    setupClient: (client: autocannon.Client) => {
      client.on('response', (status: number, _bytes: number, ms: number) => {
        if (status >= 200 && status < 300) durations.push(ms);
      });
      const classify = options.classify;
      if (classify) {
        client.on('body', (body: Buffer) => {
          const kind = classify(body.toString());
          kinds[kind] = (kinds[kind] ?? 0) + 1;
        });
      }
    },
  });
  durations.sort((a, b) => a - b);
  return {
    rps: result.requests.average,
    p50: percentile(durations, 0.5),
    p99: percentile(durations, 0.99),
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    kinds,
  };
}

export const percentile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? Number.NaN;

/**
 * Two loads in turn, `rounds` times each, so that drift on the machine (autovacuum, other work, a
 * warming JIT) falls on both sides alike; each side reports the median of its rounds, measure by measure.
 * Both sides run once unrecorded first (the JIT warms up over the first seconds), then in A-B, B-A,
 * A-B… order, so that neither side always runs on the warmer or cooler machine.
 */
export async function alternate<T extends Load>(
  a: () => Promise<T>,
  b: () => Promise<T>,
  rounds = 5,
): Promise<readonly [Load, Load]> {
  await a();
  await b();
  const runs: [T[], T[]] = [[], []];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      runs[0].push(await a());
      runs[1].push(await b());
    } else {
      runs[1].push(await b());
      runs[0].push(await a());
    }
  }
  return [medianLoad(runs[0]), medianLoad(runs[1])] as const;
}

/** B against A, each measure's B/A taken within a pair of adjacent windows, then the median over pairs. */
export interface PairedLoads {
  a: Load;
  b: Load;
  ratio: { rps: number; p50: number; p99: number };
}

/**
 * A and B in many short windows, back to back (A then B, then B then A, and so on). This machine's speed
 * swings by tens of percent from one window of a few seconds to the next, with the same server and
 * load: a ratio of two medians taken over minutes carries that swing, while the ratio inside each pair
 * of adjacent one-second windows mostly does not. The median of those ratios is the comparison.
 */
export async function pairedWindows(
  a: (durationS: number) => Promise<Load>,
  b: (durationS: number) => Promise<Load>,
  pairs: number,
  windowS = 1,
): Promise<PairedLoads> {
  await a(windowS);
  await b(windowS);
  const runs: [Load[], Load[]] = [[], []];
  for (let pair = 0; pair < pairs; pair++) {
    if (pair % 2 === 0) {
      runs[0].push(await a(windowS));
      runs[1].push(await b(windowS));
    } else {
      runs[1].push(await b(windowS));
      runs[0].push(await a(windowS));
    }
  }
  const pairRatio = (pick: (run: Load) => number) =>
    median(runs[1].map((run, i) => pick(run) / pick(runs[0][i] as Load)));
  return {
    a: medianLoad(runs[0]),
    b: medianLoad(runs[1]),
    ratio: {
      rps: pairRatio((run) => run.rps),
      p50: pairRatio((run) => run.p50),
      p99: pairRatio((run) => run.p99),
    },
  };
}

/** Each measure's median over the runs (the upper one of an even count); counts are summed. */
export function medianLoad(runs: readonly Load[]): Load {
  const median = (pick: (run: Load) => number) =>
    [...runs].map(pick).sort((x, y) => x - y)[Math.floor(runs.length / 2)] ?? Number.NaN;
  const sum = (pick: (run: Load) => number) => runs.reduce((total, run) => total + pick(run), 0);
  const kinds: Record<string, number> = {};
  for (const run of runs)
    for (const [kind, n] of Object.entries(run.kinds)) kinds[kind] = (kinds[kind] ?? 0) + n;
  return {
    rps: median((run) => run.rps),
    p50: median((run) => run.p50),
    p99: median((run) => run.p99),
    requests: sum((run) => run.requests),
    non2xx: sum((run) => run.non2xx),
    errors: sum((run) => run.errors),
    timeouts: sum((run) => run.timeouts),
    kinds,
  };
}

export const median = (values: readonly number[]) =>
  [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? Number.NaN;

export const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';

export const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');

/** A row of request, req/s, p50, p99, errors. */
export const loadRow = (label: string, r: Load) => [
  label,
  fmt(r.rps),
  fmt(r.p50, 1),
  fmt(r.p99, 1),
  String(r.non2xx + r.errors + r.timeouts),
];
