import type { FetchAPI } from 'graphql-yoga';
import { ERROR_MESSAGES, type ErrorCode } from '../errors.js';

/**
 * The answer of a guard that stops a request before GraphQL runs: a GraphQL-shaped JSON error with a
 * code from the table, never cached.
 */
export function refusal(
  fetchAPI: FetchAPI,
  status: number,
  code: ErrorCode,
  message: string = ERROR_MESSAGES[code],
  details: { field?: string } = {},
) {
  const extensions = { code, ...details };
  return new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });
}
