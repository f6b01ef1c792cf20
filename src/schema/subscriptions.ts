import type { EventFeed } from '../core/auth/events/event-feed.js';
import type { OpenStreams } from '../core/sessions/streams.js';
import type { SecurityEvent as SecurityEventRow } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import { SecurityEvent } from './security-events.js';

/**
 * Subscriptions. Each is served over Server-Sent Events and ends with the session it was opened on;
 * that guarantee is not made here but once for every subscription, by http/stream-lifetime.ts.
 */

builder.subscriptionType({});

builder.subscriptionField('sessionEvents', (t) =>
  t.withAuth({ signedIn: true }).field({
    type: SecurityEvent,
    description:
      "The viewer's security events as they commit, from any instance; ends with its session.",
    subscribe: (_root, _args, { viewer, services }) =>
      eventsOf(viewer.user.id, services.feed, services.streams),
    resolve: (event) => event,
  }),
);

/** The user's events from now on, until the consumer stops; events missed beyond repair end the user's streams. */
function eventsOf(
  userId: string,
  feed: EventFeed,
  streams: OpenStreams,
): AsyncIterableIterator<SecurityEventRow> {
  const queued: SecurityEventRow[] = [];
  let waiting: ((result: IteratorResult<SecurityEventRow>) => void) | undefined;
  let done = false;
  const unsubscribe = feed.subscribe(userId, {
    onEvent(event) {
      if (waiting) {
        const wake = waiting;
        waiting = undefined;
        wake({ done: false, value: event });
      } else queued.push(event);
    },
    onResync: () => streams.endUser(userId, 'resync'),
  });
  const stop = (): IteratorResult<SecurityEventRow> => {
    done = true;
    unsubscribe();
    queued.length = 0;
    waiting?.({ done: true, value: undefined });
    waiting = undefined;
    return { done: true, value: undefined };
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next() {
      const event = queued.shift();
      if (event) return Promise.resolve({ done: false, value: event });
      if (done) return Promise.resolve({ done: true, value: undefined });
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    // Called while a `next` may be pending (the client left, or the session ended): it settles at once.
    return: () => Promise.resolve(stop()),
  };
}
