import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/client.js';
import { signUp, UNLIMITED } from '../support/flows.js';
import { ME_ID as ME } from '../support/operations.js';
import { startServer, type TestServer } from '../support/server.js';

/**
 * The session value has one spelling (API.md: `<token>.<HMAC>` in unpadded base64url), and which
 * credential failed decides whether the cookie is cleared.
 */

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The value with another, canonical, first signature character: a signature that does not verify. */
const forged = (value: string) => {
  const dot = value.lastIndexOf('.');
  return `${value.slice(0, dot + 1)}${value[dot + 1] === 'A' ? 'B' : 'A'}${value.slice(dot + 2)}`;
};

describe('the signed session value', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: UNLIMITED });
  });
  afterAll(() => server.close());

  const holding = (value: string) => {
    const client = new TestClient(server);
    client.jar.set('sessionId', value);
    return client;
  };
  const meId = async (client: TestClient, headers: Record<string, string> = {}) =>
    (await client.request(ME, {}, { headers })).data?.me?.id ?? null;

  /** A signed-in value whose signature uses `-` or `_`, so it has a standard-alphabet spelling too. */
  async function signedInWithUrlCharacters(): Promise<{ id: string; value: string }> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const client = new TestClient(server);
      const { user } = await signUp(client);
      const value = client.sessionValue ?? '';
      if (/[-_]/.test(value.slice(value.lastIndexOf('.') + 1))) return { id: user.id, value };
    }
    throw new Error('no signature with - or _ in 50 sign-ups');
  }

  it('verifies only in canonical base64url: padded, standard-alphabet and stray-bit spellings of a valid cookie or Bearer are signed out', async () => {
    const { id, value } = await signedInWithUrlCharacters();
    const dot = value.lastIndexOf('.');
    const token = value.slice(0, dot);
    const signature = value.slice(dot + 1);
    const last = BASE64URL.indexOf(signature.at(-1) ?? '');
    const respelled = {
      padded: `${token}.${signature}=`,
      standardAlphabet: `${token}.${signature.replaceAll('-', '+').replaceAll('_', '/')}`,
      // The last of 43 characters carries 4 bits and 2 unused ones: setting one decodes to the same bytes.
      strayBits: `${token}.${signature.slice(0, -1)}${BASE64URL[last + 1]}`,
    };
    // Each spelling decodes to the same 32 bytes as the signature we issued.
    for (const variant of Object.values(respelled)) {
      expect(
        Buffer.from(variant.slice(dot + 1), 'base64').equals(Buffer.from(signature, 'base64url')),
      ).toBe(true);
    }

    expect(await meId(holding(value))).toBe(id);
    const asCookie = await Promise.all(
      Object.values(respelled).map((variant) => meId(holding(variant))),
    );
    const asBearer = await Promise.all(
      Object.values(respelled).map((variant) =>
        meId(new TestClient(server), { authorization: `Bearer ${variant}` }),
      ),
    );
    expect(asCookie).toEqual([null, null, null]);
    expect(asBearer).toEqual([null, null, null]);
    expect(await meId(holding(value))).toBe(id);
  });

  it('an invalid Bearer beside a valid cookie signs that request out but leaves the cookie; a bad cookie alone is still cleared', async () => {
    const browser = new TestClient(server);
    const { user } = await signUp(browser);
    const cookie = browser.sessionValue ?? '';
    const ended = new TestClient(server);
    await signUp(ended);
    const endedValue = ended.sessionValue ?? '';
    await ended.request('mutation { logout }');

    // Forged, not a session value at all, and a well-signed value whose session has ended.
    const badBearers = [forged(cookie), 'not-a-session-value', endedValue];
    for (const bearer of badBearers) {
      const response = await browser.request(
        ME,
        {},
        { headers: { authorization: `Bearer ${bearer}` } },
      );
      expect(response.data?.me, bearer).toBeNull();
      expect(response.setCookies, bearer).toEqual([]);
    }
    expect(browser.sessionValue).toBe(cookie);
    expect(await meId(browser)).toBe(user.id);

    const forgedCookie = await holding(forged(cookie)).request(ME);
    expect(forgedCookie.setCookies).toEqual([
      expect.objectContaining({ name: 'sessionId', value: '', maxAge: 0 }),
    ]);
  });
});
