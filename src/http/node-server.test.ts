import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer } from './node-server.js';

/** Sends `text` on a raw socket and resolves with everything the server wrote before it closed. */
function exchange(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('utf8');
    });
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
  });
}

const ok = () =>
  createHttpServer(
    // Answers once the whole body arrived, as Yoga does.
    (req, res) => {
      req.resume().on('end', () => res.end('ok'));
    },
    { requestTimeoutMs: 600, headersTimeoutMs: 400, checkIntervalMs: 50 },
  );

describe('the Node server', () => {
  let close: () => void = () => {};
  afterEach(() => close());

  async function listening() {
    const server = ok();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    close = () => server.close();
    return (server.address() as AddressInfo).port;
  }

  it('answers headers that never finish with a JSON 408 and closes the connection', async () => {
    const port = await listening();
    const answer = await exchange(port, 'POST /graphql HTTP/1.1\r\nHost: localhost\r\nX-Slow: ');
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(answer).toContain('connection: close');
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({
      errors: [{ extensions: { code: 'BAD_USER_INPUT' } }],
    });
  });

  it('answers a body that trickles past the request timeout with a JSON 408', async () => {
    const port = await listening();
    // Headers complete, body promised but never sent: only the whole-request timeout can end it.
    const answer = await exchange(
      port,
      'POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n{"q',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  });

  it('answers an absolute-form target with a JSON 404 instead of handing it on', async () => {
    const port = await listening();
    const answer = await exchange(
      port,
      'GET http://localhost/graphql HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 404 /);
    expect(answer).toContain('"code":"NOT_FOUND"');
  });

  it('answers a Host header that is no host and port with a JSON 400, not a 500 with a stack trace', async () => {
    const port = await listening();
    for (const host of [
      'localhost:abc',
      'localhost:99999',
      'local host',
      '[::1',
      'localhost:4200, evil.test',
    ]) {
      const answer = await exchange(
        port,
        `GET /health HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      );
      expect(answer, host).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer, host).toContain('"code":"BAD_USER_INPUT"');
      expect(answer, host).not.toContain('at ');
    }
    const fine = await exchange(
      port,
      'GET /health HTTP/1.1\r\nHost: localhost:4200\r\nConnection: close\r\n\r\n',
    );
    expect(fine).toMatch(/^HTTP\/1\.1 200 /);
  });
});
