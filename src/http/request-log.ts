import { randomUUID } from 'node:crypto';
import { type ExecutionResult, getOperationAST } from 'graphql';
import type { Plugin, YogaLogger } from 'graphql-yoga';
import type { Logger } from '../logger.js';
import type { Context } from '../schema/context.js';
import { requestSlot } from '../schema/request-slot.js';
import { originalRequest } from './replaced-requests.js';

/**
 * One JSON line per request: request id, operation name, duration, outcome and user id. The line is
 * built from these fixed fields only; variables, headers, query strings and bodies never reach it,
 * so passwords, codes, tokens and cookies cannot leak through it.
 */

interface Entry {
  id: string;
  started: number;
  operation?: string;
  code?: string;
  userId?: string;
}

/** A proxy's request id is kept when it looks like one, so lines can be joined across hops. */
const FORWARDED_ID = /^[\w.:-]{1,128}$/;
const QUIET_PATHS = new Set(['/health', '/ready']);

export function useRequestLog(logger: Logger): Plugin<Context> {
  const entries = requestSlot<Entry>('request log entry');
  return {
    onRequest({ request }) {
      const forwarded = request.headers.get('x-request-id');
      entries.set(request, {
        id: forwarded && FORWARDED_ID.test(forwarded) ? forwarded : randomUUID(),
        started: performance.now(),
      });
    },
    onParams({ request, params }) {
      const entry = entries.get(originalRequest(request));
      // Client-chosen text: bounded, and only ever written as a JSON string.
      if (entry && typeof params.operationName === 'string')
        entry.operation = params.operationName.slice(0, 100);
    },
    onParse({ context }) {
      const entry = entries.get(originalRequest(context.request));
      return ({ result }) => {
        // With several operations the client named one, and onParams has it already.
        if (entry && !entry.operation && result && !(result instanceof Error)) {
          entry.operation = getOperationAST(result)?.name?.value.slice(0, 100);
        }
      };
    },
    onExecute({ args }) {
      const entry = entries.get(originalRequest(args.contextValue.request));
      if (!entry) return;
      return {
        // Read after execution: signUp/signIn set the viewer, and logout leaves the id of who left.
        onExecuteDone() {
          entry.userId = args.contextValue.viewer?.user.id ?? entry.userId;
        },
      };
    },
    onContextBuilding({ context }) {
      const entry = entries.get(originalRequest(context.request));
      return ({ context: built }) => {
        if (entry && built.viewer) entry.userId = built.viewer.user.id;
      };
    },
    onResultProcess({ request, result }) {
      const entry = entries.get(originalRequest(request));
      if (entry) entry.code = firstErrorCode(result);
    },
    onResponse({ request, response }) {
      const entry = entries.get(originalRequest(request));
      if (!entry) return;
      response.headers.set('x-request-id', entry.id);
      const path = new URL(request.url).pathname;
      const line = {
        reqId: entry.id,
        method: request.method,
        path,
        status: response.status,
        operation: entry.operation ?? null,
        outcome: entry.code ?? (response.status >= 400 ? `HTTP_${response.status}` : 'ok'),
        durationMs: Math.round((performance.now() - entry.started) * 10) / 10,
        userId: entry.userId ?? null,
      };
      if (QUIET_PATHS.has(path)) logger.debug(line, 'request');
      else logger.info(line, 'request');
    },
  };
}

function firstErrorCode(result: unknown): string | undefined {
  const first = (Array.isArray(result) ? result[0] : result) as ExecutionResult | undefined;
  const error =
    first && typeof first === 'object' && 'errors' in first ? first.errors?.[0] : undefined;
  if (!error) return undefined;
  const code = error.extensions?.code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}

/**
 * Yoga's own logger: its debug lines ("Processing GraphQL Parameters") only repeat the request line,
 * so it logs from `info` up, and never below the configured level. Its `error` is called for every
 * error it masks, expected ones included (a wrong password, RATE_LIMITED, an unreachable database),
 * with a stack each time; maskedErrors (http/errors.ts) already logs each at the level it deserves.
 */
export function yogaLogger(logger: Logger): YogaLogger {
  const quietest = Math.max(
    logger.levels.values[logger.level] ?? 0,
    logger.levels.values.info ?? 30,
  );
  const level = logger.level === 'silent' ? 'silent' : (logger.levels.labels[quietest] ?? 'info');
  const child = logger.child({ component: 'yoga' }, { level });
  return {
    debug: child.debug.bind(child),
    info: child.info.bind(child),
    warn: child.warn.bind(child),
    error: child.debug.bind(child),
  };
}
