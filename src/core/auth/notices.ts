import { createHash } from 'node:crypto';
import type { Config } from '../../config.js';
import { Prisma } from '../../generated/prisma/client.js';
import { deviceFamily } from '../device-name.js';
import type { Limits } from '../limits/limits.js';
import type { MailOutbox, OutboxDb } from '../mail/outbox.js';
import {
  accountEvent,
  newSignInMail,
  passwordChangedMail,
  type Recipient,
  securityNoticeMail,
} from '../mail/templates.js';
import type { ClientInfo } from '../sessions/store.js';

/**
 * The security notices mature products send: "your password was changed" and "new sign-in to your
 * account". Each is enqueued in the caller's transaction, so it goes out exactly when the change commits.
 */

export type NoticeSettings = Pick<Config['mail'], 'notifyPasswordChanged' | 'notifyNewSignIn'>;

/**
 * A notice's recipient, with the normalised address its notices are counted under and whether that
 * address is proven.
 */
export type NoticeRecipient = Recipient & { emailKey: string; emailVerifiedAt: Date | null };

export class SecurityNotices {
  constructor(
    private readonly outbox: MailOutbox,
    private readonly settings: NoticeSettings,
    private readonly limits: Pick<Limits, 'notice'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Records the device + IP pair as the account's own; true when it had not been seen before. */
  async rememberDevice(db: OutboxDb, userId: string, client: ClientInfo): Promise<boolean> {
    const [row] = await db.$queryRaw<{ is_new: boolean }[]>(
      rememberDeviceSql(userId, deviceFingerprint(client), this.now()),
    );
    return row?.is_new === true;
  }

  /**
   * After a sign-in from a device + IP pair new to the account (`rememberDevice`, or the sign-in's own
   * statement): the "new sign-in" notice. True when one was queued: only then is a mail worker worth
   * waking (a wake is a NOTIFY, and an outbox query on every instance).
   */
  async newDevice(
    db: OutboxDb,
    user: NoticeRecipient & { id: string },
    client: ClientInfo,
  ): Promise<boolean> {
    if (!(this.settings.notifyNewSignIn && (await this.mayNotify(db, user)))) return false;
    await this.outbox.enqueue(db, newSignInMail(user, this.event(client)));
    return true;
  }

  async passwordChanged(db: OutboxDb, user: NoticeRecipient, client: ClientInfo): Promise<void> {
    if (this.settings.notifyPasswordChanged && (await this.mayNotify(db, user)))
      await this.outbox.enqueue(db, passwordChangedMail(user, this.event(client)));
  }

  /**
   * A notice in the account's own words (second factors turned on or off, a recovery code used, the
   * factor step locked), on the same terms as the others; true when it was queued.
   */
  async notice(
    db: OutboxDb,
    user: NoticeRecipient,
    content: { subject: string; lead: string; advice: string },
    client: ClientInfo,
  ): Promise<boolean> {
    if (!(await this.mayNotify(db, user))) return false;
    await this.outbox.enqueue(db, securityNoticeMail(user, content, this.event(client)));
    return true;
  }

  /**
   * Anyone can sign up with someone else's address and then trigger notices at will: notices go only to
   * an address the account has proven (API.md), and are capped per address so that they cannot be
   * turned into a mail cannon. Otherwise the notice is dropped without a word.
   */
  private async mayNotify(db: OutboxDb, user: NoticeRecipient): Promise<boolean> {
    if (user.emailVerifiedAt === null) return false;
    return this.limits.notice(db, user.emailKey);
  }

  /** Call after the transaction that enqueued has committed. */
  wake(): void {
    this.outbox.wake();
  }

  private event(client: ClientInfo) {
    return accountEvent(this.now(), client);
  }
}

/**
 * The upsert that records a device + IP pair, as one statement or (with `from`, a CTE of the caller's that
 * yields one row or none) as part of one. It decides atomically, so two parallel sign-ins from a new pair
 * send one notice: only the row's inserter sees xmax = 0 (a conflicting one waits for it, then updates).
 */
export function rememberDeviceSql(
  userId: string,
  fingerprint: string,
  now: Date,
  from: Prisma.Sql = Prisma.empty,
): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO known_devices (user_id, fingerprint, first_seen_at, last_seen_at)
    SELECT ${userId}::uuid, ${fingerprint}, ${now}, ${now} ${from}
    ON CONFLICT (user_id, fingerprint) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at
    RETURNING (xmax = 0) AS is_new`;
}

/**
 * What makes a sign-in's device known: the browser and system without versions (an update is no new
 * device; a user agent bowser does not know counts as written) and the IP.
 */
export function deviceFingerprint(client: ClientInfo): string {
  const device = deviceFamily(client.userAgent) ?? client.userAgent ?? '';
  return createHash('sha256')
    .update(`${device}\n${client.ip ?? ''}`)
    .digest('hex');
}
