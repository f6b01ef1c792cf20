import { getOperationAST } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { OpenStream, OpenStreams, StreamEnd } from '../core/sessions/streams.js';
import type { Context } from '../schema/context.js';

/**
 * Every subscription, in one place: served only over POST (GET answers 405), not counted as the
 * session's activity, registered with the session it was opened on, and completed as soon as that
 * session ends (core/sessions/streams.ts watches for it) or newer streams push it past the caps. A
 * subscription added later needs nothing of its own to get this.
 *
 * Before completing, the stream sends one last result `{ "extensions": { "streamEnd": reason } }`:
 * `SESSION_ENDED` (sign in again), `DISPLACED` (too many streams open: do not reopen at once),
 * `RESYNC` (events may have been missed: refetch, then subscribe again). web/src/live-events.ts reads it.
 */

const END_CODES: Record<StreamEnd, string> = {
  'session-ended': 'SESSION_ENDED',
  displaced: 'DISPLACED',
  resync: 'RESYNC',
};

// Marked at parse, read when the context is built (which Yoga does after parsing).
const streamRequests = new WeakSet<Request>();

/** Whether this request opens a subscription: its session lookup must not count as activity. */
export const opensStream = (request: Request): boolean => streamRequests.has(request);

export function useStreamLifetime(streams: OpenStreams): Plugin<Context> {
  return {
    onParse() {
      return ({ result, context }) => {
        const request = (context as Partial<Context>).request;
        if (!request || result instanceof Error) return;
        const operation = getOperationAST(result, context.params?.operationName);
        if (operation?.operation !== 'subscription') return;
        // A GET can be made by any page (an <img>, a link): a stream holds a session's events.
        if (request.method !== 'POST')
          throw createGraphQLError('Subscriptions are served over POST only.', {
            extensions: {
              code: 'BAD_REQUEST',
              http: { status: 405, headers: { Allow: 'POST' } },
            },
          });
        // Served as Server-Sent Events only: under `*/*` or JSON there is no framing to stream in, and
        // Yoga would hold the request open with nothing sent.
        if (!request.headers.get('accept')?.toLowerCase().includes('text/event-stream'))
          throw createGraphQLError('Subscriptions need Accept: text/event-stream.', {
            extensions: { code: 'BAD_REQUEST', http: { status: 406 } },
          });
        streamRequests.add(request);
      };
    },
    onSubscribe({ args }) {
      const viewer = (args.contextValue as Context).viewer;
      // No session, nothing to outlive: signed-in subscriptions refuse such a request themselves.
      if (!viewer) return;
      return {
        onSubscribeResult({ result, setResult }) {
          if (!(Symbol.asyncIterator in result)) return;
          setResult(untilEnded(result, streams.open(viewer.session)));
        },
      };
    },
  };
}

/** The source's results until the stream must end; then one last result naming why, then done. */
function untilEnded<T>(source: AsyncIterable<T>, stream: OpenStream): AsyncIterableIterator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  let reason: StreamEnd | undefined;
  const ended = stream.ended.then((why) => {
    reason = why;
    return 'ended' as const;
  });
  const finish = async () => {
    if (finished) return;
    finished = true;
    stream.close();
    await iterator.return?.();
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      if (finished) return { done: true, value: undefined };
      const next = await Promise.race([iterator.next(), ended]);
      if (next === 'ended') {
        await finish();
        const farewell = { extensions: { streamEnd: END_CODES[reason ?? 'session-ended'] } };
        return { done: false, value: farewell as T };
      }
      if (next.done) await finish();
      return next;
    },
    // The client left: the source stops (its `return` settles a pending `next` at once).
    async return() {
      await finish();
      return { done: true, value: undefined };
    },
  };
}
