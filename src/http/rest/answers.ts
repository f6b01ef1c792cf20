import { GraphQLError } from 'graphql';
import { databaseUnavailableReason } from '../../db/unavailable.js';
import { AppError, ERROR_MESSAGES, type ErrorCode } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { DATABASE_RETRY_AFTER_SECONDS } from '../errors.js';

/**
 * What a REST route answers: a status, a JSON body (none for 204) and headers. Errors are
 * `{ code, message }` with the code from errors.ts and its details (`field`, `retryAfter`, …) beside.
 */
export interface RestAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const REST_STATUS: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  // The seed answers 400 to wrong credentials and to a wrong or expired code.
  INVALID_CREDENTIALS: 400,
  INVALID_OTP: 400,
  UNAUTHENTICATED: 401,
  // No session was started: the client finishes in GraphQL (verifySecondFactor, or resetPassword with a factor).
  SECOND_FACTOR_REQUIRED: 401,
  REAUTHENTICATION_REQUIRED: 401,
  FORBIDDEN: 403,
  ACCOUNT_DISABLED: 403,
  EMAIL_NOT_VERIFIED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  REQUEST_ENTITY_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL_SERVER_ERROR: 500,
  UNAVAILABLE: 503,
};

const isKnownCode = (code: unknown): code is keyof typeof REST_STATUS =>
  typeof code === 'string' && Object.hasOwn(REST_STATUS, code);

export function errorAnswer(
  code: keyof typeof REST_STATUS,
  message: string,
  details: Readonly<Record<string, unknown>> = {},
): RestAnswer {
  const status = REST_STATUS[code];
  const retryAfter = details.retryAfter;
  return {
    status,
    body: { code, message, ...details },
    headers: {
      ...(typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {}),
      // RFC 9110: a 401 names how to authenticate; the session cookie's value also works as a Bearer token.
      ...(status === 401 ? { 'www-authenticate': 'Bearer realm="sessiongraph"' } : {}),
    },
  };
}

/**
 * An error thrown by the core (or by GraphQL around it) as the REST answer: expected failures with their
 * code, an unreachable database as 503, anything else logged and masked as 500.
 */
export function answerForError(error: unknown, logger: Logger): RestAnswer {
  const appError = error instanceof GraphQLError ? error.originalError : error;
  if (appError instanceof AppError && isKnownCode(appError.code))
    return errorAnswer(appError.code, appError.message, { ...appError.details });
  if (databaseUnavailableReason(error))
    return errorAnswer('UNAVAILABLE', ERROR_MESSAGES.UNAVAILABLE, {
      retryAfter: DATABASE_RETRY_AFTER_SECONDS,
    });
  logger.error({ err: appError ?? error }, 'unexpected error');
  return errorAnswer('INTERNAL_SERVER_ERROR', ERROR_MESSAGES.INTERNAL_SERVER_ERROR);
}

/**
 * A guard's refusal (host, route, CSRF, body size: http/refusal.ts) in REST's shape, so a REST client
 * reads every error the same way; undefined when the body is not a refusal.
 */
export function restShapedRefusal(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as {
      errors?: { message?: unknown; extensions?: Record<string, unknown> }[];
    };
    const first = parsed.errors?.[0];
    if (!first || typeof first.message !== 'string') return undefined;
    const { code, ...details } = first.extensions ?? {};
    return JSON.stringify({ code, message: first.message, ...details });
  } catch {
    return undefined;
  }
}
