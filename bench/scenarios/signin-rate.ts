import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { prepareBed } from '../databases.js';
import { fmt, load, median, ratio } from '../load.js';
import { perDatabase, type Scenario, type Verdict, verdict } from '../scenario.js';
import {
  type Account,
  checkMe,
  classifySignIn,
  LIMITS_OFF,
  ROOT,
  type Running,
  SIGN_IN,
  signInVariables,
  startOurs,
} from '../servers.js';
import { DATABASES, type Db, log, settings } from '../settings.js';

const RAW_SECONDS = 5;
/** Enough to keep the hash pool busy without a crowd of refusals spinning in a closed loop. */
export const SIGN_IN_CONNECTIONS = 4;
const ROUNDS = 3;
const GOAL = 0.75;
const run = promisify(execFile);

/** argon2id verifies per second in a process of its own, two in flight (bench/argon2-raw.ts). */
async function rawRate(): Promise<number> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'bench/argon2-raw.ts', String(RAW_SECONDS), '2'],
    { cwd: ROOT },
  );
  const { verifies, seconds } = JSON.parse(stdout) as { verifies: number; seconds: number };
  return verifies / seconds;
}

/** Successful sign-ins per second, closed loop, nothing else running. */
async function signInRate(
  server: Running,
  user: Account,
): Promise<{ rate: number; other: number }> {
  const result = await load({
    url: server.url,
    query: SIGN_IN,
    variables: signInVariables(user),
    classify: classifySignIn,
    connections: SIGN_IN_CONNECTIONS,
    durationS: settings.durationS,
  });
  return {
    rate: (result.kinds.ok ?? 0) / settings.durationS,
    other: (result.kinds.limited ?? 0) + (result.kinds.other ?? 0) + result.errors,
  };
}

export const signinRate: Scenario = {
  name: 'signin-rate',
  title: 'Sign-in throughput against the raw argon2id rate',
  goal: [
    `signIn with no other load (closed loop, ${SIGN_IN_CONNECTIONS} connections, abuse limits raised) against argon2id`,
    "verifying at the server's parameters in a process of its own with two verifies in flight, measured in",
    `turn (raw, signIn, signIn, raw, …; ${ROUNDS} rounds after one unrecorded each; medians). Goal: signIn/s ≥ ${GOAL}× raw.`,
  ].join('\n'),
  async run() {
    const rows: Partial<Record<Db, string[][]>> = {};
    const verdicts: Verdict[] = [];
    for (const db of DATABASES) {
      log(db, 'sign-in rate against raw argon2id');
      const bed = await prepareBed(db);
      const server = await startOurs({ ...LIMITS_OFF, ...bed.env });
      try {
        await checkMe(server.url, bed.user.cookie);
        await rawRate();
        await signInRate(server, bed.user);
        const raw: number[] = [];
        const ours: number[] = [];
        let refused = 0;
        for (let round = 0; round < ROUNDS; round++) {
          const measureOurs = async () => {
            const result = await signInRate(server, bed.user);
            ours.push(result.rate);
            refused += result.other;
          };
          const measureRaw = async () => {
            raw.push(await rawRate());
          };
          for (const step of round % 2 === 0
            ? [measureRaw, measureOurs]
            : [measureOurs, measureRaw])
            await step();
        }
        const [r, o] = [median(raw), median(ours)];
        rows[db] = [
          ['raw argon2id verify, 2 in flight', fmt(r, 1), raw.map((x) => fmt(x, 1)).join(', ')],
          [
            `\`signIn\`, ${SIGN_IN_CONNECTIONS} connections`,
            fmt(o, 1),
            `${ours.map((x) => fmt(x, 1)).join(', ')}; ${refused} refused`,
          ],
          ['**ratio signIn / raw**', `**${ratio(o, r)}**`, ''],
        ];
        verdicts.push(
          verdict(`${db}: signIn/s ≥ ${GOAL}× raw argon2id`, ratio(o, r), o >= GOAL * r),
        );
      } finally {
        await server.stop();
        await bed.remove();
      }
    }
    return { markdown: perDatabase(['what', 'per second (median)', 'rounds'], rows), verdicts };
  },
};
