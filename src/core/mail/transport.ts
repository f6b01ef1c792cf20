import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Transporter } from 'nodemailer';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { MailMessage } from './templates.js';

/**
 * How a message leaves the process: SMTP when SMTP_URL is set, otherwise an .eml file in
 * DATA_DIR/outbox (how a developer reads a reset code). Neither path logs a message body.
 */

export interface OutgoingMail extends MailMessage {
  /** The outbox row id; it becomes the Message-ID, so a resend after a crash is recognisable as one. */
  id: string;
}

export interface MailTransport {
  /** Resolves once the message is accepted (by the SMTP server, or written to disk); rejects otherwise. */
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

// nodemailer waits two minutes by default; a hung SMTP server should cost the worker far less.
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

type Nodemailer = typeof import('nodemailer')['default'];

/**
 * nodemailer is loaded with the first message, not at start: about 6 MB of resident memory that a
 * server which has sent nothing yet does not need.
 */
function lazyTransporter<T extends Transporter>(create: (nodemailer: Nodemailer) => T) {
  let transporter: Promise<T> | undefined;
  return {
    get(): Promise<T> {
      transporter ??= import('nodemailer').then(({ default: nodemailer }) => create(nodemailer));
      return transporter;
    },
    close(): void {
      void transporter?.then((created) => created.close());
    },
  };
}

export function createMailTransport(config: Pick<Config, 'mail'>, logger: Logger): MailTransport {
  const { smtpUrl, from, outboxDir } = config.mail;
  const messageId = (id: string) => `<${id}@${domainOf(from)}>`;

  if (smtpUrl) {
    const transporter = lazyTransporter((nodemailer) =>
      nodemailer.createTransport({ url: smtpUrl, ...SMTP_TIMEOUTS }, { from }),
    );
    return {
      async send(mail) {
        const smtp = await transporter.get();
        await smtp.sendMail({ ...fields(mail), messageId: messageId(mail.id) });
      },
      close: transporter.close,
    };
  }

  const transporter = lazyTransporter((nodemailer) =>
    nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' }, { from }),
  );
  let announced = false;
  return {
    async send(mail) {
      const stream = await transporter.get();
      const info = await stream.sendMail({ ...fields(mail), messageId: messageId(mail.id) });
      if (!announced) {
        await mkdir(outboxDir, { recursive: true });
        announced = true;
      }
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const path = join(outboxDir, `${stamp}-${mail.id}.eml`);
      await writeFile(path, info.message as Buffer, { mode: 0o600 });
      logger.info({ path, subject: mail.subject }, `SMTP_URL is not set: mail written to ${path}`);
    },
    close: transporter.close,
  };
}

function fields(mail: OutgoingMail) {
  return { to: mail.to, subject: mail.subject, text: mail.text, html: mail.html };
}

function domainOf(address: string): string {
  const match = /@([^>\s]+)>?\s*$/.exec(address);
  return match?.[1] ?? 'localhost';
}
