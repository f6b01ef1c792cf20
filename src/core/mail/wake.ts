import type { Listener } from '../../db/listener.js';

/**
 * How a committed mail reaches a worker at once: in-process on the embedded database (one process),
 * by NOTIFY on PostgreSQL, so that any instance's worker (or the one of the process that wrote it) sends
 * mail enqueued anywhere, scripts included. The worker's poll is only the fallback.
 */
export interface MailWake {
  /** Call once the transaction that enqueued mail has committed. */
  wake(): void;
  onWake(listener: () => void): () => void;
}

export const MAIL_CHANNEL = 'sessiongraph_mail';

export function inProcessWake(): MailWake {
  const listeners = new Set<() => void>();
  return {
    wake: () => {
      for (const listener of listeners) listener();
    },
    onWake(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function notifiedWake(listener: Listener): MailWake {
  const local = inProcessWake();
  listener.listen(MAIL_CHANNEL, {
    message: () => local.wake(),
    // Mail committed while the connection was down was announced to nobody.
    up: () => local.wake(),
  });
  return { wake: () => listener.notify(MAIL_CHANNEL), onWake: local.onWake };
}
