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

  readonly now = (): Date => new Date(this.ms);

  /** Moves time forward by `ms`. */
  advance(ms: number): void {
    this.ms += ms;
  }
}

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
