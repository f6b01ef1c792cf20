import type { Plugin } from 'graphql-yoga';
import { refusal } from './refusal.js';

/**
 * A GraphQL GET carries `variables` and `extensions` as JSON in the query string. Yoga parses them
 * without catching a syntax error, which then surfaces as an unexpected (masked, logged) 500; broken
 * JSON there is the client's mistake, answered 400 BAD_USER_INPUT naming the parameter.
 */
const JSON_PARAMS = ['variables', 'extensions'] as const;

export function useQueryStringJson(): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET') return;
      for (const name of JSON_PARAMS) {
        const value = url.searchParams.get(name);
        if (value === null || isJson(value)) continue;
        const message = `The ${name} parameter is not JSON.`;
        return endResponse(refusal(fetchAPI, 400, 'BAD_USER_INPUT', message, { field: name }));
      }
    },
  };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
