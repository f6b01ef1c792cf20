import { readdirSync, readFileSync } from 'node:fs';
import { verify as argon2Verify } from 'argon2';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { codeMac } from '../../src/core/auth/recovery.js';
import { MailOutbox } from '../../src/core/mail/outbox.js';
import { errorCode, TestClient } from '../support/client.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../support/database.js';
import { type Account, ME, newAccount, signIn, signUp, UNLIMITED } from '../support/flows.js';
import {
  CHANGED_SUBJECT,
  forgetPassword,
  mailEnv,
  RESET_SUBJECT,
  requestCode,
  resetPassword,
} from '../support/recovery.js';
import { TEST_SECRET } from '../support/server.js';
import { type ServerProcess, spawnServer } from '../support/server-process.js';
import { type ReceivedMail, TestSmtp } from '../support/smtp.js';
import { until } from '../support/wait.js';

/**
 * `kill -9` of the server while password resets and code requests are in flight. Each reset sets the
 * password, consumes the code, ends every session, starts one and queues the "password changed" mail in
 * one transaction; each code request writes the code and its mail in one transaction. After the crash
 * every user must be wholly before or wholly after, and a restarted server must carry on with them.
 */

/** Users whose reset is fired at the crash, and users asking for codes meanwhile. */
const RESETTERS = 16;
const REQUESTERS = 6;
/** Resets committed before the kill: enough to show the crash hit real work, far fewer than all. */
const COMMITTED_BEFORE_KILL = 3;

interface Member {
  account: Account;
  id: string;
  /** Cookies and ids of the sessions made before the crash (sign-up, then a second device). */
  cookies: string[];
  sessionIds: string[];
  newPassword: string;
  /** Resetters only: the code mailed before the crash. */
  code: string;
}

type ResetOutcome =
  | { kind: 'ok'; sessionId: string }
  | { kind: 'error'; code: unknown }
  | { kind: 'cut' };

interface Tally {
  attempted: number;
  acknowledged: number;
}

interface OutboxRow {
  id: string;
  to: string;
  subject: string;
  body: string | null;
  status: string;
  created_at: Date;
}

const serverEnv = (database: TestDatabase, smtp: TestSmtp) => ({
  DATABASE_URL: database.url,
  ...mailEnv(smtp),
  ...UNLIMITED,
  // Every request of the set-up and of the burst must wait for the hasher, rather than be shed.
  PASSWORD_HASH_QUEUE: '10000',
  PASSWORD_HASH_MAX_WAIT: '1h',
  // On a busy machine the idle scheduling class would give the hashes no CPU at all (by design): this
  // test is about a crash, not about who gets the CPU, so its hashes take their fair share.
  PASSWORD_HASH_IDLE_CLASS: 'false',
});

/** The outbox row id a delivered mail came from (the worker uses it as the Message-ID). */
const outboxIdOf = (mail: ReceivedMail) => /^<([^@>]+)@/.exec(mail.messageId)?.[1];

const codeInText = (text: string) => /^(\d{6})$/m.exec(text)?.[1];

/** A client on `url` holding one session cookie (as a browser of that device would). */
function holding(url: string, cookie: string): TestClient {
  const client = new TestClient(url);
  client.jar.set('sessionId', cookie);
  return client;
}

/** State and parent of a process from Linux's /proc, or undefined once it is gone. */
function processStat(pid: number): { state: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
    const [state = '', ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

/** Pids of the processes whose parent is `pid`. */
const childrenOf = (pid: number) =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && processStat(Number(entry))?.ppid === pid)
    .map(Number);

/** Gone, or a zombie left for a PID 1 that does not reap (as in some containers): not running anyway. */
const ended = (pid: number) => (processStat(pid)?.state ?? 'Z') === 'Z';

async function meId(url: string, cookie: string): Promise<string | null> {
  const response = await holding(url, cookie).request(ME);
  expect(response.errors).toBeUndefined();
  return response.data?.me?.id ?? null;
}

describe.runIf(postgresAvailable)('kill -9 during password resets', () => {
  it('leaves every user wholly before or wholly after, every live code with its mail, and a restart carries on', async () => {
    const database = await createTestDatabase('postgres');
    const smtp = await TestSmtp.start();
    const admin = new pg.Client({ connectionString: database.url });
    // Holds rows so chosen requests are certainly in flight at the kill.
    const holder = new pg.Client({ connectionString: database.url });
    const sealer = new MailOutbox([TEST_SECRET]);
    let first: ServerProcess | undefined;
    let second: ServerProcess | undefined;
    try {
      first = await spawnServer(serverEnv(database, smtp));
      await admin.connect();
      await holder.connect();
      const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))
        .rows[0]?.pid;
      const url = first.graphqlUrl;

      const members: Member[] = await Promise.all(
        Array.from({ length: RESETTERS + REQUESTERS }, async () => {
          const browser = new TestClient(url);
          const { account, user, session } = await signUp(browser);
          const phone = new TestClient(url, 'second-device');
          const other = await signIn(phone, { email: account.email, password: account.password });
          if (!other.data?.signIn)
            throw new Error(`signIn failed: ${JSON.stringify(other.errors)}`);
          return {
            account,
            id: user.id,
            cookies: [browser.sessionValue ?? '', phone.sessionValue ?? ''],
            sessionIds: [session.id, other.data.signIn.session.id],
            newPassword: newAccount().password,
            code: '',
          };
        }),
      );
      const resetters = members.slice(0, RESETTERS);
      const requesters = members.slice(RESETTERS);
      await Promise.all(
        resetters.map(async (m) => {
          m.code = await requestCode(new TestClient(url), smtp, m.account.email);
        }),
      );

      const before = await admin.query<{ id: string; password_hash: string }>(
        'SELECT id::text, password_hash FROM users',
      );
      const oldHash = new Map(before.rows.map((row) => [row.id, row.password_hash]));
      const oldSessions = await admin.query<{ id: string; user_id: string }>(
        'SELECT id::text, user_id::text FROM sessions',
      );
      expect(oldSessions.rows.map((s) => s.id).sort()).toEqual(
        members.flatMap((m) => m.sessionIds).sort(),
      );

      // The burst: every resetter's reset at once (they queue at the hasher), and code requests in a loop.
      const resetOf = async (m: Member): Promise<ResetOutcome> => {
        try {
          const response = await resetPassword(new TestClient(url), {
            email: m.account.email,
            otp: m.code,
            newPassword: m.newPassword,
          });
          const payload = response.data?.resetPassword;
          return payload
            ? { kind: 'ok', sessionId: payload.session.id }
            : { kind: 'error', code: errorCode(response) };
        } catch {
          return { kind: 'cut' };
        }
      };
      const resets = resetters.map(
        async (m): Promise<[Member, ResetOutcome]> => [m, await resetOf(m)],
      );
      let stop = false;
      const requesting = requesters.map(async (m): Promise<[Member, Tally]> => {
        const tally: Tally = { attempted: 0, acknowledged: 0 };
        const client = new TestClient(url);
        // One request at a time per user, so the newest mail row is the one the live code belongs to.
        while (!stop) {
          tally.attempted++;
          const response = await forgetPassword(client, m.account.email).catch(() => undefined);
          if (response?.data?.forgetPassword === true) tally.acknowledged++;
        }
        return [m, tally];
      });

      // Kill once some resets have committed (their codes are gone), while the rest are still on the way.
      const resetterIds = resetters.map((m) => m.id);
      await until(
        async () => {
          const { rows } = await admin.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM password_reset_codes WHERE user_id = ANY($1::uuid[])',
            [resetterIds],
          );
          return RESETTERS - (rows[0]?.n ?? RESETTERS) >= COMMITTED_BEFORE_KILL;
        },
        30_000,
        2,
      );
      // Timing alone does not promise that the kill lands on work in flight: hold some there. A reset not
      // yet committed, whose user row we lock, cannot commit (its transaction waits at that row), and once
      // its code shows the claimed check it is inside the server between check and commit.
      await holder.query('BEGIN');
      let heldReset: Member | undefined;
      for (const m of resetters) {
        const { rows } = await holder.query<{ password_hash: string }>(
          'SELECT password_hash FROM users WHERE id = $1 FOR UPDATE SKIP LOCKED',
          [m.id],
        );
        if (rows[0]?.password_hash === oldHash.get(m.id)) {
          heldReset = m;
          break;
        }
      }
      if (!heldReset) throw new Error('every reset committed before one could be held');
      const heldResetId = heldReset.id;
      await until(async () => {
        const { rows } = await admin.query<{ attempts: number }>(
          'SELECT attempts FROM password_reset_codes WHERE user_id = $1',
          [heldResetId],
        );
        return rows[0]?.attempts === 1;
      });
      // And a code request caught inside its transaction: its code row locked, PostgreSQL shows its
      // upsert waiting for us.
      await until(
        async () =>
          ((
            await holder.query(
              'SELECT user_id FROM password_reset_codes WHERE user_id = ANY($1::uuid[]) LIMIT 1 FOR UPDATE SKIP LOCKED',
              [requesters.map((m) => m.id)],
            )
          ).rowCount ?? 0) > 0,
        10_000,
        2,
      );
      const waitingForHolder = async () =>
        (
          await admin.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE $1 = ANY(pg_blocking_pids(pid)) AND query LIKE '%password_reset_codes%'`,
            [holderPid],
          )
        ).rows[0]?.n ?? 0;
      await until(async () => (await waitingForHolder()) >= 1, 10_000, 2);
      const helpers = childrenOf(first.child.pid ?? 0);
      const killed = first.stop('SIGKILL');
      stop = true;
      expect(await killed).toBe('SIGKILL');
      await holder.query('ROLLBACK');
      // Nothing the server started outlives it (it starts no helper today; one added later must not).
      await until(() => helpers.every(ended), 10_000, 50);
      const outcomes = await Promise.all(resets);
      const tallies = await Promise.all(requesting);
      // Whatever the dead server's connections were doing is over once PostgreSQL has dropped them.
      await until(
        async () =>
          (
            await admin.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM pg_stat_activity
                WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), $1) AND backend_type = 'client backend'`,
              [holderPid],
            )
          ).rows[0]?.n === 0,
        10_000,
        20,
      );

      const users = await admin.query<{ id: string; password_hash: string }>(
        'SELECT id::text, password_hash FROM users',
      );
      const sessions = await admin.query<{ id: string; user_id: string }>(
        'SELECT id::text, user_id::text FROM sessions',
      );
      const codes = await admin.query<{
        user_id: string;
        code_hash: string;
        attempts: number;
        live: boolean;
      }>(
        'SELECT user_id::text, code_hash, attempts, expires_at > now() AS live FROM password_reset_codes',
      );
      const outbox = await admin.query<OutboxRow>(
        'SELECT id::text, "to", subject, body, status, created_at FROM mail_outbox ORDER BY created_at, id',
      );

      // No user lost, none half-written: each has a whole argon2id hash.
      expect(users.rows.map((u) => u.id).sort()).toEqual(members.map((m) => m.id).sort());
      for (const user of users.rows)
        expect(user.password_hash).toMatch(
          /^\$argon2id\$v=19\$[mtp=\d,]+\$[\w+/]{22}\$[\w+/]{43}$/,
        );

      // Every mail row is whole: queued with a body that opens, or sent (and then the receiver has it).
      const delivered = new Map(smtp.messages.map((mail) => [outboxIdOf(mail), mail]));
      const codeOf = (row: OutboxRow): string | undefined => {
        if (row.body !== null) return codeInText(sealer.open(row.body)?.text ?? '');
        const mail = delivered.get(row.id);
        return mail ? codeInText(mail.text) : undefined;
      };
      expect(outbox.rows.length).toBeGreaterThan(0);
      for (const row of outbox.rows) {
        expect(['pending', 'sending', 'sent'], `mail ${row.id}`).toContain(row.status);
        if (row.status === 'sent')
          expect(delivered.has(row.id), `sent mail ${row.id} reached SMTP`).toBe(true);
        else
          expect(
            row.body && sealer.open(row.body),
            `queued mail ${row.id} has its body`,
          ).toBeTruthy();
      }
      const mailTo = (m: Member, subject: RegExp) =>
        outbox.rows.filter((row) => row.to === m.account.email && subject.test(row.subject));

      // Every live code is whole and came with its mail: the newest reset mail to its user carries it.
      const byId = new Map(members.map((m) => [m.id, m]));
      for (const code of codes.rows) {
        const m = byId.get(code.user_id);
        if (!m) throw new Error(`a code for a user the test did not make: ${code.user_id}`);
        expect(code.code_hash).toMatch(/^[0-9a-f]{64}$/);
        expect(code.live).toBe(true);
        const mails = mailTo(m, RESET_SUBJECT);
        const newestAt = mails.at(-1)?.created_at.getTime();
        expect(newestAt, `a reset mail for ${m.account.email}`).toBeDefined();
        const carried = mails
          .filter((row) => row.created_at.getTime() === newestAt)
          .map((row) => codeMac(TEST_SECRET, m.id, codeOf(row) ?? ''));
        expect(carried, `the code of ${m.account.email} is in its newest mail`).toContain(
          code.code_hash,
        );
      }

      const sessionsOf = (m: Member) =>
        sessions.rows
          .filter((s) => s.user_id === m.id)
          .map((s) => s.id)
          .sort();
      const hashOf = (m: Member) => users.rows.find((u) => u.id === m.id)?.password_hash ?? '';
      const codeRowOf = (m: Member) => codes.rows.find((c) => c.user_id === m.id);

      // Resetters: wholly before (old hash, old sessions, the code, no notice) or wholly after (new hash,
      // the old sessions ended, exactly one new session, the code consumed, one "password changed" mail).
      const wasReset = new Set<string>();
      for (const [m, outcome] of outcomes) {
        const label = `${m.account.email} (${outcome.kind})`;
        const mine = sessionsOf(m);
        expect(mailTo(m, RESET_SUBJECT), label).toHaveLength(1);
        if (hashOf(m) !== oldHash.get(m.id)) {
          wasReset.add(m.id);
          expect(await argon2Verify(hashOf(m), m.newPassword), label).toBe(true);
          expect(mine, label).toHaveLength(1);
          expect(m.sessionIds, label).not.toContain(mine[0]);
          if (outcome.kind === 'ok') expect(mine, label).toEqual([outcome.sessionId]);
          expect(codeRowOf(m), label).toBeUndefined();
          expect(mailTo(m, CHANGED_SUBJECT), label).toHaveLength(1);
        } else {
          expect(outcome.kind, label).toBe('cut');
          expect(mine, label).toEqual([...m.sessionIds].sort());
          const code = codeRowOf(m);
          expect(code?.code_hash, label).toBe(codeMac(TEST_SECRET, m.id, m.code));
          expect(code?.attempts, label).toBeLessThanOrEqual(1);
          expect(mailTo(m, CHANGED_SUBJECT), label).toHaveLength(0);
        }
      }
      expect(outcomes.filter(([, o]) => o.kind === 'error')).toEqual([]);
      // The crash hit real work: some resets had committed, others were cut off after claiming their
      // code's check (attempts = 1: the request was inside the server, between check and commit).
      expect(wasReset.size).toBeGreaterThanOrEqual(COMMITTED_BEFORE_KILL);
      expect(wasReset.size).toBeLessThan(RESETTERS);
      expect(outcomes.filter(([, o]) => o.kind === 'cut').length).toBeGreaterThan(0);
      const claimedNotCommitted = resetters.filter(
        (m) => !wasReset.has(m.id) && codeRowOf(m)?.attempts === 1,
      );
      expect(claimedNotCommitted.length).toBeGreaterThan(0);

      // Code requesters: password and sessions untouched; one mail row per committed request (every
      // acknowledged one, at most every attempted one), and a code exactly when there is a mail.
      for (const [m, tally] of tallies) {
        const label = `${m.account.email} (${JSON.stringify(tally)})`;
        expect(hashOf(m), label).toBe(oldHash.get(m.id));
        expect(sessionsOf(m), label).toEqual([...m.sessionIds].sort());
        const mails = mailTo(m, RESET_SUBJECT).length;
        expect(mails, label).toBeGreaterThanOrEqual(tally.acknowledged);
        expect(mails, label).toBeLessThanOrEqual(tally.attempted);
        expect(codeRowOf(m) !== undefined, label).toBe(mails > 0);
      }
      expect(tallies.some(([, t]) => t.attempted > t.acknowledged)).toBe(true);

      // A new server on the same database: the old cookies mean what the database says.
      second = await spawnServer(serverEnv(database, smtp));
      const url2 = second.graphqlUrl;
      for (const m of members) {
        for (const cookie of m.cookies)
          expect(await meId(url2, cookie)).toBe(wasReset.has(m.id) ? null : m.id);
      }

      // And recovery works again for all three kinds of user, with codes from mail sent after the restart.
      const known = new Set(outbox.rows.map((row) => row.id));
      const sample = [
        ...resetters.filter((m) => wasReset.has(m.id)).slice(0, 2),
        ...resetters.filter((m) => !wasReset.has(m.id)).slice(0, 2),
        ...requesters.slice(0, 2),
      ];
      await Promise.all(
        sample.map(async (m) => {
          const current = wasReset.has(m.id) ? m.newPassword : m.account.password;
          const client = new TestClient(url2);
          expect((await forgetPassword(client, m.account.email)).data?.forgetPassword).toBe(true);
          const mail = await smtp.waitFor(
            (received) =>
              received.to.includes(m.account.email) &&
              RESET_SUBJECT.test(received.subject) &&
              !known.has(outboxIdOf(received) ?? ''),
            // The new server first sends what the dead one left queued.
            { timeoutMs: 20_000 },
          );
          const latest = newAccount().password;
          const reset = await resetPassword(client, {
            email: m.account.email,
            otp: codeInText(mail.text) ?? '',
            newPassword: latest,
          });
          expect(reset.errors, m.account.email).toBeUndefined();
          expect(await meId(url2, client.sessionValue ?? '')).toBe(m.id);
          for (const cookie of m.cookies) expect(await meId(url2, cookie)).toBeNull();
          expect(
            errorCode(
              await signIn(new TestClient(url2), { email: m.account.email, password: current }),
            ),
          ).toBe('INVALID_CREDENTIALS');
          const fresh = await signIn(new TestClient(url2), {
            email: m.account.email,
            password: latest,
          });
          expect(fresh.data?.signIn.user.id).toBe(m.id);
        }),
      );
    } finally {
      await first?.stop('SIGKILL');
      await second?.stop('SIGTERM');
      await admin.end().catch(() => {});
      await holder.end().catch(() => {});
      await smtp.stop();
      await database.drop();
    }
  }, 180_000);
});
