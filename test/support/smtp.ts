import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server inside the test process. It accepts everything sent to it, parses it, and can be
 * stopped and started again on the same port to play an outage.
 */

export interface ReceivedMail {
  /** Envelope recipients, lower-cased. */
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  receivedAt: Date;
}

export interface WaitOptions {
  /** Only messages received at or after this index of `messages` count (see `mark()`). @default 0 */
  after?: number;
  /** @default 10s */
  timeoutMs?: number;
}

export class TestSmtp {
  readonly messages: ReceivedMail[] = [];
  private server: SMTPServer | undefined;
  private waiters = new Set<() => void>();

  private constructor(public port: number) {}

  /** Starts on a free port of 127.0.0.1. */
  static async start(): Promise<TestSmtp> {
    const smtp = new TestSmtp(0);
    await smtp.listen();
    return smtp;
  }

  /** The SMTP_URL that points the app here (plain SMTP: this server offers no STARTTLS). */
  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  /** The index the next message will have; pass it as `after` to wait for newer mail only. */
  mark(): number {
    return this.messages.length;
  }

  /** Stops listening: from now on connections are refused, as with a server that is down. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Listens again on the same port. */
  async restart(): Promise<void> {
    if (!this.server) await this.listen();
  }

  /** The first message (at or after `after`) the predicate accepts, waiting for it to arrive. */
  async waitFor(
    predicate: (mail: ReceivedMail) => boolean,
    options: WaitOptions = {},
  ): Promise<ReceivedMail> {
    const { after = 0, timeoutMs = 10_000 } = options;
    const find = () => this.messages.slice(after).find(predicate);
    const found = find();
    if (found) return found;
    return new Promise<ReceivedMail>((resolve, reject) => {
      const check = () => {
        const mail = find();
        if (!mail) return;
        cleanup();
        resolve(mail);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `no matching mail within ${timeoutMs} ms (received ${this.messages.length} in all)`,
          ),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  /** Waits until `count` messages (at or after `after`) match, and returns them. */
  async waitForCount(
    count: number,
    predicate: (mail: ReceivedMail) => boolean = () => true,
    options: WaitOptions = {},
  ): Promise<ReceivedMail[]> {
    const { after = 0, timeoutMs = 10_000 } = options;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const matching = this.messages.slice(after).filter(predicate);
      if (matching.length >= count) return matching;
      if (Date.now() > deadline) {
        throw new Error(
          `expected ${count} matching mails within ${timeoutMs} ms, got ${matching.length}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Messages to this address (at or after `after`). */
  to(address: string, after = 0): ReceivedMail[] {
    return this.messages.slice(after).filter((mail) => mail.to.includes(address.toLowerCase()));
  }

  private async listen(): Promise<void> {
    const server = new SMTPServer({
      // Plain, unauthenticated SMTP on loopback: what a test needs and nothing a client must negotiate.
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      logger: false,
      onData: (stream, session, callback) => {
        const to = session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase());
        simpleParser(stream)
          .then((parsed) => {
            this.messages.push({
              to,
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              messageId: parsed.messageId ?? '',
              receivedAt: new Date(),
            });
            callback();
            for (const waiter of [...this.waiters]) waiter();
          })
          .catch((error: Error) => callback(error));
      },
    });
    // A client that dies mid-message (a server under test killed with SIGKILL) surfaces here as
    // ECONNRESET; unheard, it would be an uncaught exception in the test process. The message is simply lost.
    server.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }
}

/** The 6-digit code of a reset mail: the line that holds nothing else. */
export function codeIn(mail: ReceivedMail): string {
  const match = /^(\d{6})$/m.exec(mail.text);
  if (!match?.[1]) throw new Error(`no code in mail "${mail.subject}"`);
  return match[1];
}
