import { failureDetails } from '../../db/unavailable.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';
import type { MailOutbox } from './outbox.js';
import type { MailTransport } from './transport.js';

/**
 * Sends what the outbox holds. Each round claims due rows in one short statement (`FOR UPDATE SKIP
 * LOCKED`, so instances sharing a database never claim the same row), leasing them for `leaseMs`; a
 * worker that dies mid-send leaves the lease to expire and another instance picks the row up. Failures
 * go back to `pending` with exponential backoff until `maxAttempts`, then stay as `failed`. Delivery is
 * at-least-once: the row id is the Message-ID, so a resend after a crash can be recognised.
 */

export interface MailWorkerOptions {
  pollIntervalMs: number;
  retryBaseMs: number;
  maxAttempts: number;
  /** How long a claimed row belongs to its worker; longer than any send can take. @default 2 minutes */
  leaseMs?: number;
  /** @default 10 */
  batchSize?: number;
  /** @default 1 hour */
  retryCapMs?: number;
}

interface ClaimedRow {
  id: string;
  to: string;
  subject: string;
  body: string | null;
  attempts: number;
}

export interface RoundResult {
  claimed: number;
  sent: number;
  failed: number;
}

// Sent mail is kept a week for the record; its sweep only reclaims space, so an idle instance rarely runs it.
const SWEEP_INTERVAL_MS = 5 * 60_000;
/** Sent rows are kept this long (subject and recipient only; the body is erased on sending). */
const SENT_RETENTION_MS = 7 * 86_400_000;

export class MailWorker {
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly retryCapMs: number;
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private current: Promise<void> | undefined;
  private wokenDuringRound = false;
  private failedRounds = 0;
  private lastSweep = 0;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly outbox: MailOutbox,
    private readonly transport: MailTransport,
    private readonly logger: Logger,
    private readonly options: MailWorkerOptions,
  ) {
    this.leaseMs = options.leaseMs ?? 120_000;
    this.batchSize = options.batchSize ?? 10;
    this.retryCapMs = options.retryCapMs ?? 3_600_000;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.unsubscribe = this.outbox.onWake(() => this.wake());
    this.schedule(0);
  }

  /** Stops polling and waits for the round in flight; the transport is closed. */
  async stop(): Promise<void> {
    this.started = false;
    this.unsubscribe?.();
    clearTimeout(this.timer);
    await this.current;
    this.transport.close();
  }

  /** Runs a round now rather than at the next poll (mail was just committed). */
  wake(): void {
    if (!this.started) return;
    if (this.current) this.wokenDuringRound = true;
    else this.schedule(0);
  }

  /** Rounds until nothing is due; for tests and for shutdown scripts. */
  async drain(): Promise<RoundResult> {
    const total: RoundResult = { claimed: 0, sent: 0, failed: 0 };
    for (;;) {
      const round = await this.runOnce();
      total.claimed += round.claimed;
      total.sent += round.sent;
      total.failed += round.failed;
      if (round.claimed === 0) return total;
    }
  }

  /** Claims up to one batch of due mail and tries to send each. */
  async runOnce(): Promise<RoundResult> {
    const rows = await this.claim();
    let sent = 0;
    let failed = 0;
    for (const row of rows) {
      if (await this.deliver(row)) sent++;
      else failed++;
    }
    return { claimed: rows.length, sent, failed };
  }

  private schedule(delayMs: number): void {
    if (!this.started) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), delayMs);
    // A pending poll must not keep a process alive that has nothing else to do.
    this.timer.unref();
  }

  private tick(): void {
    if (this.current || !this.started) return;
    let nextDue: number | undefined;
    this.current = this.rounds()
      .then((due) => {
        nextDue = due;
        this.failedRounds = 0;
      })
      .catch((error: unknown) => {
        this.failedRounds++;
        const details = { ...failureDetails(error), failedRounds: this.failedRounds };
        // The database being away is waited out like an SMTP outage; anything else is a fault of ours.
        if ('reason' in details) this.logger.warn(details, 'mail worker round failed; will retry');
        else this.logger.error(details, 'mail worker round failed; will retry');
      })
      .finally(() => {
        this.current = undefined;
        const poll = this.options.pollIntervalMs;
        // While the database is away, poll ever less often (up to 30 s) rather than log every second.
        if (this.failedRounds > 0)
          this.schedule(Math.max(poll, Math.min(30_000, poll * 2 ** this.failedRounds)));
        else if (this.wokenDuringRound) this.schedule(0);
        // Asleep until the next retry falls due; the poll only catches what no wake announced.
        else this.schedule(Math.min(poll, Math.max(0, (nextDue ?? Infinity) - Date.now())));
        this.wokenDuringRound = false;
      });
  }

  /** Sends everything due; resolves with when the next queued mail falls due (epoch ms), if any. */
  private async rounds(): Promise<number | undefined> {
    this.wokenDuringRound = false;
    while (this.started) {
      const round = await this.runOnce();
      if (round.claimed < this.batchSize) break;
    }
    if (this.started && Date.now() - this.lastSweep >= SWEEP_INTERVAL_MS) {
      this.lastSweep = Date.now();
      await this.sweep();
    }
    const [next] = await this.prisma.$queryRaw<{ due: Date | null }[]>`
      SELECT min(next_attempt_at) AS due FROM mail_outbox WHERE status IN ('pending', 'sending')`;
    return next?.due?.getTime();
  }

  private claim(): Promise<ClaimedRow[]> {
    // One statement, so the claim is its own short transaction; rows another worker holds are skipped,
    // and a 'sending' row whose lease ran out is taken over.
    return this.prisma.$queryRaw<ClaimedRow[]>`
      UPDATE mail_outbox
         SET status = 'sending',
             attempts = attempts + 1,
             next_attempt_at = now() + ${this.leaseMs}::int * interval '1 millisecond'
       WHERE id IN (
             SELECT id FROM mail_outbox
              WHERE status IN ('pending', 'sending') AND next_attempt_at <= now()
              ORDER BY next_attempt_at
              LIMIT ${this.batchSize}::int
              FOR UPDATE SKIP LOCKED)
   RETURNING id::text AS id, "to", subject, body, attempts`;
  }

  private async deliver(row: ClaimedRow): Promise<boolean> {
    const body = row.body === null ? undefined : this.outbox.open(row.body);
    if (!body) {
      // Retrying cannot help: the secret that sealed it is gone from SESSION_SECRET.
      await this.markFailed(
        row,
        'the body cannot be opened with any configured SESSION_SECRET',
        true,
      );
      return false;
    }
    try {
      await this.transport.send({ id: row.id, to: row.to, subject: row.subject, ...body });
    } catch (error) {
      await this.markFailed(row, error instanceof Error ? error.message : String(error), false);
      return false;
    }
    await this.prisma.mailOutbox.updateMany({
      where: { id: row.id, status: 'sending' },
      data: { status: 'sent', sentAt: new Date(), body: null, lastError: null },
    });
    return true;
  }

  private async markFailed(row: ClaimedRow, reason: string, permanent: boolean): Promise<void> {
    const lastError = reason.slice(0, 1000);
    // Only while the row is still this attempt's claim: a send that failed after its lease ran out may
    // find the row sent (or being sent) by another worker, and must not queue it again.
    const stillOurs = { id: row.id, status: 'sending', attempts: row.attempts } as const;
    if (permanent || row.attempts >= this.options.maxAttempts) {
      const { count } = await this.prisma.mailOutbox.updateMany({
        where: stillOurs,
        data: { status: 'failed', lastError },
      });
      if (count > 0)
        this.logger.error(
          { mailId: row.id, attempts: row.attempts, reason: lastError },
          'mail given up',
        );
      return;
    }
    const backoff = Math.min(this.retryCapMs, this.options.retryBaseMs * 2 ** (row.attempts - 1));
    // Jitter spreads the retries of many messages that failed together.
    const delayMs = Math.round(backoff * (1 + Math.random() * 0.2));
    const requeued = await this.prisma.$executeRaw`
      UPDATE mail_outbox
         SET status = 'pending',
             next_attempt_at = now() + ${delayMs}::int * interval '1 millisecond',
             last_error = ${lastError}
       WHERE id = ${stillOurs.id}::uuid AND status = 'sending' AND attempts = ${stillOurs.attempts}::int`;
    if (requeued === 0) return;
    this.logger.warn(
      { mailId: row.id, attempts: row.attempts, retryInMs: delayMs, reason: lastError },
      'mail not sent; will retry',
    );
  }

  private async sweep(): Promise<void> {
    await this.prisma.mailOutbox.deleteMany({
      where: { status: 'sent', sentAt: { lt: new Date(Date.now() - SENT_RETENTION_MS) } },
    });
  }
}
