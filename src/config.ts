import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { hostnameOf } from './http/hosts.js';

/**
 * The only reader of the environment. Everything is parsed and validated once, at start; a bad value
 * stops the process with one line naming the variable.
 */

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

const duration = (fallback: string) =>
  z
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
    });

const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .optional()
    .transform((v) => (v === undefined ? fallback : v === 'true' || v === '1' || v === 'yes'));

const count = (fallback: number) => z.coerce.number().int().positive().default(fallback);

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

const databaseUrl = z
  .string()
  .optional()
  .refine((v) => v === undefined || v === '' || v === 'memory:' || /^postgres(ql)?:\/\//.test(v), {
    message: 'expected postgres://…, postgresql://… or memory:',
  });

function schemaFor(nodeEnv: string) {
  const production = nodeEnv === 'production';
  return z.object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    HOST: z
      .string()
      .min(1)
      .default(production ? '0.0.0.0' : '127.0.0.1'),
    DATABASE_URL: databaseUrl,
    DATA_DIR: z.string().min(1).default('./.data'),
    SESSION_SECRET: z.string().optional(),
    SMTP_URL: z
      .string()
      .optional()
      .refine((v) => !v || /^smtps?:\/\//.test(v), { message: 'expected smtp://… or smtps://…' }),
    MAIL_FROM: z.string().min(3).default('no-reply@localhost'),
    MAIL_NOTIFY_PASSWORD_CHANGED: flag(true),
    MAIL_NOTIFY_NEW_SIGN_IN: flag(true),
    MAIL_POLL_INTERVAL: duration('1s'),
    MAIL_RETRY_BASE: duration('10s'),
    MAIL_MAX_ATTEMPTS: count(20),
    COOKIE_SECURE: flag(production),
    ALLOWED_ORIGINS: list.pipe(z.array(origin)),
    TRUST_PROXY: flag(false),
    SESSION_IDLE_TTL: duration('1d'),
    SESSION_REMEMBER_TTL: duration('30d'),
    SESSION_ABSOLUTE_TTL: duration('90d'),
    SESSION_TOUCH_INTERVAL: duration('1m'),
    SESSION_CACHE_SIZE: z.coerce.number().int().min(0).default(10_000),
    OTP_TTL: duration('15m'),
    MIGRATE_ON_START: flag(true),
    DB_WAIT: duration('30s'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    GRAPHIQL: flag(!production),
    INTROSPECTION: flag(!production),
    GRAPHQL_FIELD_SUGGESTIONS: z.enum(['true', 'false', '1', '0', 'yes', 'no']).optional(),
    GRAPHQL_MAX_DEPTH: count(10),
    GRAPHQL_MAX_ALIASES: count(30),
    GRAPHQL_MAX_TOKENS: count(1_000),
    GRAPHQL_MAX_COST: count(20_000),
    GRAPHQL_MAX_DIRECTIVES: count(50),
    SHUTDOWN_TIMEOUT: duration('10s'),
    RATE_LIMIT_SIGNIN_ACCOUNT: count(10),
    RATE_LIMIT_SIGNIN_IP: count(50),
    RATE_LIMIT_SIGNIN_WINDOW: duration('15m'),
    RATE_LIMIT_FORGOT_PASSWORD: count(3),
    RATE_LIMIT_FORGOT_PASSWORD_WINDOW: duration('1h'),
    RATE_LIMIT_SIGNUP_IP: count(100),
    RATE_LIMIT_SIGNUP_WINDOW: duration('1h'),
    RATE_LIMIT_RESET_IP: count(50),
    RATE_LIMIT_RESET_WINDOW: duration('15m'),
    // One core stays with the event loop, so a sign-in storm cannot starve every other request.
    PASSWORD_HASH_CONCURRENCY: count(Math.max(1, availableParallelism() - 1)),
    // Read, never set here: libuv sizes its pool on first use, before any module of ours runs, so
    // `npm start` sets it (cores + 1). Node's default is 4.
    UV_THREADPOOL_SIZE: count(4),
    PASSWORD_HASH_QUEUE: count(64),
    PASSWORD_HASH_MAX_WAIT: duration('1s'),
    // 0 keeps argon2 in this process at the server's priority; above 0 it runs in a child process niced by that much.
    PASSWORD_HASH_NICE: z.coerce.number().int().min(0).max(19).default(10),
    // On Linux the hash process also runs in the idle scheduling class (SCHED_IDLE, set by util-linux's chrt).
    PASSWORD_HASH_IDLE_CLASS: flag(true),
    MAX_BODY_BYTES: count(100_000),
    PUBLIC_URL: z.string().optional(),
    ALLOWED_HOSTS: list,
    USERS_QUERY_ACCESS: z.enum(['admin', 'signed-in']).default('admin'),
    RATE_LIMIT_NOTICES: count(5),
    RATE_LIMIT_NOTICES_WINDOW: duration('1h'),
    RATE_LIMIT_RESET_ACCOUNT: count(20),
    RATE_LIMIT_RESET_ACCOUNT_WINDOW: duration('24h'),
  });
}

export type DatabaseConfig =
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'memory' }
  | { kind: 'postgres'; url: string };

export interface Config {
  /**
   * The address people reach: links in mail, the server's own origin for the Origin check, and (later)
   * the WebAuthn origin. @default http://localhost:PORT; required in production
   */
  publicUrl: URL;
  /** @default 'development' */
  nodeEnv: 'development' | 'production' | 'test';
  production: boolean;
  /** @default 4000 */
  port: number;
  /** @default '127.0.0.1' ('0.0.0.0' in production) */
  host: string;
  /** @default embedded PGlite in DATA_DIR */
  database: DatabaseConfig;
  /** @default './.data' */
  dataDir: string;
  /** The first signs cookies; all verify them (rotation). */
  sessionSecrets: string[];
  mail: {
    /** @default unset: mail goes to DATA_DIR/outbox as .eml files */
    smtpUrl: string | undefined;
    /** @default 'no-reply@localhost' */
    from: string;
    outboxDir: string;
    /** @default true */
    notifyPasswordChanged: boolean;
    /** @default true */
    notifyNewSignIn: boolean;
    /** How often the worker looks for due mail (it is also woken when this process enqueues). @default 1s */
    pollIntervalMs: number;
    /** First retry delay after a failed send; it doubles per attempt, capped at an hour. @default 10s */
    retryBaseMs: number;
    /** Sends tried before a message is marked failed. @default 20 (about half a day) */
    maxAttempts: number;
  };
  http: {
    /** @default true in production */
    cookieSecure: boolean;
    /** @default [] (same origin only) */
    allowedOrigins: string[];
    /** @default false */
    trustProxy: boolean;
    /**
     * Host names (without port) the server answers to; any other Host header is refused (DNS rebinding).
     * @default localhost, 127.0.0.1, [::1] and HOST; in production the host of PUBLIC_URL
     */
    allowedHosts: string[];
    /** @default true outside production */
    graphiql: boolean;
    /** @default true outside production */
    introspection: boolean;
    /** Larger request bodies are refused with 413. @default 100000 */
    maxBodyBytes: number;
    /** @default 10s */
    shutdownTimeoutMs: number;
  };
  sessions: {
    /** @default 1d */
    idleTtlMs: number;
    /** @default 30d */
    rememberTtlMs: number;
    /** @default 90d */
    absoluteTtlMs: number;
    /** lastSeenAt and sliding expiry are written at most this often per session. @default 1m */
    touchIntervalMs: number;
    /** Live sessions kept in memory per instance (0 turns the cache off: every request reads the row). @default 10000 */
    cacheSize: number;
  };
  /** Operation limits (GraphQL Armor). */
  graphql: {
    /** Selection depth; `__schema` (introspection) aside. @default 10 */
    maxDepth: number;
    /** @default 30 */
    maxAliases: number;
    /** Lexical tokens in one document. @default 1000 */
    maxTokens: number;
    /** GraphQL Armor's static cost (objects 2, scalars 1, x1.5 per level, x`first` for lists). @default 20000 */
    maxCost: number;
    /** @default 50 */
    maxDirectives: number;
    /** "Did you mean …" hints in errors. @default the INTROSPECTION value (off in production) */
    fieldSuggestions: boolean;
  };
  /** Who may list every user: `admin` (the default) or `signed-in` (the seed's open directory). */
  usersQueryAccess: 'admin' | 'signed-in';
  /** @default 15m */
  otpTtlMs: number;
  /** @default true */
  migrateOnStart: boolean;
  /** @default 30s */
  dbWaitMs: number;
  /** @default 'info' */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  limits: {
    signInPerAccount: number;
    signInPerIp: number;
    signInWindowMs: number;
    forgotPasswordPerAddress: number;
    forgotPasswordWindowMs: number;
    signUpPerIp: number;
    signUpWindowMs: number;
    resetPerIp: number;
    resetWindowMs: number;
    /** Wrong reset codes per account across every code issued. @default 20 per 24h */
    resetPerAccount: number;
    resetAccountWindowMs: number;
    /** Security notices per address. @default 5 per 1h */
    noticesPerAddress: number;
    noticesWindowMs: number;
    /** argon2 runs at most this many at once, and below UV_THREADPOOL_SIZE. @default the cores - 1 (at least 1) */
    passwordHashConcurrency: number;
    /** hashes waiting beyond this are shed with RATE_LIMITED. @default 64 */
    passwordHashQueue: number;
    /** a hash that would start later than this is shed with RATE_LIMITED. @default 1s */
    passwordHashMaxWaitMs: number;
    /** argon2 runs in a child process this much nicer than the server (0: in-process). @default 10 */
    passwordHashNice: number;
    /** Linux: the hash process runs in the idle scheduling class, so it gets a core only when no request wants one. @default true */
    passwordHashIdleClass: boolean;
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

/** Reads and validates configuration; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = schemaFor(cleaned.NODE_ENV ?? 'development').safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path.join('.') ?? 'environment';
    throw new ConfigError(`Invalid ${name}: ${issue?.message ?? 'invalid value'}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const dataDir = resolve(e.DATA_DIR);
  // Before PUBLIC_URL, so a production start missing both still names SESSION_SECRET, as it always has.
  const secrets = sessionSecrets(e.SESSION_SECRET, production, dataDir);
  const publicUrl = parsePublicUrl(e.PUBLIC_URL, e.PORT, production, e.COOKIE_SECURE);

  const database: DatabaseConfig =
    e.DATABASE_URL === 'memory:'
      ? { kind: 'memory' }
      : e.DATABASE_URL
        ? { kind: 'postgres', url: e.DATABASE_URL }
        : { kind: 'pglite', dataDir: join(dataDir, 'pglite') };

  return {
    publicUrl,
    nodeEnv: e.NODE_ENV,
    production,
    port: e.PORT,
    host: e.HOST,
    database,
    dataDir,
    sessionSecrets: secrets,
    mail: {
      smtpUrl: e.SMTP_URL,
      from: e.MAIL_FROM,
      outboxDir: join(dataDir, 'outbox'),
      notifyPasswordChanged: e.MAIL_NOTIFY_PASSWORD_CHANGED,
      notifyNewSignIn: e.MAIL_NOTIFY_NEW_SIGN_IN,
      pollIntervalMs: e.MAIL_POLL_INTERVAL,
      retryBaseMs: e.MAIL_RETRY_BASE,
      maxAttempts: e.MAIL_MAX_ATTEMPTS,
    },
    http: {
      cookieSecure: e.COOKIE_SECURE,
      allowedOrigins: e.ALLOWED_ORIGINS,
      trustProxy: e.TRUST_PROXY,
      allowedHosts: allowedHosts(e.ALLOWED_HOSTS, publicUrl, e.HOST, production),
      graphiql: e.GRAPHIQL,
      introspection: e.INTROSPECTION,
      maxBodyBytes: e.MAX_BODY_BYTES,
      shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT,
    },
    sessions: {
      idleTtlMs: e.SESSION_IDLE_TTL,
      rememberTtlMs: e.SESSION_REMEMBER_TTL,
      absoluteTtlMs: e.SESSION_ABSOLUTE_TTL,
      touchIntervalMs: e.SESSION_TOUCH_INTERVAL,
      cacheSize: e.SESSION_CACHE_SIZE,
    },
    graphql: {
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
      maxCost: e.GRAPHQL_MAX_COST,
      maxDirectives: e.GRAPHQL_MAX_DIRECTIVES,
      fieldSuggestions:
        e.GRAPHQL_FIELD_SUGGESTIONS === undefined
          ? e.INTROSPECTION
          : ['true', '1', 'yes'].includes(e.GRAPHQL_FIELD_SUGGESTIONS),
    },
    usersQueryAccess: e.USERS_QUERY_ACCESS,
    otpTtlMs: e.OTP_TTL,
    migrateOnStart: e.MIGRATE_ON_START,
    dbWaitMs: e.DB_WAIT,
    logLevel: e.LOG_LEVEL,
    limits: {
      signInPerAccount: e.RATE_LIMIT_SIGNIN_ACCOUNT,
      signInPerIp: e.RATE_LIMIT_SIGNIN_IP,
      signInWindowMs: e.RATE_LIMIT_SIGNIN_WINDOW,
      forgotPasswordPerAddress: e.RATE_LIMIT_FORGOT_PASSWORD,
      forgotPasswordWindowMs: e.RATE_LIMIT_FORGOT_PASSWORD_WINDOW,
      signUpPerIp: e.RATE_LIMIT_SIGNUP_IP,
      signUpWindowMs: e.RATE_LIMIT_SIGNUP_WINDOW,
      resetPerIp: e.RATE_LIMIT_RESET_IP,
      resetWindowMs: e.RATE_LIMIT_RESET_WINDOW,
      resetPerAccount: e.RATE_LIMIT_RESET_ACCOUNT,
      resetAccountWindowMs: e.RATE_LIMIT_RESET_ACCOUNT_WINDOW,
      noticesPerAddress: e.RATE_LIMIT_NOTICES,
      noticesWindowMs: e.RATE_LIMIT_NOTICES_WINDOW,
      // argon2 runs on libuv's pool; leaving one thread free keeps file and DNS work from queueing behind hashes.
      passwordHashConcurrency: Math.max(
        1,
        Math.min(e.PASSWORD_HASH_CONCURRENCY, e.UV_THREADPOOL_SIZE - 1),
      ),
      passwordHashQueue: e.PASSWORD_HASH_QUEUE,
      passwordHashMaxWaitMs: e.PASSWORD_HASH_MAX_WAIT,
      passwordHashNice: e.PASSWORD_HASH_NICE,
      passwordHashIdleClass: e.PASSWORD_HASH_IDLE_CLASS,
    },
  };
}

function parsePublicUrl(
  raw: string | undefined,
  port: number,
  production: boolean,
  cookieSecure: boolean,
): URL {
  // Production links and the Origin check must not follow whatever Host a request claims.
  if (!raw) {
    if (production) throw new ConfigError('Invalid PUBLIC_URL: required when NODE_ENV=production');
    return new URL(`http://localhost:${port}`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      `Invalid PUBLIC_URL: "${raw}" is not a URL such as https://auth.example.com`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError('Invalid PUBLIC_URL: expected http:// or https://');
  }
  // Secure cookies are only ever sent over https, so such a server behind an http URL would sign nobody in.
  if (production && cookieSecure && url.protocol !== 'https:') {
    throw new ConfigError(
      'Invalid PUBLIC_URL: must be https:// in production (or set COOKIE_SECURE=false)',
    );
  }
  return url;
}

function allowedHosts(
  listed: string[],
  publicUrl: URL,
  host: string,
  production: boolean,
): string[] {
  if (listed.length > 0) return [...new Set(listed.map((name) => hostName(name, 'ALLOWED_HOSTS')))];
  if (production) return [publicUrl.hostname];
  const wildcard = ['0.0.0.0', '::', '[::]'].includes(host);
  const names = [
    'localhost',
    '127.0.0.1',
    '[::1]',
    publicUrl.hostname,
    ...(wildcard ? [] : [hostName(host, 'HOST')]),
  ];
  return [...new Set(names)];
}

/** A host name as http/hosts.ts reads one from `Host` (lower case, IPv6 in brackets), so the two compare equal. */
function hostName(name: string, variable: string): string {
  // HOST and ALLOWED_HOSTS may write an IPv6 literal bare (`::1`); Host headers always bracket it.
  const bracketed = name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
  const parsed = hostnameOf(bracketed);
  if (parsed === null || /:\d*$/.test(bracketed.replace(/^\[.*\]/, ''))) {
    throw new ConfigError(
      `Invalid ${variable}: "${name}" is not a host name without port, such as app.example.com`,
    );
  }
  return parsed;
}

const MIN_SECRET_LENGTH = 32;

function sessionSecrets(raw: string | undefined, production: boolean, dataDir: string): string[] {
  if (raw) {
    const secrets = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (secrets.length === 0 || secrets.some((s) => s.length < MIN_SECRET_LENGTH)) {
      throw new ConfigError(
        `Invalid SESSION_SECRET: each secret needs at least ${MIN_SECRET_LENGTH} characters`,
      );
    }
    return secrets;
  }
  // Production must not run on a secret nobody chose: a lost file would silently log everyone out.
  if (production)
    throw new ConfigError('Invalid SESSION_SECRET: required when NODE_ENV=production');
  return [devSecret(dataDir)];
}

/** Development only: a secret generated once and kept in DATA_DIR, so restarts keep sessions. */
function devSecret(dataDir: string): string {
  const file = join(dataDir, 'session-secret');
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= MIN_SECRET_LENGTH) return existing;
  } catch {}
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
