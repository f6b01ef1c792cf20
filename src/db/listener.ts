import pg from 'pg';
import type { Logger } from '../logger.js';
import { failureDetails } from './unavailable.js';

/**
 * PostgreSQL's LISTEN over one dedicated connection (a pooled one could be handed back and lose its
 * LISTEN), shared by every channel of the process, reconnecting with backoff. NOTIFY is transactional:
 * sent inside a transaction, it is delivered only when that commits.
 */

export interface ChannelHandlers {
  message(payload: string): void;
  /** LISTEN is in place (again): whatever was sent while it was not has been missed. */
  up?(): void;
  /** The connection is gone: nothing sent from now until `up` will arrive. */
  down?(): void;
}

export interface Listener {
  /** Resolves the first time every channel listens. */
  ready: Promise<void>;
  listen(channel: string, handlers: ChannelHandlers): void;
  /**
   * Sends on the listening connection, outside any transaction; dropped while it is down (listeners
   * catch up when it is back, see `up`).
   */
  notify(channel: string, payload?: string): void;
  close(): Promise<void>;
}

export interface ListenerOptions {
  url: string;
  logger: Logger;
  /** First reconnect delay; doubles up to 5 s. @default 250 */
  retryMs?: number;
}

const CHANNEL_NAME = /^[a-z_][a-z0-9_]*$/;

export const LISTENER_APPLICATION_NAME = 'sessiongraph-listener';

export function startListener({ url, logger, retryMs = 250 }: ListenerOptions): Listener {
  const channels = new Map<string, ChannelHandlers>();
  // Named in pg_stat_activity, for operators (and tests) looking for the listening connection; in the
  // URL, since pg lets a connection string's (absent) parameter override the option.
  const named = new URL(url);
  named.searchParams.set('application_name', LISTENER_APPLICATION_NAME);
  let client: pg.Client | undefined;
  let listening = false;
  let closed = false;
  let delay = retryMs;
  let retry: NodeJS.Timeout | undefined;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  const lost = (current: pg.Client, reason: unknown) => {
    if (client !== current) return;
    client = undefined;
    const wasListening = listening;
    listening = false;
    current.removeAllListeners('notification');
    current.end().catch(() => {});
    if (wasListening) for (const handlers of channels.values()) handlers.down?.();
    if (closed) return;
    logger.warn(failureDetails(reason), `notification channel lost; reconnecting in ${delay} ms`);
    retry = setTimeout(connect, delay);
    retry.unref();
    delay = Math.min(delay * 2, 5_000);
  };

  const connect = async () => {
    retry = undefined;
    if (closed) return;
    const next = new pg.Client({
      connectionString: named.toString(),
      keepAlive: true,
      connectionTimeoutMillis: 5_000,
    });
    next.on('error', (error) => lost(next, error));
    next.on('end', () => lost(next, new Error('connection ended')));
    next.on('notification', ({ channel, payload }) =>
      channels.get(channel)?.message(payload ?? ''),
    );
    client = next;
    try {
      await next.connect();
      for (const channel of channels.keys()) await next.query(`LISTEN ${channel}`);
    } catch (error) {
      lost(next, error);
      return;
    }
    if (client !== next || closed) return;
    listening = true;
    delay = retryMs;
    logger.debug({ channels: [...channels.keys()] }, 'listening for notifications');
    for (const handlers of channels.values()) handlers.up?.();
    markReady();
  };

  // Started on the next turn, so channels registered in the same tick share the first LISTEN.
  queueMicrotask(() => void connect());

  return {
    ready,
    listen(channel, handlers) {
      // The name goes into SQL text (LISTEN takes no parameters): only our own identifiers.
      if (!CHANNEL_NAME.test(channel)) throw new Error(`not a channel name: ${channel}`);
      channels.set(channel, handlers);
      const current = client;
      if (!listening || !current) return;
      current.query(`LISTEN ${channel}`).then(
        () => handlers.up?.(),
        (error: unknown) => lost(current, error),
      );
    },
    notify(channel, payload = '') {
      if (!listening || !client) return;
      client.query('SELECT pg_notify($1, $2)', [channel, payload]).catch(() => {});
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const current = client;
      client = undefined;
      if (listening) for (const handlers of channels.values()) handlers.down?.();
      listening = false;
      await current?.end().catch(() => {});
    },
  };
}
