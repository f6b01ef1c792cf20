import type { PrismaClient, Session } from '../../generated/prisma/client.js';
import type { CommittedChange, CommittedChanges } from './sync.js';

/**
 * Open streams (subscriptions) and the sessions they live on. A stream never outlives its session:
 * every committed change that touches the session or its user (on any instance, through the bus) makes
 * the streams on it check their session again, and a timer at the session's expiry does the same. An
 * idle stream costs nothing: the check runs only when a change or an expiry comes due.
 */

/** Runs `run` once the clock reaches `at`; returns a cancel. Tests pass one driven by their clock. */
export type Schedule = (at: Date, run: () => void) => () => void;

export interface StreamLimits {
  perSession: number;
  perUser: number;
}

/**
 * Why a stream ended: its session did; newer streams pushed it out; or events or its session's state
 * could not be confirmed (the client refetches and subscribes again).
 */
export type StreamEnd = 'session-ended' | 'displaced' | 'resync';

export interface OpenStream {
  /** Resolves once the stream must end. */
  readonly ended: Promise<StreamEnd>;
  /** The stream ended on its own (the client left, or its source completed). */
  close(): void;
}

interface Entry {
  sessionId: string;
  userId: string;
  expiresAt: Date;
  cancelTimer: () => void;
  end(reason: StreamEnd): void;
}

// Timers are limited to 2^31-1 ms; a longer wait is re-armed when it fires.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Real timers, reading the server's clock (which tests may move). */
export function realSchedule(now: () => Date): Schedule {
  return (at, run) => {
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      const wait = at.getTime() - now().getTime();
      if (wait <= 0) {
        timer = undefined;
        run();
        return;
      }
      timer = setTimeout(arm, Math.min(wait, MAX_TIMER_MS));
      timer.unref();
    };
    arm();
    return () => clearTimeout(timer);
  };
}

export class OpenStreams {
  private readonly bySession = new Map<string, Set<Entry>>();
  private readonly byUser = new Map<string, Set<Entry>>();
  private readonly stopObserving: () => void;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly limits: StreamLimits,
    private readonly now: () => Date,
    private readonly schedule: Schedule,
    changes: CommittedChanges,
    private readonly onCheckError: (error: unknown) => void = () => {},
  ) {
    this.stopObserving = changes.observe((change) => this.changed(change));
  }

  get size(): number {
    let count = 0;
    for (const entries of this.bySession.values()) count += entries.size;
    return count;
  }

  /** Registers a stream on a live session; the oldest streams past the caps end now. */
  open(session: Pick<Session, 'id' | 'userId' | 'expiresAt'>): OpenStream {
    let resolve: (reason: StreamEnd) => void = () => {};
    const ended = new Promise<StreamEnd>((r) => {
      resolve = r;
    });
    const entry: Entry = {
      sessionId: session.id,
      userId: session.userId,
      expiresAt: session.expiresAt,
      cancelTimer: () => {},
      end: (reason) => {
        this.remove(entry);
        resolve(reason);
      },
    };
    this.add(entry);
    this.arm(entry);
    // Once now: a change that committed after the caller validated the session but before this
    // registration was announced to nobody here.
    void this.check([entry]);
    // Beyond the caps the oldest give way, so a client that leaks streams hurts only itself.
    this.trim(this.bySession.get(entry.sessionId), this.limits.perSession);
    this.trim(this.byUser.get(entry.userId), this.limits.perUser);
    return { ended, close: () => this.remove(entry) };
  }

  /** Ends every stream of the user. */
  endUser(userId: string, reason: StreamEnd): void {
    for (const entry of [...(this.byUser.get(userId) ?? [])]) entry.end(reason);
  }

  /** Ends every stream (shutdown), so their responses finish instead of holding the server open. */
  close(): void {
    this.stopObserving();
    for (const entries of [...this.bySession.values()])
      for (const entry of [...entries]) entry.end('session-ended');
  }

  private changed(change: CommittedChange): void {
    if (this.bySession.size === 0) return;
    const affected = new Set<Entry>();
    if (change === 'all') {
      for (const entries of this.bySession.values())
        for (const entry of entries) affected.add(entry);
    } else {
      for (const id of change.sessions ?? [])
        for (const entry of this.bySession.get(id) ?? []) affected.add(entry);
      for (const id of change.users ?? [])
        for (const entry of this.byUser.get(id) ?? []) affected.add(entry);
    }
    if (affected.size) void this.check([...affected]);
  }

  /** One query for every stream concerned: those whose session is gone or expired end. */
  private async check(entries: Entry[]): Promise<void> {
    const ids = [...new Set(entries.map((entry) => entry.sessionId))];
    let live: Map<string, Date>;
    try {
      const rows = await this.prisma.session.findMany({
        where: { id: { in: ids }, expiresAt: { gt: this.now() } },
        select: { id: true, expiresAt: true },
      });
      live = new Map(rows.map((row) => [row.id, row.expiresAt]));
    } catch (error) {
      // Fail closed: a stream whose session cannot be confirmed must not go on; the client reconnects.
      this.onCheckError(error);
      for (const entry of entries) entry.end('resync');
      return;
    }
    for (const entry of entries) {
      const expiresAt = live.get(entry.sessionId);
      if (!expiresAt) {
        entry.end('session-ended');
      } else if (expiresAt.getTime() !== entry.expiresAt.getTime()) {
        // The session slid forward (used elsewhere): wait for its new expiry instead.
        entry.expiresAt = expiresAt;
        this.arm(entry);
      }
    }
  }

  private arm(entry: Entry): void {
    entry.cancelTimer();
    entry.cancelTimer = this.schedule(entry.expiresAt, () => void this.check([entry]));
  }

  private trim(entries: Set<Entry> | undefined, max: number): void {
    if (!entries) return;
    // A Set iterates in insertion order: the first ones are the oldest.
    for (const entry of [...entries].slice(0, Math.max(0, entries.size - max)))
      entry.end('displaced');
  }

  private add(entry: Entry): void {
    addTo(this.bySession, entry.sessionId, entry);
    addTo(this.byUser, entry.userId, entry);
  }

  private remove(entry: Entry): void {
    entry.cancelTimer();
    removeFrom(this.bySession, entry.sessionId, entry);
    removeFrom(this.byUser, entry.userId, entry);
  }
}

function addTo(index: Map<string, Set<Entry>>, key: string, entry: Entry): void {
  const entries = index.get(key);
  if (entries) entries.add(entry);
  else index.set(key, new Set([entry]));
}

function removeFrom(index: Map<string, Set<Entry>>, key: string, entry: Entry): void {
  const entries = index.get(key);
  entries?.delete(entry);
  if (entries?.size === 0) index.delete(key);
}
