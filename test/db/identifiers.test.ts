import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/client.js';
import { sharedStorage } from '../support/database.js';
import { newAccount, SIGN_UP, signIn, UNLIMITED } from '../support/flows.js';
import { startServer, type TestServer } from '../support/server.js';

/** API.md "Identifiers": names follow RFC 8265 (UsernameCaseMapped); look-alike names are one name. */

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: UNLIMITED });
});
afterAll(() => server.close());

const client = () => new TestClient(server);
const tag = () => randomBytes(3).toString('hex');

async function signUpAs(overrides: { name: string; displayName?: string }) {
  const account = newAccount(overrides);
  const response = await client().request(SIGN_UP, {
    input: account,
  });
  return { account, response, error: response.errors?.[0]?.extensions };
}

const userCount = () => server.booted.db.prisma.user.count();

const INVISIBLE: [string, string][] = [
  ['U+034F combining grapheme joiner', '\u034F'],
  ['U+FE0F variation selector', '\uFE0F'],
  ['U+200B zero-width space', '\u200B'],
  ['U+3164 Hangul filler', '\u3164'],
  ['U+2028 line separator', '\u2028'],
  ['U+202E right-to-left override', '\u202E'],
];

describe('a name with an invisible character, a space or a tab is refused', () => {
  const cases: [string, string][] = [...INVISIBLE, ['a space', ' '], ['a tab', '\t']];
  for (const [what, char] of cases) {
    it(`${what} in a name answers BAD_USER_INPUT for name, and no user is written`, async () => {
      const before = await userCount();
      const { response, error } = await signUpAs({ name: `ad${char}min_${tag()}` });
      expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
      expect(response.data).toBeNull();
      expect(await userCount()).toBe(before);
    });
  }

  it('a name that is only a Hangul filler is refused', async () => {
    const { error } = await signUpAs({ name: '\u3164' });
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
  });

  it('a name mixing left-to-right letters into a right-to-left name is refused (RFC 5893 Bidi Rule)', async () => {
    const { error } = await signUpAs({ name: `a\u05E9\u05DC\u05D5\u05DD${tag()}` });
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
  });
});

describe('a display name with an invisible character is refused; spaces stay allowed there', () => {
  for (const [what, char] of INVISIBLE) {
    it(`${what} in a display name answers BAD_USER_INPUT for displayName`, async () => {
      const { error } = await signUpAs({ name: `dn_${tag()}`, displayName: `Ada${char} Lovelace` });
      expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'displayName' });
    });
  }
});

describe('look-alike names are the same name', () => {
  it('after admin, аdmin (Cyrillic а), ADMIN and fullwidth ａｄｍｉｎ each answer CONFLICT for name; Admin signs in as admin', async () => {
    const { account: admin, error } = await signUpAs({ name: 'admin' });
    expect(error).toBeUndefined();
    for (const name of ['\u0430dmin', 'ADMIN', '\uFF41\uFF44\uFF4D\uFF49\uFF4E']) {
      const { response, error: conflict } = await signUpAs({ name });
      expect({ name, ...conflict }).toMatchObject({ name, code: 'CONFLICT', field: 'name' });
      expect(response.data).toBeNull();
    }
    expect(
      await server.booted.db.prisma.user.count({
        where: { nameKey: { in: ['admin', '\u0430dmin'] } },
      }),
    ).toBe(1);

    const signedIn = await signIn(client(), { name: 'Admin', password: admin.password });
    expect(signedIn.errors).toBeUndefined();
    expect(signedIn.data?.signIn.user.name).toBe('admin');
  });

  it('a name that differs only by a confusable digit (paypa1 after paypal) answers CONFLICT for name', async () => {
    const base = `paypal${tag().replace(/[01]/g, 'x')}`;
    expect((await signUpAs({ name: base })).error).toBeUndefined();
    const { error } = await signUpAs({ name: base.replace('paypal', 'paypa1') });
    expect(error).toMatchObject({ code: 'CONFLICT', field: 'name' });
  });
});

describe('a capital that looks like another letter is a look-alike as typed', () => {
  it('paypaI (capital I) after paypal, and paypal after paypaI, answer CONFLICT for name', async () => {
    const suffix = tag().replace(/[01il]/gi, 'x');
    expect((await signUpAs({ name: `paypal${suffix}` })).error).toBeUndefined();
    expect((await signUpAs({ name: `paypaI${suffix}` })).error).toMatchObject({
      code: 'CONFLICT',
      field: 'name',
    });

    const other = tag().replace(/[01il]/gi, 'y');
    expect((await signUpAs({ name: `bankI${other}` })).error).toBeUndefined();
    expect((await signUpAs({ name: `bankl${other}` })).error).toMatchObject({
      code: 'CONFLICT',
      field: 'name',
    });
  });
});

describe('capitals of other scripts are look-alikes too', () => {
  it('Greek ΤΟΜ beside tom, ΜΑΡ beside map and ΝΙΚΕ beside nike answer CONFLICT for name', async () => {
    // Lower-case "m" maps on to "rn" in confusables.txt, and Greek capitals lower-case to letters
    // (τ, μ, ν) that map elsewhere: only mapping again after lower-casing brings both to one skeleton.
    for (const [latin, greek] of [
      ['tom', '\u03a4\u039f\u039c'],
      ['map', '\u039c\u0391\u03a1'],
      ['nike', '\u039d\u0399\u039a\u0395'],
    ] as const) {
      const suffix = tag().replace(
        /[0-9a-f]/g,
        (d) => 'qrsuvwxyzqrsuvwx'[Number.parseInt(d, 16)] ?? 'q',
      );
      expect((await signUpAs({ name: `${latin}${suffix}` })).error).toBeUndefined();
      const { error } = await signUpAs({ name: `${greek}${suffix.toUpperCase()}` });
      expect(error, greek).toMatchObject({ code: 'CONFLICT', field: 'name' });
    }
  });

  it('a letter under a stack of accents, or the same accent twice, is refused', async () => {
    for (const name of [`a${'\u0301'.repeat(5)}xe${tag()}`, `jo\u0308\u0308e${tag()}`]) {
      expect((await signUpAs({ name })).error).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'name',
      });
    }
    expect((await signUpAs({ name: `vi\u1EC7t${tag()}` })).error).toBeUndefined();
  });
});

describe('names in other scripts are accepted and sign in in another case', () => {
  for (const [typed, signInAs] of [
    ['Ünïcode', 'üNÏCODE'],
    ['名前', '名前'],
    ['שלום', 'שלום'],
  ] as const) {
    it(`${typed} is accepted as typed and signs in as ${signInAs}`, async () => {
      const { account, response, error } = await signUpAs({ name: typed });
      expect(error).toBeUndefined();
      expect(response.data?.signUp.user.name).toBe(typed);
      const signedIn = await signIn(client(), { name: signInAs, password: account.password });
      expect(signedIn.errors).toBeUndefined();
      expect(signedIn.data?.signIn.user.id).toBe(response.data?.signUp.user.id);
    });
  }
});

describe('name skeletons of users written before them', () => {
  it('are filled in at start; of two look-alikes the older keeps its skeleton, the newer is logged, and the start goes on', async () => {
    const storage = await sharedStorage();
    try {
      const before = await startServer({
        database: storage.database,
        env: { ...UNLIMITED, ...storage.env },
      });
      const insert = (name: string, createdAt: string) =>
        before.booted.db.prisma.$queryRaw<{ id: string }[]>`
          INSERT INTO users (id, name, name_key, email, email_key, password_hash, created_at, updated_at)
          VALUES (gen_random_uuid(), ${name}, ${name}, ${`${name}@example.test`}, ${`${name}@example.test`},
                  'not-a-hash', ${new Date(createdAt)}, now())
          RETURNING id`;
      const [older] = await insert('olduser', '2020-01-01T00:00:00Z');
      const [newer] = await insert('\u043Elduser', '2021-01-01T00:00:00Z');
      const [other] = await insert('otheruser', '2022-01-01T00:00:00Z');
      await before.close();

      const log: string[] = [];
      const after = await startServer({
        database: storage.database,
        env: { ...UNLIMITED, ...storage.env, LOG_LEVEL: 'warn' },
        logStream: { write: (line: string) => void log.push(line) },
      });
      try {
        const skeletons = await after.booted.db.prisma.user.findMany({
          select: { id: true, nameSkeleton: true },
        });
        expect(new Map(skeletons.map((row) => [row.id, row.nameSkeleton]))).toEqual(
          new Map([
            [older?.id, 'olduser'],
            [newer?.id, null],
            [other?.id, 'otheruser'],
          ]),
        );
        const warnings = log.map((line) => JSON.parse(line) as { level: number; msg: string });
        expect(warnings).toContainEqual(
          expect.objectContaining({
            level: 40,
            msg: expect.stringMatching(`${newer?.id}.*${older?.id}`),
          }),
        );

        // The backfilled skeleton guards the old name: a look-alike sign-up is refused.
        const lookAlike = await new TestClient(after).request(SIGN_UP, {
          input: newAccount({ name: 'o1duser' }),
        });
        expect(lookAlike.errors?.[0]?.extensions).toMatchObject({
          code: 'CONFLICT',
          field: 'name',
        });
      } finally {
        await after.close();
      }
    } finally {
      await storage.remove();
    }
  });
});
