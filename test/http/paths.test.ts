import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/client.js';
import { ME, signUp, UNLIMITED } from '../support/flows.js';
import { type RawResponse, rawRequest, refusalCode } from '../support/raw-http.js';
import { startServer, type TestServer } from '../support/server.js';

/**
 * API.md, Resources and hosts: the CSRF rules hold on every path that executes GraphQL, and only
 * `/graphql` does. Yoga itself executes at any URL that ends in the endpoint (a trailing slash, a
 * doubled slash, a dot segment, a query string ending in `/graphql`), where a foreign page's form,
 * multipart or text/plain POST used to sign people in and out. Each spelling below is sent as the
 * browser would send it, byte for byte.
 */

const SPELLINGS = [
  '/graphql/',
  '//graphql',
  '/graphql/.',
  '/graphql%2F',
  '/GRAPHQL',
  '/graphql;x',
  '/./graphql',
  '/%2e/graphql',
  '/x/../graphql',
  '/x/graphql',
  '/graphql//',
  '/?a=/graphql',
  '/?a=/graphql/',
];

/** The POSTs a page on another site can send without a preflight, each carrying one GraphQL document. */
const SIMPLE_POSTS: Record<
  string,
  (query: string) => Promise<{ body: string | Uint8Array; type: string }>
> = {
  'form-encoded': async (query) => ({
    body: new URLSearchParams({ query }).toString(),
    type: 'application/x-www-form-urlencoded',
  }),
  multipart: async (query) => {
    const form = new FormData();
    form.set('operations', JSON.stringify({ query }));
    form.set('map', '{}');
    const encoded = new Request('http://form.invalid/', { method: 'POST', body: form });
    return {
      body: new Uint8Array(await encoded.arrayBuffer()),
      type: encoded.headers.get('content-type') ?? '',
    };
  },
  'text/plain': async (query) => ({ body: JSON.stringify({ query }), type: 'text/plain' }),
};

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ listen: true, env: { ...UNLIMITED } });
});
afterAll(() => server.close());

const sessions = () => server.booted.db.prisma.session.count();
const cookieHeader = (client: TestClient) =>
  [...client.jar].map(([name, value]) => `${name}=${value}`).join('; ');

interface Outcome {
  path: string;
  how: string;
  status: number;
  setCookies: string[];
}

/** Every outcome that is not a refusal: a 4xx with no cookie set. */
const executed = (outcomes: Outcome[]) =>
  outcomes.filter(
    ({ status, setCookies }) => status < 400 || status >= 500 || setCookies.length > 0,
  );

async function sendSimplePosts(
  query: string,
  headers: Record<string, string> = {},
  paths = SPELLINGS,
) {
  const outcomes: Outcome[] = [];
  for (const path of paths) {
    for (const [how, encode] of Object.entries(SIMPLE_POSTS)) {
      const { body, type } = await encode(query);
      const response: RawResponse = await rawRequest(server.origin, {
        method: 'POST',
        path,
        headers: { 'content-type': type, origin: 'https://evil.example', ...headers },
        body,
      });
      outcomes.push({ path, how, status: response.status, setCookies: response.setCookies });
    }
  }
  return outcomes;
}

describe('a foreign page cannot run a mutation through another spelling of /graphql', () => {
  it('signIn sent as a form, multipart or text/plain POST to any spelling signs nobody in', async () => {
    const { account } = await signUp(new TestClient(server));
    const before = await sessions();
    const signIn = `mutation { signIn(input: { name: "${account.name}", password: "${account.password}" }) { user { id } } }`;
    const outcomes = await sendSimplePosts(signIn, {}, ['/graphql', ...SPELLINGS]);
    expect(executed(outcomes)).toEqual([]);
    expect(await sessions()).toBe(before);
  });

  it('logout sent as a form, multipart or text/plain POST with the victim’s cookie ends no session', async () => {
    const victim = new TestClient(server);
    const { user } = await signUp(victim);
    const before = await sessions();
    const outcomes = await sendSimplePosts(
      'mutation { logout }',
      { cookie: cookieHeader(victim) },
      ['/graphql', ...SPELLINGS],
    );
    expect(executed(outcomes)).toEqual([]);
    expect(await sessions()).toBe(before);
    expect((await victim.request(ME)).data?.me?.id).toBe(user.id);
  });
});

describe('GraphQL runs at /graphql and nowhere else', () => {
  it('a JSON POST to any other spelling is 404 NOT_FOUND and runs nothing', async () => {
    const { account } = await signUp(new TestClient(server));
    const before = await sessions();
    const signIn = `mutation { signIn(input: { name: "${account.name}", password: "${account.password}" }) { user { id } } }`;
    const answers: { path: string; status: number; code: unknown; setCookies: string[] }[] = [];
    for (const path of SPELLINGS) {
      const response = await rawRequest(server.origin, {
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: signIn }),
      });
      answers.push({
        path,
        status: response.status,
        code: refusalCode(response),
        setCookies: response.setCookies,
      });
    }
    expect(answers).toEqual(
      SPELLINGS.map((path) => ({ path, status: 404, code: 'NOT_FOUND', setCookies: [] })),
    );
    expect(await sessions()).toBe(before);
  });

  it('a GET query or a GraphiQL page at any other spelling is 404; /graphql itself still serves both', async () => {
    const query = encodeURIComponent('{ __typename }');
    const withQuery = (path: string) => `${path}${path.includes('?') ? '&' : '?'}query=${query}`;
    const answers: { path: string; accept: string; status: number }[] = [];
    for (const path of SPELLINGS.filter((p) => !p.includes('?'))) {
      for (const accept of ['application/json', 'text/html']) {
        const response = await rawRequest(server.origin, {
          path: withQuery(path),
          headers: { accept },
        });
        answers.push({ path, accept, status: response.status });
      }
    }
    expect(answers.filter(({ status }) => status !== 404)).toEqual([]);

    const json = await rawRequest(server.origin, {
      path: withQuery('/graphql'),
      headers: { accept: 'application/json' },
    });
    expect(JSON.parse(json.body)).toEqual({ data: { __typename: 'Query' } });
    const graphiql = await rawRequest(server.origin, {
      path: '/graphql',
      headers: { accept: 'text/html' },
    });
    expect(graphiql.status).toBe(200);
    expect(graphiql.body).toMatch(/graphiql/i);
  });

  it('the other routes answer only GET and HEAD: a POST to /, /ready or an asset is 404', async () => {
    const outcomes: { path: string; status: number }[] = [];
    for (const path of ['/', '/index.html', '/ready', '/assets/index.js', '/?a=/graphql']) {
      const response = await rawRequest(server.origin, {
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      outcomes.push({ path, status: response.status });
    }
    expect(outcomes.filter(({ status }) => status !== 404)).toEqual([]);
    expect((await rawRequest(server.origin, { path: '/ready' })).status).toBe(200);
  });
});

describe('the JSON media types of the contract execute in any spelling', () => {
  for (const type of [
    'application/graphql-response+json',
    'Application/JSON',
    'APPLICATION/GRAPHQL-RESPONSE+JSON; charset=utf-8',
  ]) {
    it(`a POST with Content-Type ${type} executes like application/json`, async () => {
      const client = new TestClient(server);
      await signUp(client);
      const cookie = [...client.jar].map(([name, value]) => `${name}=${value}`).join('; ');
      const response = await server.fetch(server.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': type, cookie },
        body: JSON.stringify({ query: '{ me { id } }' }),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { data?: { me: { id: string } | null } };
      expect(body.data?.me?.id).toMatch(/^[0-9a-f-]{36}$/);
    });
  }

  it('a body that is not JSON answers 400, whatever the spelling', async () => {
    const response = await server.fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/graphql-response+json' },
      body: '{ not json',
    });
    expect(response.status).toBe(400);
  });
});

/** Bytes sent as written on a fresh socket; the whole answer, up to the server closing it. */
function rawExchange(origin: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

/** The last response on the connection (a request may be answered before its bad body is read). */
const jsonError = (answer: string) => {
  const last = answer.slice(answer.lastIndexOf('HTTP/1.1 '));
  const [head = '', body = ''] = last.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), head, error: JSON.parse(body).errors[0] };
};

describe('request targets and HTTP that are not ours get JSON errors, never a stack trace', () => {
  it.each([
    ['an absolute URL', 'GET http://localhost/health HTTP/1.1'],
    ['an absolute URL to the endpoint', 'POST http://evil.example/graphql HTTP/1.1'],
    ['the asterisk form', 'OPTIONS * HTTP/1.1'],
  ])('%s as the request target is 404 NOT_FOUND', async (_, requestLine) => {
    const answer = await rawExchange(
      server.origin,
      `${requestLine}\r\nHost: ${new URL(server.origin).host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
    );
    const { status, error } = jsonError(answer);
    expect(status).toBe(404);
    expect(error.extensions).toEqual({ code: 'NOT_FOUND' });
    expect(answer).not.toMatch(/TypeError|node_modules|at /);
  });

  it.each([
    ['two different Content-Length headers', 'Content-Length: 2\r\nContent-Length: 3\r\n'],
    ['a Content-Length that is not a number', 'Content-Length: two\r\n'],
    ['a bad chunk size', 'Transfer-Encoding: chunked\r\n\r\nzz\r\n'],
  ])('%s is 400 BAD_USER_INPUT', async (_, headers) => {
    const answer = await rawExchange(
      server.origin,
      `POST /graphql HTTP/1.1\r\nHost: ${new URL(server.origin).host}\r\n${headers}\r\n`,
    );
    const { status, head, error } = jsonError(answer);
    expect(status).toBe(400);
    expect(head).toMatch(/content-type: application\/json/i);
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT' });
  });
});
