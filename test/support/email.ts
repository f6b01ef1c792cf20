import { graphql } from '../generated/index.js';
import type { RequestOptions, TestClient } from './client.js';
import { signUp, UNLIMITED } from './flows.js';
import { mailEnv } from './recovery.js';
import type { ReceivedMail, TestSmtp } from './smtp.js';

/** Verified e-mail and e-mail change: the operations, the mails' subjects, and a verified account. */

export const VERIFY_SUBJECT = /verify your .* e-mail address/i;
export const CHANGE_CODE_SUBJECT = /confirm your new .* e-mail address/i;
export const TAKEN_SUBJECT = /^your \S+ e-mail address$/i;
export const CHANGE_REQUESTED_SUBJECT = /change of your .* e-mail address was requested/i;
export const CHANGED_SUBJECT = /e-mail address was changed/i;
export const RESTORED_SUBJECT = /e-mail address was restored/i;

export const VERIFY_EMAIL = graphql(`
  mutation VerifyEmail($input: VerifyEmailInput!) {
    verifyEmail(input: $input) { id email emailVerified }
  }
`);

export const RESEND_EMAIL_VERIFICATION = graphql(`
  mutation ResendEmailVerification {
    resendEmailVerification
  }
`);

export const REQUEST_EMAIL_CHANGE = graphql(`
  mutation RequestEmailChange($input: RequestEmailChangeInput!) {
    requestEmailChange(input: $input)
  }
`);

export const CONFIRM_EMAIL_CHANGE = graphql(`
  mutation ConfirmEmailChange($input: ConfirmEmailChangeInput!) {
    confirmEmailChange(input: $input) { id email emailVerified }
  }
`);

export const REVERT_EMAIL_CHANGE = graphql(`
  mutation RevertEmailChange($input: RevertEmailChangeInput!) {
    revertEmailChange(input: $input)
  }
`);

export const ME_EMAIL = graphql(`
  query MeEmail {
    me { id email emailVerified activeSessionCount }
  }
`);

/** Mail to this SMTP server, quickly; sign-in and reset limits out of the way (they have their own tests). */
export function emailEnv(smtp: TestSmtp, env: Record<string, string> = {}): Record<string, string> {
  return { ...mailEnv(smtp), ...UNLIMITED, ...env };
}

/** The 8-digit code of a verification or change mail: the line that holds nothing else. */
export function emailCodeIn(mail: ReceivedMail): string {
  const match = /^(\d{8})$/m.exec(mail.text);
  if (!match?.[1]) throw new Error(`no 8-digit code in mail "${mail.subject}"`);
  return match[1];
}

/** The account-page link of `view` in a mail's text part. */
export function linkIn(mail: ReceivedMail, view: string): URL {
  const match = new RegExp(`^(https?://\\S+#${view}\\?\\S+)$`, 'm').exec(mail.text);
  if (!match?.[1]) throw new Error(`no #${view} link in mail "${mail.subject}"`);
  return new URL(match[1]);
}

/** The parameters of a link's fragment (`#view?a=1`). */
export function fragmentParams(link: URL): URLSearchParams {
  return new URLSearchParams(link.hash.slice(link.hash.indexOf('?') + 1));
}

/** The newest mail to `email` whose subject matches, waiting for it (only mail after `after`). */
export function mailTo(smtp: TestSmtp, email: string, subject: RegExp, after = 0) {
  return smtp.waitFor((m) => m.to.includes(email.toLowerCase()) && subject.test(m.subject), {
    after,
  });
}

/** Signs a fresh account up and reads the code of its verification mail. */
export async function signUpWithCode(
  client: TestClient,
  smtp: TestSmtp,
  options: { keepSignedIn?: boolean } = {},
) {
  const after = smtp.mark();
  const signedUp = await signUp(client, options);
  const mail = await mailTo(smtp, signedUp.account.email, VERIFY_SUBJECT, after);
  return { ...signedUp, mail, code: emailCodeIn(mail) };
}

/** Signs a fresh account up and verifies its address through the API. */
export async function signUpVerified(client: TestClient, smtp: TestSmtp) {
  const signedUp = await signUpWithCode(client, smtp);
  const response = await client.request(VERIFY_EMAIL, { input: { code: signedUp.code } });
  if (response.data?.verifyEmail.emailVerified !== true)
    throw new Error(`verifyEmail failed: ${JSON.stringify(response.errors)}`);
  return signedUp;
}

/**
 * Verifies a freshly signed-up account through the API with the code of its verification mail (mail
 * after `after`): security notices go only to verified addresses.
 */
export async function verifyByMail(
  client: TestClient,
  smtp: TestSmtp,
  email: string,
  after: number,
  options: RequestOptions = {},
): Promise<void> {
  const code = emailCodeIn(await mailTo(smtp, email, VERIFY_SUBJECT, after));
  const response = await client.request(VERIFY_EMAIL, { input: { code } }, options);
  if (response.data?.verifyEmail.emailVerified !== true)
    throw new Error(`verifyEmail failed: ${JSON.stringify(response.errors)}`);
}
