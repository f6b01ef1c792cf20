/**
 * Writes collected in memory and sent later, a batch at a time, so that the request that caused them
 * never waits for them (session touches, failed sign-ins). A timer flushes what is pending; `flush()`
 * does it at once, one flush at a time. A batch that fails (the database away) goes back in front of
 * what arrived meanwhile, for the next attempt, and nothing already written is sent twice.
 */

export interface WriteBehindOptions<T> {
  /** How long an item may wait before it is written. */
  flushMs: number;
  /** Items with one key replace each other (the latest wins); without a key every item is kept. */
  key?: (item: T) => string;
  /** Items kept waiting at most; beyond it the oldest are dropped (a flood must not grow the heap). */
  maxPending?: number;
  /** Items per call of `write`; each call is one statement or transaction. @default all */
  chunkSize?: number;
  /** Writes one chunk, all or nothing; throws to keep it and the chunks after it. */
  write: (items: T[]) => Promise<void>;
  onError?: (error: unknown) => void;
}

export class WriteBehind<T> {
  private pending = new Map<string, T>();
  private nextKey = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: WriteBehindOptions<T>) {}

  add(item: T): void {
    this.pending.set(this.keyOf(item), item);
    this.trim();
    this.schedule();
  }

  get size(): number {
    return this.pending.size;
  }

  /** Writes everything pending now. */
  flush(): Promise<void> {
    this.flushing ??= this.writePending().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /** The last flush: what fails then stays pending, with no timer to try again after the database closed. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopTimer();
    await this.flush();
  }

  private async writePending(): Promise<void> {
    this.stopTimer();
    const batch = [...this.pending.values()];
    this.pending = new Map();
    const size = this.options.chunkSize ?? Math.max(batch.length, 1);
    for (let start = 0; start < batch.length; start += size) {
      try {
        await this.options.write(batch.slice(start, start + size));
      } catch (error) {
        this.putBack(batch.slice(start));
        this.options.onError?.(error);
        return;
      }
    }
  }

  /** Unwritten items go before newer ones; an item replaced meanwhile keeps its newer value. */
  private putBack(items: T[]): void {
    const newer = this.pending;
    this.pending = new Map();
    for (const item of items) {
      const key = this.keyOf(item);
      if (!newer.has(key)) this.pending.set(key, item);
    }
    for (const [key, item] of newer) this.pending.set(key, item);
    this.trim();
    this.schedule();
  }

  private keyOf(item: T): string {
    return this.options.key ? this.options.key(item) : `#${this.nextKey++}`;
  }

  private trim(): void {
    const max = this.options.maxPending ?? Number.POSITIVE_INFINITY;
    for (const key of this.pending.keys()) {
      if (this.pending.size <= max) break;
      this.pending.delete(key);
    }
  }

  private schedule(): void {
    if (this.timer || this.closed || this.pending.size === 0) return;
    this.timer = setTimeout(() => void this.flush(), this.options.flushMs);
    this.timer.unref();
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
