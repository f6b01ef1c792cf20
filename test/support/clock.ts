/**
 * A clock the test moves by hand, given to a server as `startServer({ now: clock.now })`: lifetimes are
 * checked at their edges without waiting for them. It stands still between moves, so two things done in
 * a row happen at the same instant unless the test says otherwise.
 */
export class TestClock {
  private ms: number;

  constructor(start: Date = new Date()) {
    this.ms = start.getTime();
  }

  private readonly timers = new Set<{ at: number; run: () => void }>();

  readonly now = (): Date => new Date(this.ms);

  /** A timer on this clock (the server's `schedule`): it fires when `advance` reaches `at`. */
  readonly schedule = (at: Date, run: () => void): (() => void) => {
    const timer = { at: at.getTime(), run };
    if (timer.at <= this.ms) {
      queueMicrotask(run);
      return () => {};
    }
    this.timers.add(timer);
    return () => this.timers.delete(timer);
  };

  /** When the timers not yet fired are due, in ms since the epoch: a test can see that one was armed. */
  pendingTimers(): number[] {
    return [...this.timers].map((timer) => timer.at);
  }

  /** Moves time forward by `ms`, firing the timers that come due. */
  advance(ms: number): void {
    this.ms += ms;
    for (const timer of [...this.timers]) {
      if (timer.at > this.ms) continue;
      this.timers.delete(timer);
      timer.run();
    }
  }
}

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
