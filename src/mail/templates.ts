import Bowser from 'bowser';
import escapeHtml from 'escape-html';

/**
 * The security e-mail, each as a text and an HTML part. Everything a user controls (their name, the
 * user agent) is escaped before it reaches the HTML part.
 */

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Recipient {
  name: string;
  displayName: string | null;
  email: string;
}

/** Where and when an account event happened, as the notice reports it. */
export interface AccountEvent {
  at: Date;
  userAgent: string | null;
  ip: string | null;
}

const PRODUCT = 'sessiongraph';

export function resetCodeMail(to: Recipient, code: string, lifetimeMs: number): MailMessage {
  const lifetime = formatLifetime(lifetimeMs);
  const text = [
    `Hello ${greetingName(to)},`,
    '',
    `Someone asked to reset the password of your ${PRODUCT} account. Your code is:`,
    '',
    code,
    '',
    `It expires in ${lifetime} and works once.`,
    '',
    'If you did not ask for this, ignore this e-mail: your password stays as it is. Never share this code;',
    `${PRODUCT} will never ask you for it.`,
  ].join('\n');
  const html = layout('Your password reset code', [
    paragraph(`Hello ${escapeHtml(greetingName(to))},`),
    paragraph(`Someone asked to reset the password of your ${PRODUCT} account. Your code is:`),
    `<p style="font-family:ui-monospace,Menlo,Consolas,monospace;font-size:36px;font-weight:bold;letter-spacing:8px;margin:24px 0">${escapeHtml(code)}</p>`,
    paragraph(`It expires in <strong>${lifetime}</strong> and works once.`),
    paragraph(
      `If you did not ask for this, ignore this e-mail: your password stays as it is. Never share this code; ${PRODUCT} will never ask you for it.`,
    ),
  ]);
  return { to: to.email, subject: `Your ${PRODUCT} password reset code`, text, html };
}

export function passwordChangedMail(to: Recipient, event: AccountEvent): MailMessage {
  const advice =
    'If this was not you, someone else knows your password: reset it at once with "Forgot password" on the sign-in page, which signs out every device, and check the security of this e-mail account too.';
  return noticeMail(
    to,
    `Your ${PRODUCT} password was changed`,
    `The password of your ${PRODUCT} account was changed.`,
    event,
    advice,
  );
}

export function newSignInMail(to: Recipient, event: AccountEvent): MailMessage {
  const advice =
    'If this was you, there is nothing to do. If it was not, reset your password at once with "Forgot password" on the sign-in page: that signs out every device, including this one.';
  return noticeMail(
    to,
    `New sign-in to your ${PRODUCT} account`,
    `Your ${PRODUCT} account was just signed in to from a browser or network it has not used before.`,
    event,
    advice,
  );
}

function noticeMail(to: Recipient, subject: string, lead: string, event: AccountEvent, advice: string): MailMessage {
  const facts: [string, string][] = [
    ['When', formatWhen(event.at)],
    ['Browser', describeBrowser(event.userAgent)],
    ['IP address', event.ip ?? 'unknown'],
  ];
  const text = [
    `Hello ${greetingName(to)},`,
    '',
    lead,
    '',
    ...facts.map(([label, value]) => `${label}: ${value}`),
    '',
    advice,
  ].join('\n');
  const html = layout(subject, [
    paragraph(`Hello ${escapeHtml(greetingName(to))},`),
    paragraph(escapeHtml(lead)),
    `<table style="border-collapse:collapse;margin:16px 0">${facts
      .map(
        ([label, value]) =>
          `<tr><td style="padding:2px 16px 2px 0;color:#555">${escapeHtml(label)}</td><td style="padding:2px 0">${escapeHtml(value)}</td></tr>`,
      )
      .join('')}</table>`,
    paragraph(escapeHtml(advice)),
  ]);
  return { to: to.email, subject, text, html };
}

function greetingName(to: Recipient): string {
  return to.displayName ?? to.name;
}

function paragraph(html: string): string {
  return `<p style="margin:0 0 12px">${html}</p>`;
}

function layout(title: string, body: string[]): string {
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    `<title>${escapeHtml(title)}</title></head>`,
    '<body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#111;max-width:560px;margin:0 auto;padding:24px">',
    ...body,
    `<p style="margin:24px 0 0;color:#777;font-size:13px">This is an automatic security message from ${PRODUCT}.</p>`,
    '</body></html>',
  ].join('\n');
}

/** "15 minutes", "1 hour", "30 seconds": the lifetime as a person reads it. */
export function formatLifetime(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1_000, 'second'],
  ];
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  const seconds = Math.max(1, Math.round(ms / 1000));
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}

/** The time in UTC, unambiguous wherever the reader is. */
export function formatWhen(at: Date): string {
  return `${new Intl.DateTimeFormat('en-GB', {
    timeZone: 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(at)} UTC`;
}

/** "Firefox 133 on Linux"; the raw user agent when no browser is recognised. */
export function describeBrowser(userAgent: string | null): string {
  if (!userAgent) return 'unknown';
  const parsed = Bowser.parse(userAgent);
  const browser = [parsed.browser.name, parsed.browser.version?.split('.')[0]].filter(Boolean).join(' ');
  const os = [parsed.os.name, parsed.os.versionName ?? parsed.os.version].filter(Boolean).join(' ');
  if (!browser) return userAgent.slice(0, 200);
  return os ? `${browser} on ${os}` : browser;
}
