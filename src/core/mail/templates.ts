import { isIP } from 'node:net';
import escapeHtml from 'escape-html';
import { deviceName } from '../device-name.js';

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

/** The event of a request: now, from this client. */
export function accountEvent(
  at: Date,
  client: { userAgent: string | null; ip: string | null },
): AccountEvent {
  return { at, userAgent: client.userAgent, ip: client.ip };
}

const PRODUCT = 'sessiongraph';

export function resetCodeMail(
  to: Recipient,
  code: string,
  link: string,
  lifetimeMs: number,
): MailMessage {
  const lifetime = formatLifetime(lifetimeMs);
  const text = [
    `Hello ${greetingName(to)},`,
    '',
    `Someone asked to reset the password of your ${PRODUCT} account. To choose a new password, open this link:`,
    '',
    link,
    '',
    'or enter this code on the reset form:',
    '',
    code,
    '',
    `The code expires in ${lifetime} and works once, and so does the link.`,
    '',
    'If you did not ask for this, ignore this e-mail: your password stays as it is. Never share this code',
    `or link; ${PRODUCT} will never ask you for them.`,
  ].join('\n');
  const html = layout('Your password reset code', [
    paragraph(`Hello ${escapeHtml(greetingName(to))},`),
    paragraph(`Someone asked to reset the password of your ${PRODUCT} account.`),
    `<p style="margin:24px 0"><a href="${escapeHtml(link)}" style="background:#111;color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:bold">Choose a new password</a></p>`,
    paragraph('Or enter this code on the reset form:'),
    `<p style="font-family:ui-monospace,Menlo,Consolas,monospace;font-size:36px;font-weight:bold;letter-spacing:8px;margin:24px 0">${escapeHtml(code)}</p>`,
    paragraph(
      `The code expires in <strong>${lifetime}</strong> and works once, and so does the link.`,
    ),
    paragraph(
      `If you did not ask for this, ignore this e-mail: your password stays as it is. Never share this code or link; ${PRODUCT} will never ask you for them.`,
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

/** A security notice of the account's own words: what changed, and what to do if it was not you. */
export function securityNoticeMail(
  to: Recipient,
  notice: { subject: string; lead: string; advice: string },
  event: AccountEvent,
): MailMessage {
  return noticeMail(to, notice.subject, notice.lead, event, notice.advice);
}

export function accountDeletedMail(to: Recipient, event: AccountEvent): MailMessage {
  const advice =
    'Everything the account held (its sessions, devices and security log) is gone and cannot be restored. If this was not you, someone had your password and your session: you can create a new account with this address, and check the security of this e-mail account too.';
  return noticeMail(
    to,
    `Your ${PRODUCT} account was deleted`,
    `Your ${PRODUCT} account was deleted at your request. This is the last message we send about it.`,
    event,
    advice,
  );
}

function noticeMail(
  to: Recipient,
  subject: string,
  lead: string,
  event: AccountEvent,
  advice: string,
  link?: { href: string; label: string },
): MailMessage {
  const facts: [string, string][] = [
    ['When', formatWhen(event.at)],
    ['Browser', describeDevice(event.userAgent)],
    ['IP address', describeAddress(event.ip)],
  ];
  // The sender may have chosen the name (anyone can sign up with another's address): quoted, not ours.
  const greeting = `Hello ${quoted(greetingName(to), QUOTED_MAX)},`;
  const text = [
    greeting,
    '',
    lead,
    '',
    ...facts.map(([label, value]) => `${label}: ${value}`),
    '',
    advice,
    ...(link ? ['', link.href] : []),
  ].join('\n');
  const html = layout(subject, [
    paragraph(escapeHtml(greeting)),
    paragraph(escapeHtml(lead)),
    `<table style="border-collapse:collapse;margin:16px 0">${facts
      .map(
        ([label, value]) =>
          `<tr><td style="padding:2px 16px 2px 0;color:#555">${escapeHtml(label)}</td><td style="padding:2px 0">${escapeHtml(value)}</td></tr>`,
      )
      .join('')}</table>`,
    paragraph(escapeHtml(advice)),
    ...(link ? [button(link.href, link.label)] : []),
  ]);
  return { to: to.email, subject, text, html };
}

function button(href: string, label: string): string {
  return `<p style="margin:24px 0"><a href="${escapeHtml(href)}" style="background:#111;color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:bold">${escapeHtml(label)}</a></p>`;
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

/** The most of someone else's text a notice shows: enough to recognise, too little to tell a story. */
const QUOTED_MAX = 40;

/**
 * Text someone else chose (a display name, a user agent) so that it reads as a quotation and nothing
 * more: control, format and separator characters become spaces (no bidi reordering, no fake lines), it
 * is cut to `max` characters and put in quotes, and what a mail client would turn into a link is
 * defanged ("evil[.]example", "https[:]//"), so it can pass neither for our words nor for our link.
 */
export function quoted(text: string, max: number): string {
  const flat = text
    .replace(/[\p{C}\p{Z}]+/gu, ' ')
    .replace(/["\u201c\u201d\u201e\u00ab\u00bb]/g, "'")
    .trim();
  const chars = [...flat];
  const cut = chars.slice(0, max - 1).join('');
  const short = chars.length > max ? `${cut.trimEnd()}…` : flat;
  const inert = short
    .replace(/:\/\//g, '[:]//')
    .replace(/(?<=[\p{L}\p{N}])\.(?=[\p{L}\p{N}])/gu, '[.]');
  return `"${inert}"`;
}

/** "Firefox 133 on Linux"; an unrecognised agent is shown only quoted and shortened. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return 'unknown';
  return deviceName(userAgent) ?? `unrecognised browser ${quoted(userAgent, QUOTED_MAX)}`;
}

/** The client address; anything that is not one (a misconfigured proxy passes text on) only quoted. */
function describeAddress(ip: string | null): string {
  if (!ip) return 'unknown';
  return isIP(ip) ? ip : quoted(ip, QUOTED_MAX);
}

/** A code (and a link carrying it) that proves an address: sign-up's verification, or a change's new address. */
function addressCodeMail(
  to: Recipient,
  subject: string,
  lead: string,
  action: string,
  code: string,
  link: string,
  lifetimeMs: number,
  ignore: string,
): MailMessage {
  const lifetime = formatLifetime(lifetimeMs);
  const greeting = `Hello ${greetingName(to)},`;
  const text = [
    greeting,
    '',
    lead,
    '',
    link,
    '',
    'or enter this code:',
    '',
    code,
    '',
    `The code expires in ${lifetime} and works once.`,
    '',
    ignore,
  ].join('\n');
  const html = layout(subject, [
    paragraph(escapeHtml(greeting)),
    paragraph(escapeHtml(lead)),
    button(link, action),
    paragraph('Or enter this code:'),
    `<p style="font-family:ui-monospace,Menlo,Consolas,monospace;font-size:36px;font-weight:bold;letter-spacing:8px;margin:24px 0">${escapeHtml(code)}</p>`,
    paragraph(`The code expires in <strong>${lifetime}</strong> and works once.`),
    paragraph(escapeHtml(ignore)),
  ]);
  return { to: to.email, subject, text, html };
}

export function verificationCodeMail(
  to: Recipient,
  code: string,
  link: string,
  lifetimeMs: number,
): MailMessage {
  return addressCodeMail(
    to,
    `Verify your ${PRODUCT} e-mail address`,
    `To confirm that this address belongs to your ${PRODUCT} account, open this link:`,
    'Verify this address',
    code,
    link,
    lifetimeMs,
    `If you did not create a ${PRODUCT} account, ignore this e-mail: the address stays unverified. Never share this code; ${PRODUCT} will never ask you for it.`,
  );
}

/** The code for a change of address, sent to the new address (`to.email` is that address). */
export function emailChangeCodeMail(
  to: Recipient,
  code: string,
  link: string,
  lifetimeMs: number,
): MailMessage {
  return addressCodeMail(
    to,
    `Confirm your new ${PRODUCT} e-mail address`,
    `Someone asked to make this the e-mail address of a ${PRODUCT} account. To confirm it, open this link while signed in:`,
    'Confirm this address',
    code,
    link,
    lifetimeMs,
    `If you did not ask for this, ignore this e-mail: nothing changes. Never share this code; ${PRODUCT} will never ask you for it.`,
  );
}

/**
 * To a new address that already has an account: the request answered as if it were free (no
 * enumeration), and the address's owner learns what happened instead.
 */
export function emailTakenMail(email: string): MailMessage {
  const subject = `Your ${PRODUCT} e-mail address`;
  const lead = `Someone asked to move a ${PRODUCT} account to this e-mail address, but this address already has an account, so nothing was changed.`;
  const advice = `If that was you, sign in to the account this address already has. If not, ignore this e-mail: your account is unaffected.`;
  const text = ['Hello,', '', lead, '', advice].join('\n');
  const html = layout(subject, [
    paragraph('Hello,'),
    paragraph(escapeHtml(lead)),
    paragraph(escapeHtml(advice)),
  ]);
  return { to: email, subject, text, html };
}

/** To the current address when a change away from it is requested. */
export function emailChangeRequestedMail(
  to: Recipient,
  newEmail: string,
  event: AccountEvent,
): MailMessage {
  return noticeMail(
    to,
    `A change of your ${PRODUCT} e-mail address was requested`,
    `Someone signed in to your ${PRODUCT} account asked to change its e-mail address to ${quoted(newEmail, QUOTED_MAX * 2)}. It changes only once a code sent to that address is entered.`,
    event,
    'If this was you, there is nothing to do. If it was not, someone knows your password: reset it at once with "Forgot password" on the sign-in page, which signs out every device.',
  );
}

/** To the previous address once a change is made, with the link that undoes it. */
export function emailChangedMail(
  to: Recipient,
  newEmail: string,
  revertLink: string,
  revertLifetimeMs: number,
  event: AccountEvent,
): MailMessage {
  return noticeMail(
    to,
    `Your ${PRODUCT} e-mail address was changed`,
    `The e-mail address of your ${PRODUCT} account was changed from this address to ${quoted(newEmail, QUOTED_MAX * 2)}.`,
    event,
    `If this was you, there is nothing to do. If it was not, undo the change within ${formatLifetime(revertLifetimeMs)} with the link below: it restores this address and signs out every device. Then reset your password with "Forgot password".`,
    { href: revertLink, label: 'Undo this change' },
  );
}

/** To the restored address once a revert link was used. */
export function emailRevertedMail(to: Recipient, event: AccountEvent): MailMessage {
  return noticeMail(
    to,
    `Your ${PRODUCT} e-mail address was restored`,
    `The e-mail address of your ${PRODUCT} account is this address again, and every device was signed out.`,
    event,
    'If someone else had changed it, they know your password: reset it now with "Forgot password" on the sign-in page.',
  );
}
