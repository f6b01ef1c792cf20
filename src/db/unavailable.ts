import { isDriverAdapterError } from '@prisma/driver-adapter-utils';
import { GraphQLError } from 'graphql';
import pg from 'pg';
import { Prisma } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';

/**
 * "The database cannot be reached right now" (stopped, restarting, refusing or dropping connections, or
 * no pooled connection free in time), as opposed to a fault in a query, which stays an unexpected error.
 * Each error is recognised by what PrismaPg, pg and pg-pool actually throw, never by a loose match.
 */

/** Prisma's codes for a server it cannot reach or lost (P1001-P1017), or a pool it cannot draw from (P2024, P2037). */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037']);

/** What PrismaPg maps socket errors (ECONNREFUSED, ECONNRESET, ETIMEDOUT) and SQLSTATE 53300 to. */
const ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);

/**
 * Class 08 (connection exception); 57P01-57P03: the server is shutting down, crashed, or not accepting
 * connections yet (pg_ctl stop, pg_terminate_backend, recovery); 53300: no connection slot free.
 */
const isUnavailableSqlState = (code: string) =>
  code.startsWith('08') || /^57P0[123]$/.test(code) || code === '53300';

/** Socket errors of Node's net module that pg rethrows as they are (PrismaPg maps only some of them). */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/**
 * pg and pg-pool throw these as plain Errors without a code, and PrismaPg passes them through untouched.
 * Left out on purpose: 'Connection terminated' and 'Client was closed…', which mean we closed it ourselves.
 */
const PG_MESSAGES = new Set([
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
]);

/**
 * Why the database is unavailable, as a short label that is safe to log (a Prisma code, adapter kind,
 * SQLSTATE, socket code or pg's fixed message; never a host, password or SQL), or undefined when the
 * error is anything else. Follows GraphQL's originalError, `cause` and Prisma's driverAdapterError.
 */
export function databaseUnavailableReason(error: unknown): string | undefined {
  return firstInChain(error, reasonOf);
}

/**
 * Why the database refused our credentials (SQLSTATE class 28: a wrong password, or no pg_hba.conf entry
 * for this user and host), as a short label safe to log, or undefined. Unlike an outage, waiting cannot
 * mend it, so start-up stops at once.
 */
export function authenticationFailure(error: unknown): string | undefined {
  return firstInChain(error, authenticationReasonOf);
}

/** The first label `reasonOf` finds in the error, its GraphQL originalError, `cause` or Prisma's driverAdapterError. */
function firstInChain(
  error: unknown,
  reasonOf: (error: object) => string | undefined,
): string | undefined {
  const pending: unknown[] = [error];
  const seen = new Set<unknown>();
  while (pending.length > 0 && seen.size < 10) {
    const current = pending.shift();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const reason = reasonOf(current);
    if (reason) return reason;
    if (current instanceof GraphQLError) pending.push(current.originalError);
    if (current instanceof Prisma.PrismaClientKnownRequestError)
      pending.push(current.meta?.driverAdapterError);
    pending.push((current as { cause?: unknown }).cause);
  }
  return undefined;
}

/** What PrismaPg maps SQLSTATE 28P01 and 28000 to. */
const AUTHENTICATION_KINDS = new Map([
  ['AuthenticationFailed', 'password authentication failed (28P01)'],
  ['DatabaseAccessDenied', 'access denied by the server (28000)'],
]);

function authenticationReasonOf(error: object): string | undefined {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    return error.code === 'P1000' ? 'authentication failed (prisma P1000)' : undefined;
  }
  if (isDriverAdapterError(error)) {
    const { cause } = error;
    const known = AUTHENTICATION_KINDS.get(cause.kind);
    if (known) return known;
    return cause.kind === 'postgres' && cause.code.startsWith('28')
      ? `authentication failed (${cause.code})`
      : undefined;
  }
  if (error instanceof pg.DatabaseError && error.code?.startsWith('28'))
    return `authentication failed (${error.code})`;
  return undefined;
}

function reasonOf(error: object): string | undefined {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    return PRISMA_CODES.has(error.code) ? `prisma ${error.code}` : undefined;
  }
  if (isDriverAdapterError(error)) {
    const { cause } = error;
    if (ADAPTER_KINDS.has(cause.kind)) return `adapter ${cause.kind}`;
    return cause.kind === 'postgres' && isUnavailableSqlState(cause.code)
      ? `postgres ${cause.code}`
      : undefined;
  }
  if (error instanceof pg.DatabaseError) {
    return error.code && isUnavailableSqlState(error.code) ? `postgres ${error.code}` : undefined;
  }
  const { code, syscall } = error as { code?: unknown; syscall?: unknown };
  if (typeof code === 'string' && typeof syscall === 'string' && SOCKET_CODES.has(code))
    return `socket ${code}`;
  if (error instanceof Error && PG_MESSAGES.has(error.message)) return `pg: ${error.message}`;
  return undefined;
}

/**
 * Warns when requests start failing for want of the database, then at most once per `quietMs` while it
 * lasts (with how many failed in between), rather than an error with a stack for every request.
 */
export function outageReporter(logger: Logger, quietMs = 30_000): (reason: string) => void {
  let lastWarning = Number.NEGATIVE_INFINITY;
  let failedSince = 0;
  return (reason) => {
    const now = performance.now();
    if (now - lastWarning < quietMs) {
      failedSince++;
      return;
    }
    logger.warn(
      { reason, ...(failedSince > 0 ? { failedSinceLastWarning: failedSince } : {}) },
      'database unavailable: answering 503 UNAVAILABLE',
    );
    lastWarning = now;
    failedSince = 0;
  };
}

/**
 * What to log about a failed background round (touches, sweeps, mail, LISTEN): an unreachable database
 * is an expected condition that retries on its own, so its short reason is enough, without a stack per
 * retry; anything else keeps the whole error.
 */
export function failureDetails(error: unknown): { reason: string } | { err: unknown } {
  const reason = databaseUnavailableReason(error);
  return reason ? { reason: `database unavailable (${reason})` } : { err: error };
}
