import { z } from 'zod';

/**
 * Every environment variable the server reads, declared once: its schema (with the default), the
 * default and meaning as the README's configuration table shows them (`npm run config:docs` writes
 * that table from here; CI checks it), and, for options that are no part of the user-facing surface,
 * why they exist. `Config` is derived from these schemas in ../config.ts.
 */
export interface Option {
  schema: z.ZodType;
  /** The default, as Markdown for the README's table. */
  default: string;
  /** What it does, one line of Markdown (no `|`). */
  doc: string;
  /** Set when the option is not for users (benchmark or test only): why it exists. Left out of the README. */
  internal?: string;
}

const code = (text: string | number | boolean) => `\`${text}\``;

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

const duration = (fallback: string) => ({
  schema: z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === undefined || ms <= 0) {
        ctx.addIssue({
          code: 'custom',
          message: `expected a duration such as 30s, 15m, 1d; got "${text}"`,
        });
        return z.NEVER;
      }
      return ms;
    }),
  default: code(fallback),
});

const FLAG = z.enum(['true', 'false', '1', '0', 'yes', 'no']);
const isOn = (value: z.output<typeof FLAG>) => value === 'true' || value === '1' || value === 'yes';

const flag = (fallback: boolean) => ({
  schema: FLAG.optional().transform((v) => (v === undefined ? fallback : isOn(v))),
  default: code(fallback),
});

/** A flag whose default depends on other options; undefined when unset, settled in ../config.ts. */
const derivedFlag = (shown: string) => ({
  schema: FLAG.optional().transform((v) => (v === undefined ? undefined : isOn(v))),
  default: shown,
});

const count = (fallback: number, shown = code(fallback)) => ({
  schema: z.coerce.number().int().positive().default(fallback),
  default: shown,
});

const list = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

const origin = z.string().transform((value, ctx) => {
  try {
    const url = new URL(value);
    if (url.origin !== 'null' && url.origin === value.replace(/\/$/, '')) return url.origin;
  } catch {}
  ctx.addIssue({
    code: 'custom',
    message: `"${value}" is not an origin such as https://app.example.com`,
  });
  return z.NEVER;
});

/** In the README's order: where it runs, what it stores, mail, HTTP, sessions, GraphQL, abuse limits, hashing. */
export const OPTIONS = {
  PORT: {
    schema: z.coerce.number().int().min(0).max(65535).default(4000),
    default: code(4000),
    doc: 'the port the server listens on',
  },
  HOST: {
    schema: z.string().min(1).optional(),
    default: `${code('127.0.0.1')} (${code('0.0.0.0')} in production)`,
    doc: 'the address the server listens on',
  },
  NODE_ENV: {
    schema: z.enum(['development', 'production', 'test']).default('development'),
    default: code('development'),
    doc: '`production` turns on secure cookies, turns off GraphiQL and introspection, requires `SESSION_SECRET` and `PUBLIC_URL`',
  },
  DATABASE_URL: {
    schema: z
      .string()
      .optional()
      .refine(
        (v) => v === undefined || v === '' || v === 'memory:' || /^postgres(ql)?:\/\//.test(v),
        { message: 'expected postgres://…, postgresql://… or memory:' },
      ),
    default: 'unset: embedded PGlite in `DATA_DIR`',
    doc: '`postgres://…` uses that PostgreSQL; `memory:` an in-memory PGlite',
  },
  DIRECT_DATABASE_URL: {
    schema: z
      .string()
      .optional()
      .refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
        message: 'expected postgres://… or postgresql://…',
      }),
    default: '`DATABASE_URL`',
    doc: 'a direct PostgreSQL connection for `LISTEN`, migrations and advisory locks when `DATABASE_URL` goes through a transaction-mode pooler (PgBouncer); set apart from `DATABASE_URL`, statements on `DATABASE_URL` go unnamed (docs/deploy.md)',
  },
  DATA_DIR: {
    schema: z.string().min(1).default('./.data'),
    default: code('./.data'),
    doc: 'the embedded database, the dev mail outbox and the generated dev secret',
  },
  SESSION_SECRET: {
    schema: z.string().optional(),
    default: 'dev: generated once into `DATA_DIR`; production: required, ≥ 32 characters',
    doc: 'comma-separated; the first signs, all verify (rotation)',
  },
  SMTP_URL: {
    schema: z
      .string()
      .optional()
      .refine((v) => !v || /^smtps?:\/\//.test(v), { message: 'expected smtp://… or smtps://…' }),
    default: 'unset: mail is written to `DATA_DIR/outbox/*.eml` and the log says where',
    doc: '`smtp://user:pass@host:port` or `smtps://…`',
  },
  MAIL_FROM: {
    schema: z.string().min(3).default('no-reply@localhost'),
    default: code('no-reply@localhost'),
    doc: 'sender address',
  },
  MAIL_NOTIFY_PASSWORD_CHANGED: {
    ...flag(true),
    doc: 'the security notice "your password was changed"',
  },
  MAIL_NOTIFY_NEW_SIGN_IN: {
    ...flag(true),
    doc: 'the security notice "new sign-in from a browser and IP this account has not used"',
  },
  MAIL_POLL_INTERVAL: {
    ...duration('30s'),
    doc: 'the fallback poll of the outbox worker: committed mail wakes it at once (LISTEN/NOTIFY on PostgreSQL, in-process embedded) and it sleeps until the next retry falls due',
  },
  MAIL_RETRY_BASE: {
    ...duration('10s'),
    doc: 'the first retry delay after a failed send; it doubles per attempt, at most 1h',
  },
  MAIL_MAX_ATTEMPTS: {
    ...count(20),
    doc: 'sends tried before a mail is marked `failed`',
  },
  COOKIE_SECURE: {
    ...derivedFlag('`true` in production, else `false`'),
    doc: '`Secure` and the `__Host-` prefix; also sends HSTS',
  },
  PUBLIC_URL: {
    schema: z.string().optional(),
    default:
      '`http://localhost:PORT`; required in production (`https://` unless `COOKIE_SECURE=false`)',
    doc: "the address people reach: links in mail, and the server's own origin for the Origin check (in production the only one)",
  },
  ALLOWED_HOSTS: {
    schema: list,
    default:
      '`localhost`, `127.0.0.1`, `[::1]`, `HOST` and the host of `PUBLIC_URL`; in production only the host of `PUBLIC_URL`',
    doc: 'comma-separated host names (no port) the server answers to; any other `Host` gets 421 (DNS-rebinding defence; `/health` and `/ready` answer any)',
  },
  ALLOWED_ORIGINS: {
    schema: list.pipe(z.array(origin)),
    default: 'unset: same origin only',
    doc: 'comma-separated origins allowed to make credentialed cross-origin requests',
  },
  TRUST_PROXY: {
    ...flag(false),
    doc: 'take the client IP from `X-Forwarded-For` (behind a load balancer)',
  },
  SESSION_IDLE_TTL: {
    ...duration('1d'),
    doc: 'lifetime of a session without "keep me signed in"; use slides it forward',
  },
  SESSION_REMEMBER_TTL: {
    ...duration('30d'),
    doc: 'lifetime of a "keep me signed in" session (its cookie\'s `Max-Age`); use slides it forward',
  },
  SESSION_ABSOLUTE_TTL: {
    ...duration('90d'),
    doc: 'ends any session this long after sign-in, however it is used',
  },
  SESSION_TOUCH_INTERVAL: {
    ...duration('1m'),
    doc: '`lastSeenAt` and sliding expiry are written at most this often per session',
  },
  SESSION_CACHE_SIZE: {
    schema: z.coerce.number().int().min(0).default(10_000),
    default: code(10_000),
    doc: 'live sessions cached per instance (invalidated on every instance at once; `0` turns the cache off)',
  },
  OTP_TTL: {
    ...duration('15m'),
    doc: 'lifetime of a password-reset code',
  },
  USERS_QUERY_ACCESS: {
    schema: z.enum(['admin', 'signed-in']).default('admin'),
    default: code('admin'),
    doc: "who may read the `users` directory: `admin` (others get `FORBIDDEN`) or `signed-in` (every signed-in user, part one's fields; another user's `role` stays admin-only)",
  },
  EMAIL_VERIFICATION: {
    schema: z.enum(['optional', 'required']).default('optional'),
    default: code('optional'),
    doc: '`required` limits a signed-in, unverified user to `me`, `session`, `sessions`, `logout` and the e-mail, re-authentication and deletion mutations (`EMAIL_NOT_VERIFIED` elsewhere, `/whoami` 403); fields that act by a credential in their input (sign-up, sign-in, reset, revert, the second step, passkey sign-in) are open to every caller',
  },
  REAUTH_WINDOW: {
    ...duration('10m'),
    doc: 'how recent a proven credential must be for sensitive mutations (`REAUTHENTICATION_REQUIRED` otherwise)',
  },
  MAX_SESSIONS_PER_USER: {
    schema: z.coerce.number().int().min(0).default(0),
    default: `${code(0)} (no limit)`,
    doc: "beyond it, a new session ends the user's least recently seen one",
  },
  STREAMS_PER_SESSION: {
    schema: z.coerce.number().int().min(1).default(5),
    default: code(5),
    doc: 'open `sessionEvents` streams per session; a newer one ends the oldest',
  },
  STREAMS_PER_USER: {
    schema: z.coerce.number().int().min(1).default(20),
    default: code(20),
    doc: "open `sessionEvents` streams per user, across the user's sessions; a newer one ends the oldest",
  },
  SECURITY_EVENT_RETENTION: {
    ...duration('90d'),
    doc: "how long security events (the account's security log) are kept",
  },
  WEBAUTHN_RP_ID: {
    schema: z.string().min(1).optional(),
    default: 'the host of `PUBLIC_URL`',
    doc: 'the WebAuthn relying-party id for passkeys',
  },
  MIGRATE_ON_START: {
    ...flag(true),
    doc: 'apply pending migrations at start (`false`: run `npm run db:migrate` yourself)',
  },
  DB_WAIT: {
    ...duration('30s'),
    doc: 'how long start-up waits for the database before exiting non-zero',
  },
  LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    default: code('info'),
    doc: 'pino level; logs are JSON lines, pretty in development',
  },
  GRAPHIQL: {
    ...derivedFlag('`true` outside production'),
    doc: 'serve GraphiQL at `/graphql`',
  },
  INTROSPECTION: {
    ...derivedFlag('`true` outside production'),
    doc: 'answer introspection queries',
  },
  GRAPHQL_FIELD_SUGGESTIONS: {
    ...derivedFlag('follows `INTROSPECTION`'),
    doc: '"Did you mean …" hints in errors',
  },
  GRAPHQL_MAX_DEPTH: {
    ...count(10),
    doc: 'deepest selection (GraphQL Armor; past any `GRAPHQL_MAX_*` an operation gets HTTP 400 `GRAPHQL_VALIDATION_FAILED`); only the `__schema` introspection field is exempt',
  },
  GRAPHQL_MAX_ALIASES: {
    ...count(30),
    doc: 'aliases in one operation',
  },
  GRAPHQL_MAX_TOKENS: {
    ...count(1_000),
    doc: 'lexical tokens in one document',
  },
  GRAPHQL_MAX_COST: {
    ...count(20_000),
    doc: "static cost (objects 2, scalars 1, ×1.5 per level, ×a list's length: `first`, the largest page for a variable, a full page for a list without paging)",
  },
  GRAPHQL_MAX_DIRECTIVES: {
    ...count(50),
    doc: 'directives in one operation',
  },
  MAX_BODY_BYTES: {
    ...count(100_000),
    doc: 'larger request bodies get 413',
  },
  SHUTDOWN_TIMEOUT: {
    ...duration('10s'),
    doc: 'how long SIGTERM waits for in-flight requests',
  },
  RATE_LIMIT_SIGNIN_ACCOUNT: {
    ...count(10),
    doc: "sign-in failures before `RATE_LIMITED`, per name or e-mail as typed (known or not, so a limit reached by name says nothing about the e-mail). A browser holding the account's device cookie is never refused by this count; its own failures are counted on their own, with the same numbers",
  },
  RATE_LIMIT_SIGNIN_IP: {
    ...count(50),
    doc: 'sign-in failures before `RATE_LIMITED`, per client IP',
  },
  RATE_LIMIT_SIGNIN_WINDOW: {
    ...duration('15m'),
    doc: 'the window of both sign-in counts',
  },
  RATE_LIMIT_FORGOT_PASSWORD: {
    ...count(3),
    doc: 'reset mails per address',
  },
  RATE_LIMIT_FORGOT_PASSWORD_WINDOW: {
    ...duration('1h'),
    doc: 'the window of `RATE_LIMIT_FORGOT_PASSWORD`',
  },
  RATE_LIMIT_SIGNUP_IP: {
    ...count(100),
    doc: 'sign-ups per client IP',
  },
  RATE_LIMIT_SIGNUP_WINDOW: {
    ...duration('1h'),
    doc: 'the window of `RATE_LIMIT_SIGNUP_IP`',
  },
  RATE_LIMIT_RESET_IP: {
    ...count(50),
    doc: 'wrong reset codes per client IP',
  },
  RATE_LIMIT_RESET_WINDOW: {
    ...duration('15m'),
    doc: 'the window of `RATE_LIMIT_RESET_IP`',
  },
  RATE_LIMIT_RESET_ACCOUNT: {
    ...count(20),
    doc: 'wrong reset codes per account, across every code issued; past it codes are refused and `forgetPassword` mails nothing (the link in the last mail still works)',
  },
  RATE_LIMIT_RESET_ACCOUNT_WINDOW: {
    ...duration('24h'),
    doc: 'the window of `RATE_LIMIT_RESET_ACCOUNT`',
  },
  RATE_LIMIT_NOTICES: {
    ...count(5),
    doc: 'security notices per address; more are dropped, the request still succeeds',
  },
  RATE_LIMIT_NOTICES_WINDOW: {
    ...duration('1h'),
    doc: 'the window of `RATE_LIMIT_NOTICES`',
  },
  RATE_LIMIT_EMAIL_CODES: {
    ...count(20),
    doc: 'wrong e-mail verification and change codes per account, across every code issued; past it `verifyEmail` and `confirmEmailChange` answer `RATE_LIMITED`',
  },
  RATE_LIMIT_EMAIL_CODES_WINDOW: {
    ...duration('24h'),
    doc: 'the window of `RATE_LIMIT_EMAIL_CODES`',
  },
  RATE_LIMIT_EMAIL_MAIL: {
    ...count(3),
    doc: 'verification and change mails per account and per address; past it `resendEmailVerification` and `requestEmailChange` answer `RATE_LIMITED` (a sign-up still succeeds, without its mail)',
  },
  RATE_LIMIT_EMAIL_MAIL_IP: {
    ...count(30),
    doc: '`resendEmailVerification` and `requestEmailChange` per client IP',
  },
  RATE_LIMIT_EMAIL_MAIL_WINDOW: {
    ...duration('1h'),
    doc: 'the window of `RATE_LIMIT_EMAIL_MAIL` and `RATE_LIMIT_EMAIL_MAIL_IP`',
  },
  RATE_LIMIT_SECOND_FACTOR: {
    ...count(10),
    doc: "wrong second-factor answers (TOTP, recovery code, passkey after a password) per account; they count against the sign-in limits too. A browser holding the account's device cookie counts on its own",
  },
  RATE_LIMIT_SECOND_FACTOR_WINDOW: {
    ...duration('15m'),
    doc: 'the window of `RATE_LIMIT_SECOND_FACTOR`',
  },
  RATE_LIMIT_SECOND_FACTOR_LOCKOUT: {
    ...count(100),
    doc: "wrong second-factor answers in a row (no right one between) after which the factor step locks and the owner gets a notice that their password is known; a browser holding the account's device cookie has a row and a lock of its own",
  },
  RATE_LIMIT_SECOND_FACTOR_LOCKOUT_DURATION: {
    ...duration('24h'),
    doc: 'how long the factor step stays locked after `RATE_LIMIT_SECOND_FACTOR_LOCKOUT`',
  },
  RATE_LIMIT_PASSKEY_CHALLENGES_IP: {
    ...count(30),
    doc: 'passkey challenges (`beginPasskeySignIn`, `beginPasskeyAssertion`, `beginPasskeyRegistration`) per client IP',
  },
  RATE_LIMIT_PASSKEY_CHALLENGES_WINDOW: {
    ...duration('1m'),
    doc: 'the window of `RATE_LIMIT_PASSKEY_CHALLENGES_IP`',
  },
  PASSKEY_MAX_LIVE_CHALLENGES: {
    ...count(10_000),
    doc: 'unanswered, unexpired passkey challenges kept at once; past it new ones get `RATE_LIMITED`',
  },
  PASSWORD_HASH_CONCURRENCY: {
    // Settled in ../config.ts: every core when hashes run in the idle class (they only take the CPU the
    // event loop leaves), cores − 1 otherwise; below UV_THREADPOOL_SIZE either way.
    schema: z.coerce.number().int().positive().optional(),
    default: 'cores (cores − 1 without the idle class), below `UV_THREADPOOL_SIZE`',
    doc: 'argon2 hashes at once',
  },
  PASSWORD_HASH_QUEUE: {
    ...count(64),
    doc: 'hashes that may wait before callers are shed with `RATE_LIMITED`',
  },
  PASSWORD_HASH_PER_CLIENT: {
    // Fairness, not a rate limit: one address flooding correct sign-ins must not queue out everyone else.
    ...count(2),
    doc: 'hashes one client address may have waiting or running at once; more are refused with `RATE_LIMITED` (raise it behind a NAT that many users share)',
  },
  PASSWORD_HASH_MAX_WAIT: {
    ...duration('1s'),
    doc: 'a sign-in, sign-up, change or reset whose hash could not start within this is refused with `RATE_LIMITED` at once, before any query',
  },
  PASSWORD_HASH_IDLE_CLASS: {
    ...flag(true),
    doc: "Linux: libuv's pool threads, where argon2 runs, go to the idle scheduling class (`SCHED_IDLE`, by util-linux's `chrt`; without it, nice 19)",
    internal:
      'tests turn it off, so that their own process keeps its pool at normal priority on a busy machine, and the benchmark to measure what it buys',
  },
  INTERNAL_VERIFY_MEMO: {
    ...flag(true),
    doc: 'keep a bounded memo of cookie values whose signature verified',
    internal: 'the A/B switch of the `machinery` benchmark, which decides whether the memo stays',
  },
  INTERNAL_BODY_LIMIT: {
    schema: z.enum(['plugin', 'yoga']).default('plugin'),
    default: code('plugin'),
    doc: "which code enforces `MAX_BODY_BYTES`: our plugin or Yoga's `maxRequestBodySize`",
    internal: 'the A/B switch of the `machinery` benchmark, which decides which one stays',
  },
  UV_THREADPOOL_SIZE: {
    // Read, never set here: libuv sizes its pool on first use, before any module of ours runs, so
    // `npm start` sets it (cores + 1). Node's default is 4.
    ...count(4, 'cores + 1 (set by `npm start`)'),
    doc: "libuv's thread pool, where argon2 runs; it must be set before Node starts, so the start script sets it",
  },
} satisfies Record<string, Option>;

type Options = typeof OPTIONS;

/** The environment as one zod object: unknown variables are ignored, the first bad one is named. */
export const environment = z.object(
  Object.fromEntries(Object.entries(OPTIONS).map(([name, option]) => [name, option.schema])) as {
    [Name in keyof Options]: Options[Name]['schema'];
  },
);

export type Environment = z.output<typeof environment>;
