import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { hostnameOf } from './config/hostname.js';
import { type Environment, environment } from './config/options.js';

/**
 * The only reader of the environment. Every variable is declared once in config/options.ts; here the
 * parsed environment is shaped into the `Config` the rest of the code reads, whose type follows from
 * that shaping. Everything is validated once, at start; a bad value stops the process with one line
 * naming the variable.
 */

export { parseDuration } from './config/options.js';

export type DatabaseConfig =
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'memory' }
  | {
      kind: 'postgres';
      url: string;
      /**
       * DIRECT_DATABASE_URL, only when it names another connection than `url`: `url` then goes through
       * a transaction-mode pooler, and what needs one server connection throughout uses this one.
       */
      directUrl?: string;
    };

export type Config = ReturnType<typeof configFrom>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

/** Reads and validates configuration; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => !!entry[1]),
  );
  const parsed = environment.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path.join('.') ?? 'environment';
    throw new ConfigError(`Invalid ${name}: ${issue?.message ?? 'invalid value'}`);
  }
  return configFrom(parsed.data);
}

function configFrom(e: Environment) {
  const production = e.NODE_ENV === 'production';
  const dataDir = resolve(e.DATA_DIR);
  const host = e.HOST ?? (production ? '0.0.0.0' : '127.0.0.1');
  const cookieSecure = e.COOKIE_SECURE ?? production;
  const introspection = e.INTROSPECTION ?? !production;
  // Before PUBLIC_URL, so a production start missing both still names SESSION_SECRET, as it always has.
  const secrets = sessionSecrets(e.SESSION_SECRET, production, dataDir);
  const publicUrl = parsePublicUrl(e.PUBLIC_URL, e.PORT, production, cookieSecure);

  return {
    /** Links in mail, the server's own origin for the Origin check (and later the WebAuthn origin). */
    publicUrl,
    nodeEnv: e.NODE_ENV,
    production,
    port: e.PORT,
    host,
    database: databaseOf(e.DATABASE_URL, e.DIRECT_DATABASE_URL, dataDir),
    dataDir,
    /** The first signs cookies; all verify them (rotation). */
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
      cookieSecure,
      allowedOrigins: e.ALLOWED_ORIGINS,
      trustProxy: e.TRUST_PROXY,
      /** Lower-case host names without port, IPv6 in brackets, as http/hosts.ts reads `Host`. */
      allowedHosts: allowedHosts(e.ALLOWED_HOSTS, publicUrl, host, production),
      graphiql: e.GRAPHIQL ?? !production,
      introspection,
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
    /** Operation limits (GraphQL Armor). */
    graphql: {
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
      maxCost: e.GRAPHQL_MAX_COST,
      maxDirectives: e.GRAPHQL_MAX_DIRECTIVES,
      fieldSuggestions: e.GRAPHQL_FIELD_SUGGESTIONS ?? introspection,
    },
    usersQueryAccess: e.USERS_QUERY_ACCESS,
    /** Part two's account rules: verified addresses, recent authentication, session count, the log. */
    account: {
      emailVerification: e.EMAIL_VERIFICATION,
      reauthWindowMs: e.REAUTH_WINDOW,
      maxSessionsPerUser: e.MAX_SESSIONS_PER_USER,
      securityEventRetentionMs: e.SECURITY_EVENT_RETENTION,
    },
    /** Live streams (sessionEvents): how many one session and one user may hold open. */
    streams: {
      perSession: e.STREAMS_PER_SESSION,
      perUser: e.STREAMS_PER_USER,
    },
    /** Passkeys: the relying party is this server's public origin unless told otherwise. */
    webauthn: {
      rpId: e.WEBAUTHN_RP_ID ?? publicUrl.hostname,
      origin: publicUrl.origin,
    },
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
      emailCodesPerAccount: e.RATE_LIMIT_EMAIL_CODES,
      emailCodesWindowMs: e.RATE_LIMIT_EMAIL_CODES_WINDOW,
      emailMailPerAccountAndAddress: e.RATE_LIMIT_EMAIL_MAIL,
      emailMailPerIp: e.RATE_LIMIT_EMAIL_MAIL_IP,
      emailMailWindowMs: e.RATE_LIMIT_EMAIL_MAIL_WINDOW,
      secondFactorPerAccount: e.RATE_LIMIT_SECOND_FACTOR,
      secondFactorWindowMs: e.RATE_LIMIT_SECOND_FACTOR_WINDOW,
      secondFactorLockout: e.RATE_LIMIT_SECOND_FACTOR_LOCKOUT,
      secondFactorLockoutMs: e.RATE_LIMIT_SECOND_FACTOR_LOCKOUT_DURATION,
      passkeyChallengesPerIp: e.RATE_LIMIT_PASSKEY_CHALLENGES_IP,
      passkeyChallengesWindowMs: e.RATE_LIMIT_PASSKEY_CHALLENGES_WINDOW,
      passkeyMaxLiveChallenges: e.PASSKEY_MAX_LIVE_CHALLENGES,
      passwordHashConcurrency: hashConcurrency(e),
      passwordHashQueue: e.PASSWORD_HASH_QUEUE,
      passwordHashPerClient: e.PASSWORD_HASH_PER_CLIENT,
      passwordHashMaxWaitMs: e.PASSWORD_HASH_MAX_WAIT,
      passwordHashIdleClass: e.PASSWORD_HASH_IDLE_CLASS,
    },
    /** Switches only the benchmark flips (see their `internal` reasons in config/options.ts). */
    internal: {
      verifyMemo: e.INTERNAL_VERIFY_MEMO,
      bodyLimit: e.INTERNAL_BODY_LIMIT,
    },
  };
}

function databaseOf(
  url: string | undefined,
  directUrl: string | undefined,
  dataDir: string,
): DatabaseConfig {
  if (directUrl && !url?.startsWith('postgres'))
    throw new ConfigError('Invalid DIRECT_DATABASE_URL: only with DATABASE_URL=postgres://…');
  if (url === 'memory:') return { kind: 'memory' };
  if (url)
    return { kind: 'postgres', url, ...(directUrl && directUrl !== url ? { directUrl } : {}) };
  return { kind: 'pglite', dataDir: join(dataDir, 'pglite') };
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

function hashConcurrency(e: Environment): number {
  const cores = availableParallelism();
  // In the idle class, hashes take only what requests leave: every core may hash. Otherwise one core
  // stays with the event loop.
  const wanted = e.PASSWORD_HASH_CONCURRENCY ?? (e.PASSWORD_HASH_IDLE_CLASS ? cores : cores - 1);
  // argon2 shares libuv's pool: one thread stays free, so file and DNS work never queue behind hashes.
  return Math.max(1, Math.min(wanted, e.UV_THREADPOOL_SIZE - 1));
}
