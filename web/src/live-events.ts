import { createClient, type ExecutionResult } from 'graphql-sse';
import { runShared } from './api/client.js';

/**
 * The account page's live feed: `subscription { sessionEvents }` over Server-Sent Events (POST,
 * `Accept: text/event-stream`, the cookie sent by the browser), kept open across network drops and
 * server restarts.
 *
 * How a stream ends, and what this module does about it:
 * - the server completes it with `extensions.streamEnd`:
 *   `SESSION_ENDED` → the session is checked once; signed out → `onSignedOut` (no reconnect);
 *   `RESYNC` → `onResync` (refetch the device list and the log), then subscribe again;
 *   `DISPLACED` (too many streams open for this session or account) → subscribe again only after
 *   the longest back-off, so tabs do not take turns pushing each other out.
 * - the connection drops or the server restarts (error, or an end without a reason) → subscribe again
 *   with exponential back-off (1 s doubling to 30 s, with jitter), then `onResync`, since events of the
 *   gap were not seen; sooner when the browser says it is back online.
 */

export interface LiveSecurityEvent {
  id: string;
  kind: string;
  at: string;
  deviceName: string | null;
  sessionId: string | null;
}

export interface LiveEventsOptions {
  onEvent(event: LiveSecurityEvent): void;
  /** The session this page runs on ended (revoked elsewhere, expired, signed out in another tab). */
  onSignedOut(): void;
  /** Events may have been missed: refetch what the page shows. */
  onResync?(): void;
  /** The GraphQL endpoint; same origin by default. */
  url?: string;
}

export interface LiveEvents {
  stop(): void;
}

const SESSION_EVENTS = 'subscription { sessionEvents { id kind at deviceName sessionId } }';
const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;

type Outcome = 'signed-out' | 'resync' | 'displaced' | 'dropped';

export function subscribeToLiveEvents(options: LiveEventsOptions): LiveEvents {
  const url = options.url ?? '/graphql';
  // Retries are ours (below): graphql-sse's own would not tell a revoked session from a dropped line.
  const client = createClient({
    url,
    credentials: 'same-origin',
    retryAttempts: 0,
    // Opened only while no mutation of this page is on its way (see runShared); once its headers have
    // arrived the stream runs on its own.
    fetchFn: (input: RequestInfo | URL, init?: RequestInit) => runShared(() => fetch(input, init)),
  });
  let stopped = false;
  let dispose: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let delay = FIRST_DELAY_MS;
  let missedEvents = false;

  const schedule = (ms: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(connect, ms);
  };
  const backOff = () => {
    schedule(delay / 2 + Math.random() * (delay / 2));
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  };
  const online = () => {
    if (missedEvents) schedule(0);
  };

  const settle = async (outcome: Outcome) => {
    dispose = undefined;
    if (stopped) return;
    if (outcome === 'signed-out' || outcome === 'dropped') {
      // A stream also fails when the session is gone (UNAUTHENTICATED): ask before retrying.
      const signedIn = await stillSignedIn(url);
      if (signedIn === false) {
        stop();
        options.onSignedOut();
        return;
      }
      missedEvents = true;
      backOff();
      return;
    }
    if (outcome === 'displaced') {
      schedule(MAX_DELAY_MS);
      return;
    }
    options.onResync?.();
    schedule(0);
  };

  function connect() {
    if (stopped) return;
    let endReason: string | undefined;
    let opened = false;
    // Open as soon as the server answers, not at the first event: what was missed during a gap is
    // fetched again at once, however quiet the account is afterwards.
    const markOpen = () => {
      if (opened) return;
      opened = true;
      delay = FIRST_DELAY_MS;
      if (missedEvents) {
        missedEvents = false;
        options.onResync?.();
      }
    };
    dispose = client.subscribe<{ sessionEvents: LiveSecurityEvent }, { streamEnd?: string }>(
      { query: SESSION_EVENTS },
      {
        next(
          result: ExecutionResult<{ sessionEvents: LiveSecurityEvent }, { streamEnd?: string }>,
        ) {
          markOpen();
          if (result.data?.sessionEvents) options.onEvent(result.data.sessionEvents);
          if (result.extensions?.streamEnd) endReason = result.extensions.streamEnd;
          if (result.errors?.some((error) => error.extensions?.code === 'UNAUTHENTICATED'))
            endReason = 'SESSION_ENDED';
        },
        complete() {
          void settle(
            endReason === 'SESSION_ENDED'
              ? 'signed-out'
              : endReason === 'DISPLACED'
                ? 'displaced'
                : endReason === 'RESYNC'
                  ? 'resync'
                  : 'dropped',
          );
        },
        error() {
          void settle(endReason === 'SESSION_ENDED' ? 'signed-out' : 'dropped');
        },
      },
      { connected: markOpen },
    );
  }

  function stop() {
    stopped = true;
    clearTimeout(timer);
    dispose?.();
    client.dispose();
    globalThis.removeEventListener?.('online', online);
  }

  globalThis.addEventListener?.('online', online);
  connect();
  return { stop };
}

/** true / false when the server answered; undefined when it could not be asked (offline, restarting). */
async function stillSignedIn(url: string): Promise<boolean | undefined> {
  try {
    // Never beside a mutation of this page: an answer to an old token would clear a new one.
    const response = await runShared(() =>
      fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
        },
        body: JSON.stringify({ query: '{ session { id } }' }),
      }),
    );
    if (!response.ok) return undefined;
    const body = (await response.json()) as { data?: { session: { id: string } | null } };
    return body.data ? body.data.session !== null : undefined;
  } catch {
    return undefined;
  }
}
