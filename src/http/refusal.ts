import type { FetchAPI } from 'graphql-yoga';
import { type ErrorCode, errorBody } from '../errors.js';

/**
 * The answer of a guard that stops a request before GraphQL runs: a GraphQL-shaped JSON error with a
 * code from the table (errors.ts), never cached.
 */
export function refusal(
  fetchAPI: FetchAPI,
  status: number,
  code: ErrorCode,
  message?: string,
  details: { field?: string } = {},
  headers: Record<string, string> = {},
) {
  return new fetchAPI.Response(errorBody(code, message, details), {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...headers,
    },
  });
}
