import { GraphQLError } from 'graphql';
import { type YogaServerOptions, maskError as yogaMaskError } from 'graphql-yoga';
import { databaseUnavailableReason, outageReporter } from '../db/unavailable.js';
import { AppError, ERROR_STATUS } from '../errors.js';
import type { Logger } from '../logger.js';

const isGraphQLError = (error: unknown): error is GraphQLError => error instanceof GraphQLError;

/**
 * Long enough for a database restart or failover, and no sooner than one connection attempt (the pool
 * waits up to 5 s) can fail again.
 */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * Expected failures (AppError) become GraphQL errors with their documented code; an unreachable
 * database becomes UNAVAILABLE (503, Retry-After) with a generic message; GraphQL's own validation
 * errors pass through; everything else is logged and masked in every environment (Yoga's default
 * would attach the original error and stack when NODE_ENV=development).
 */
export function maskedErrors(logger: Logger): YogaServerOptions<object, object>['maskedErrors'] {
  const reportOutage = outageReporter(logger);
  return {
    maskError(error, message) {
      const appError = findAppError(error);
      if (appError) return toGraphQLError(appError, error);
      const unavailable = databaseUnavailableReason(error);
      if (unavailable) {
        reportOutage(unavailable);
        return toGraphQLError(
          new AppError('UNAVAILABLE', undefined, { retryAfter: DATABASE_RETRY_AFTER_SECONDS }),
          error,
        );
      }
      if (!isGraphQLError(error) || error.originalError)
        logger.error({ err: unwrap(error) }, 'unexpected error');
      return withoutOriginalError(yogaMaskError(error, message, false));
    },
  };
}

function toGraphQLError(appError: AppError, error: unknown): GraphQLError {
  const { retryAfter, ...details } = appError.details;
  const status = ERROR_STATUS[appError.code];
  // Yoga takes the response's status and headers from `http` and leaves it out of the body.
  const http =
    status === undefined
      ? undefined
      : {
          status,
          ...(retryAfter === undefined ? {} : { headers: { 'retry-after': String(retryAfter) } }),
        };
  return new GraphQLError(appError.message, {
    ...(isGraphQLError(error) ? { nodes: error.nodes, path: error.path } : {}),
    extensions: {
      code: appError.code,
      // field, methods, challenge, until: each only when the error carries it.
      ...Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined)),
      ...(retryAfter === undefined ? {} : { retryAfter }),
      ...(http === undefined ? {} : { http }),
    },
  });
}

/** Yoga describes a body that is not JSON with the parser's own error in `extensions.originalError`: not for clients. */
function withoutOriginalError(error: Error): Error {
  if (!isGraphQLError(error) || !('originalError' in error.extensions)) return error;
  const { originalError: _internal, ...extensions } = error.extensions;
  // Yoga answers 200 to a JSON client unless originalError is present or the status is not marked "spec"
  // (optional): keep the 400 a body that is not JSON deserves.
  const http = extensions.http as { status?: number; spec?: boolean } | undefined;
  if (http?.status) extensions.http = { ...http, spec: false };
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions,
  });
}

function unwrap(error: unknown): unknown {
  return isGraphQLError(error) && error.originalError ? error.originalError : error;
}

function findAppError(error: unknown): AppError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (current instanceof AppError) return current;
    current = isGraphQLError(current)
      ? current.originalError
      : (current as { cause?: unknown }).cause;
  }
  return undefined;
}
