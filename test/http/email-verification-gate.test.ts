import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  NOT_THE_VIEWERS,
  OPEN_TO_UNVERIFIED,
  VERIFIED_IN_EVERY_MODE,
} from '../../src/schema/email-verification-gate.js';
import { schema } from '../../src/schema/index.js';
import { graphql } from '../generated/index.js';
import { errorCode, TestClient } from '../support/client.js';
import { MINUTE, TestClock } from '../support/clock.js';
import { REVERT_EMAIL_CHANGE } from '../support/email.js';
import {
  BEGIN_PASSKEY_REGISTRATION,
  BEGIN_PASSKEY_SIGN_IN,
  BEGIN_TOTP,
  CONFIRM_TOTP,
  DISABLE_TOTP,
  FINISH_PASSKEY_SIGN_IN,
  PASSKEYS,
  REAUTHENTICATE,
  REGENERATE_CODES,
  VERIFY_SECOND_FACTOR,
  verifyAddress,
} from '../support/factors.js';
import { signIn, signUp, UNLIMITED } from '../support/flows.js';
import {
  CURRENT_SESSION,
  FORGET_PASSWORD,
  ME_ID,
  RESET_PASSWORD,
  SESSIONS,
} from '../support/operations.js';
import { startServer, type TestServer } from '../support/server.js';

/**
 * The e-mail verification gate against part two's root fields (API.md, EMAIL_NOT_VERIFIED): enrolling a
 * factor needs a verified address in every mode; EMAIL_VERIFICATION=required holds a signed-in,
 * unverified user to the listed fields, extensions and subscriptions included; and fields whose
 * authority is a credential in their input are open to every caller, signed in or out.
 */

const SECURITY_EVENTS = graphql(`
  query GateSecurityEvents { securityEvents { edges { node { kind } } } }
`);
const NOTES = graphql(`
  query GateNotes { notes { id } }
`);
const ADD_NOTE = graphql(`
  mutation GateAddNote($input: AddNoteInput!) { addNote(input: $input) { id } }
`);
const USER = graphql(`
  query GateUser($id: ID!) { user(id: $id) { id } }
`);

const rootFieldNames = () =>
  new Set(
    [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap(
      (root) => Object.keys(root?.getFields() ?? {}),
    ),
  );

/** A raw `sessionEvents` request over SSE, read to its end (a refused subscription ends at once). */
async function sessionEventsStream(server: TestServer, client: TestClient): Promise<string> {
  const response = await server.fetch(server.graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      cookie: `sessionId=${client.sessionValue}`,
    },
    body: JSON.stringify({ query: 'subscription { sessionEvents { kind } }' }),
  });
  return response.text();
}

describe('the gate names only fields that exist', () => {
  it('every field in its lists is a root field of the schema, and no field is in two lists', () => {
    const roots = rootFieldNames();
    const listed = [...OPEN_TO_UNVERIFIED, ...NOT_THE_VIEWERS, ...VERIFIED_IN_EVERY_MODE];
    expect(listed.filter((name) => !roots.has(name))).toEqual([]);
    expect(new Set(listed).size).toBe(listed.length);
  });
});

describe('enrolling a factor with an unverified address (EMAIL_VERIFICATION=optional)', () => {
  const clock = new TestClock();
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ now: clock.now, env: UNLIMITED });
  });
  afterAll(() => server?.close());

  it('answers EMAIL_NOT_VERIFIED, also outside REAUTH_WINDOW (verify first, not sign in again), and writes nothing', async () => {
    const c = new TestClient(server);
    const { user } = await signUp(c);
    clock.advance(20 * MINUTE);
    for (const refused of [
      await c.request(BEGIN_TOTP),
      await c.request(CONFIRM_TOTP, { input: { code: '123456' } }),
      await c.request(BEGIN_PASSKEY_REGISTRATION),
    ])
      expect(errorCode(refused)).toBe('EMAIL_NOT_VERIFIED');
    const stored = await server.booted.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.secondFactors).toEqual([]);
    // The rest of the account works as ever in this mode.
    expect((await c.request(SECURITY_EVENTS)).errors).toBeUndefined();
    expect((await c.request(NOTES)).errors).toBeUndefined();
  });

  it('once verified, the same request hears REAUTHENTICATION_REQUIRED outside the window, and succeeds inside it', async () => {
    const c = new TestClient(server);
    const { account, user } = await signUp(c);
    await verifyAddress(server, user.id);
    clock.advance(20 * MINUTE);
    expect(errorCode(await c.request(BEGIN_TOTP))).toBe('REAUTHENTICATION_REQUIRED');
    await c.request(REAUTHENTICATE, { input: { password: account.password } });
    expect((await c.request(BEGIN_TOTP)).errors).toBeUndefined();
  });
});

describe('EMAIL_VERIFICATION=required', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { ...UNLIMITED, EMAIL_VERIFICATION: 'required' } });
  });
  afterAll(() => server?.close());

  it("holds an unverified user back from part two's fields, the extension's and the subscription", async () => {
    const c = new TestClient(server);
    const { user } = await signUp(c);
    for (const refused of [
      await c.request(SECURITY_EVENTS),
      await c.request(PASSKEYS),
      await c.request(USER, { id: user.id }),
      await c.request(DISABLE_TOTP),
      await c.request(REGENERATE_CODES),
      await c.request(BEGIN_TOTP),
      await c.request(BEGIN_PASSKEY_REGISTRATION),
      await c.request(NOTES),
      await c.request(ADD_NOTE, { input: { text: 'held back' } }),
    ])
      expect(errorCode(refused)).toBe('EMAIL_NOT_VERIFIED');
    expect(await server.booted.db.prisma.note.count({ where: { userId: user.id } })).toBe(0);
    const stream = await sessionEventsStream(server, c);
    expect(stream).toContain('EMAIL_NOT_VERIFIED');
    expect(stream).not.toContain('"kind"');
    // The listed fields answer.
    expect((await c.request(ME_ID)).data?.me?.id).toBe(user.id);
    expect((await c.request(CURRENT_SESSION)).errors).toBeUndefined();
    expect((await c.request(SESSIONS)).errors).toBeUndefined();
  });

  it('the same user, verified, gets every field', async () => {
    const c = new TestClient(server);
    const { user } = await signUp(c);
    await verifyAddress(server, user.id);
    expect((await c.request(SECURITY_EVENTS)).errors).toBeUndefined();
    expect((await c.request(ADD_NOTE, { input: { text: 'kept' } })).errors).toBeUndefined();
  });

  it('leaves signed-out callers alone: sign-up, sign-in, reset, revert, the second step and passkey sign-in answer their own codes', async () => {
    const { account } = await signUp(new TestClient(server));
    const out = () => new TestClient(server);
    expect((await signUp(out())).user.id).toBeTruthy();
    expect(
      (await signIn(out(), { email: account.email, password: account.password })).errors,
    ).toBeUndefined();
    expect(
      (await out().request(FORGET_PASSWORD, { input: { email: account.email } })).data
        ?.forgetPassword,
    ).toBe(true);
    expect(
      errorCode(
        await out().request(RESET_PASSWORD, {
          input: { email: account.email, otp: '000000', newPassword: 'a brand new password' },
        }),
      ),
    ).toBe('INVALID_OTP');
    expect(
      errorCode(await out().request(REVERT_EMAIL_CHANGE, { input: { token: 'x'.repeat(43) } })),
    ).toBe('INVALID_OTP');
    expect(
      errorCode(
        await out().request(VERIFY_SECOND_FACTOR, {
          input: { challenge: 'x'.repeat(43), totp: '123456' },
        }),
      ),
    ).toBe('INVALID_OTP');
    const begun = await out().request(BEGIN_PASSKEY_SIGN_IN);
    expect(begun.errors).toBeUndefined();
    const finished = await out().request(FINISH_PASSKEY_SIGN_IN, {
      input: { challengeId: begun.data?.beginPasskeySignIn.id ?? '', response: {} },
    });
    expect(errorCode(finished)).not.toBe('EMAIL_NOT_VERIFIED');
    expect(errorCode(finished)).toBeDefined();
  });

  it('a signed-in unverified user may still use the fields that act by a credential in their input', async () => {
    const verified = await signUp(new TestClient(server));
    await verifyAddress(server, verified.user.id);
    const c = new TestClient(server);
    await signUp(c);
    expect(
      errorCode(await c.request(REVERT_EMAIL_CHANGE, { input: { token: 'x'.repeat(43) } })),
    ).toBe('INVALID_OTP');
    expect(
      (await c.request(FORGET_PASSWORD, { input: { email: verified.account.email } })).data
        ?.forgetPassword,
    ).toBe(true);
    expect((await c.request(BEGIN_PASSKEY_SIGN_IN)).errors).toBeUndefined();
    // Signing up afresh while held (signUp throws when refused).
    await signUp(c);
    // Signing in as someone else replaces the held session.
    const switched = await signIn(c, {
      email: verified.account.email,
      password: verified.account.password,
    });
    expect(switched.errors).toBeUndefined();
    expect((await c.request(ME_ID)).data?.me?.id).toBe(verified.user.id);
    expect((await c.request(SECURITY_EVENTS)).errors).toBeUndefined();
  });
});
