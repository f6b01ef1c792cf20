import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { TestClient } from '../support/client.js';
import { signIn, signUp, UNLIMITED } from '../support/flows.js';
import { startServer, type TestServer } from '../support/server.js';

const USERS = graphql(`
  query UsersPage($first: Int, $after: String) {
    users(first: $first, after: $after) {
      edges {
        cursor
        node {
          ...UserFields
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      totalCount
    }
  }
`);
const USERS_DEFAULT = graphql(`
  query UsersFirstPage {
    users {
      edges {
        node {
          id
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      totalCount
    }
  }
`);
const USERS_ACTIVITY = graphql(`
  query UsersActivity($first: Int) {
    users(first: $first) {
      edges {
        node {
          activeSessionCount
          lastSeenAt
        }
      }
    }
  }
`);

const TOTAL = 56;

let server: TestServer;
let viewer: TestClient;
/** Every account, in sign-up order. */
const accounts: { id: string; name: string; email: string; password: string }[] = [];

beforeAll(async () => {
  // The open directory of part one: these tests are about paging, not who may read it (roles.test.ts).
  server = await startServer({ env: { ...UNLIMITED, USERS_QUERY_ACCESS: 'signed-in' } });
  for (let i = 0; i < TOTAL; i++) {
    const c = new TestClient(server);
    const { account, user } = await signUp(c);
    accounts.push({ ...account, id: user.id });
    if (i === 0) viewer = c;
  }
});
afterAll(() => server.close());

const usersPage = async (variables: { first?: number; after?: string }) => {
  const res = await viewer.request(USERS, variables);
  expect(res.errors).toBeUndefined();
  return res.data!.users;
};

describe('users', () => {
  it('returns a page of 50 by default, oldest first, with totalCount', async () => {
    const res = await viewer.request(USERS_DEFAULT);
    const users = res.data!.users;
    expect(users.edges).toHaveLength(50);
    expect(users.edges.map((e) => e.node.id)).toEqual(accounts.slice(0, 50).map((a) => a.id));
    expect(users.pageInfo.hasNextPage).toBe(true);
    expect(users.totalCount).toBe(TOTAL);
  });

  it('gives every User field and well-formed edges and pageInfo', async () => {
    const page = await usersPage({ first: 3 });
    expect(page.edges.map((e) => e.node.name)).toEqual(accounts.slice(0, 3).map((a) => a.name));
    expect(page.edges[0]?.node).toMatchObject({
      id: accounts[0]!.id,
      email: accounts[0]!.email,
      displayName: null,
    });
    expect(page.edges[0]?.node.activeSessionCount).toBe(1);
    expect(page.edges[0]?.node.lastSeenAt).not.toBeNull();
    const created = page.edges.map((e) => Date.parse(e.node.createdAt));
    expect([...created].sort((a, b) => a - b)).toEqual(created);
    expect(page.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: page.edges[0]?.cursor,
      endCursor: page.edges[2]?.cursor,
    });
  });

  it('pages with first/after across every user with no duplicates or gaps', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await usersPage({ first: 9, ...(after ? { after } : {}) });
      pages++;
      seen.push(...page.edges.map((e) => e.node.id));
      expect(page.pageInfo.hasPreviousPage).toBe(pages > 1);
      expect(page.totalCount).toBe(TOTAL);
      // Full pages of 9, then what is left.
      expect(page.edges).toHaveLength(page.pageInfo.hasNextPage ? 9 : TOTAL - 9 * (pages - 1));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor!;
      expect(pages).toBeLessThan(20);
    }
    expect(pages).toBe(Math.ceil(TOTAL / 9));
    expect(seen).toEqual(accounts.map((a) => a.id));
  });

  it('ends with hasNextPage false and the last page exactly full at the boundary', async () => {
    const all = await usersPage({ first: 100 });
    expect(all.edges).toHaveLength(TOTAL);
    expect(all.pageInfo.hasNextPage).toBe(false);
    const rest = await usersPage({ first: 6, after: all.edges[TOTAL - 7]!.cursor });
    expect(rest.edges.map((e) => e.node.id)).toEqual(accounts.slice(TOTAL - 6).map((a) => a.id));
    expect(rest.pageInfo.hasNextPage).toBe(false);
    const past = await usersPage({ first: 5, after: all.pageInfo.endCursor! });
    expect(past.edges).toEqual([]);
    expect(past.pageInfo).toMatchObject({ hasNextPage: false, startCursor: null, endCursor: null });
  });

  it('uses opaque cursors that do not spell out the id, name or position', async () => {
    const page = await usersPage({ first: 2 });
    for (const { cursor, node } of page.edges) {
      expect(cursor).not.toContain(node.id);
      expect(cursor).not.toContain(node.name);
      expect(cursor).not.toMatch(/^\d+$/);
    }
  });

  it('keeps a cursor valid while users sign up meanwhile', async () => {
    const first = await usersPage({ first: 5 });
    const late = new TestClient(server);
    const { user } = await signUp(late);
    try {
      const next = await usersPage({ first: 5, after: first.pageInfo.endCursor! });
      expect(next.edges.map((e) => e.node.id)).toEqual(accounts.slice(5, 10).map((a) => a.id));
      expect(next.totalCount).toBe(TOTAL + 1);
    } finally {
      // Keep the fixture as the other tests expect it.
      await late.request('mutation { logout }');
      await server.booted.db.prisma.user.delete({ where: { id: user.id } });
    }
  });

  it('counts live sessions and the latest activity per user', async () => {
    const target = accounts[10]!;
    for (let i = 0; i < 2; i++) {
      await signIn(new TestClient(server), {
        name: target.name,
        password: target.password,
      });
    }
    const gone = accounts[11]!;
    const goneClient = new TestClient(server);
    await signIn(goneClient, { name: gone.name, password: gone.password });
    await server.booted.db.prisma.session.deleteMany({ where: { userId: gone.id } });

    const page = await usersPage({
      first: 2,
      after: (await usersPage({ first: 10 })).pageInfo.endCursor!,
    });
    const [withThree, withNone] = page.edges.map((e) => e.node);
    expect(withThree?.id).toBe(target.id);
    expect(withThree?.activeSessionCount).toBe(3);
    const rows = await server.booted.db.prisma.session.findMany({ where: { userId: target.id } });
    const latest = Math.max(...rows.map((r) => r.lastSeenAt.getTime()));
    expect(Date.parse(withThree!.lastSeenAt!)).toBe(latest);
    expect(withNone?.id).toBe(gone.id);
    expect(withNone?.activeSessionCount).toBe(0);
    expect(withNone?.lastSeenAt).toBeNull();
  });

  it('batches activeSessionCount and lastSeenAt: the same small number of SQL statements for 2 or 30 users', async () => {
    const count = async (first: number) => {
      // Warm: the viewer's own session lookup must not differ between the two measurements.
      await viewer.request('{ me { id } }');
      server.resetQueryLog();
      const res = await viewer.request(USERS_ACTIVITY, { first });
      expect(res.errors).toBeUndefined();
      expect(res.data?.users.edges).toHaveLength(first);
      // The log is the process's: the mail worker's rounds and the batched session touches may land in it.
      return server.queries.filter((sql) => !/mail_outbox|UPDATE sessions AS s/.test(sql));
    };
    const small = await count(2);
    const large = await count(30);
    expect(large.length).toBe(small.length);
    expect(large.length).toBeLessThanOrEqual(3);
    expect(large.filter((sql) => /GROUP BY/i.test(sql))).toHaveLength(1);
  });
});
