/**
 * What a bench run can be told, from the environment: BENCH_DURATION (seconds per load, default 5),
 * BENCH_SESSIONS (table size of the scale run, default 1,000,000), BENCH_IDLE (seconds the idle
 * instance is watched, default 60), BENCH_DATABASE_URL (an admin URL; TEST_DATABASE_URL otherwise;
 * fresh databases are made on it and dropped) and BENCH_SERVER_ENV (`NAME=value` pairs, space-separated,
 * given to every server the bench starts: to try a configuration without editing the bench).
 */
export const settings = {
  durationS: Number(process.env.BENCH_DURATION ?? 5),
  bigSessions: Number(process.env.BENCH_SESSIONS ?? 1_000_000),
  idleS: Number(process.env.BENCH_IDLE ?? 60),
  adminUrl:
    process.env.BENCH_DATABASE_URL ??
    process.env.TEST_DATABASE_URL ??
    'postgres://postgres:postgres@127.0.0.1:5432/postgres',
  serverEnv: Object.fromEntries(
    (process.env.BENCH_SERVER_ENV ?? '')
      .split(' ')
      .filter(Boolean)
      .map((pair) => {
        const at = pair.indexOf('=');
        if (at < 1) throw new Error(`BENCH_SERVER_ENV: "${pair}" is no NAME=value pair`);
        return [pair.slice(0, at), pair.slice(at + 1)];
      }),
  ) as Record<string, string>,
};

export type Db = 'PostgreSQL' | 'PGlite';
export const DATABASES: readonly Db[] = ['PostgreSQL', 'PGlite'];

export const log = (...parts: unknown[]) =>
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...parts);
