import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, randomInt } from 'node:crypto';
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';
import type { MailMessage } from './templates.js';
import { inProcessWake, type MailWake } from './wake.js';

/**
 * Mail is written to the outbox in the transaction of the change that causes it, and sent later by the
 * worker: an SMTP outage delays it but cannot lose it or slow the request. The bodies are sealed with a
 * key derived from SESSION_SECRET, because a reset code in clear text in a dump is as good as no hash.
 */

export type OutboxDb = PrismaClient | Prisma.TransactionClient;

export interface MailBody {
  text: string;
  html: string;
}

const SEAL_VERSION = 'v1';

export class MailOutbox {
  private readonly keys: Buffer[];

  /** `secrets`: the first seals; all open (rotation keeps queued mail readable). */
  constructor(
    secrets: readonly string[],
    private readonly waking: MailWake = inProcessWake(),
  ) {
    if (secrets.length === 0) throw new Error('no secret to seal mail with');
    this.keys = secrets.map((secret) =>
      Buffer.from(hkdfSync('sha256', secret, '', 'sessiongraph mail outbox', 32)),
    );
  }

  /** Writes the message in the caller's transaction; call wake() once that transaction has committed. */
  async enqueue(db: OutboxDb, message: MailMessage): Promise<void> {
    await db.mailOutbox.create({
      data: {
        to: message.to,
        subject: message.subject,
        body: this.seal({ text: message.text, html: message.html }),
      },
      select: { id: true },
    });
  }

  /**
   * The work of enqueue and of one more write, leaving no row: callers that must not reveal whether they
   * sent anything (forgetPassword for an unknown address) pay for sealing and two writes, as the known
   * path does, so even the commit costs the same.
   */
  async rehearse(db: OutboxDb, message: MailMessage): Promise<void> {
    const { id } = await db.mailOutbox.create({
      data: {
        to: '',
        subject: message.subject,
        body: this.seal({ text: message.text, html: message.html }),
        status: 'void',
      },
      select: { id: true },
    });
    await db.mailOutbox.deleteMany({ where: { id } });
  }

  /** Tells a worker that mail is waiting, so it need not wait for its next poll. */
  wake(): void {
    this.waking.wake();
  }

  /**
   * Wakes a worker after a random delay below `withinMs`: mail that must arrive promptly, from a request
   * whose timing must not reveal whether it wrote any (forgetPassword). Called on both paths, the wake
   * falls at no fixed time after either, as a poll would.
   */
  wakeWithin(withinMs: number): void {
    setTimeout(() => this.wake(), randomInt(withinMs)).unref();
  }

  onWake(listener: () => void): () => void {
    return this.waking.onWake(listener);
  }

  seal(body: MailBody): string {
    const key = this.keys[0] as Buffer;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const sealed = Buffer.concat([cipher.update(JSON.stringify(body), 'utf8'), cipher.final()]);
    return [SEAL_VERSION, iv, cipher.getAuthTag(), sealed]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** The body, or undefined when no configured secret opens it (it was sealed with a retired secret). */
  open(sealed: string): MailBody | undefined {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== SEAL_VERSION || !iv || !tag || data === undefined) return undefined;
    for (const key of this.keys) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), {
          authTagLength: 16,
        });
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        const plain = Buffer.concat([
          decipher.update(Buffer.from(data, 'base64url')),
          decipher.final(),
        ]).toString('utf8');
        return JSON.parse(plain) as MailBody;
      } catch {}
    }
    return undefined;
  }
}
