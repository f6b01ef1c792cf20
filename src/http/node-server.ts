import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Duplex } from 'node:stream';
import { type ErrorCode, errorBody } from '../errors.js';

/**
 * What Node's HTTP server hands over before Yoga sees a request. A request target that is not a path
 * (`GET http://host/x`, `OPTIONS *`) or a Host header that is not a host cannot become a URL in Yoga's
 * adapter, which would answer 500 with its stack trace; a request Node cannot parse gets a bare 400.
 * All of them get our JSON error shape instead.
 */

const REQUEST_TIMEOUT_MS = 30_000;
const HEADERS_TIMEOUT_MS = 20_000;

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
};

function answer(res: ServerResponse, status: number, code: ErrorCode, message: string): void {
  const body = errorBody(code, message);
  res.writeHead(status, { ...JSON_HEADERS, 'content-length': Buffer.byteLength(body) }).end(body);
}

/** Passes on requests that Yoga can make a URL of; refuses the others. */
function routableOnly(handler: RequestListener): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    // Only the origin form (RFC 9112 3.2.1) names one of our routes; proxies' forms are not for us.
    if (!req.url?.startsWith('/')) return answer(res, 404, 'NOT_FOUND', 'Not found.');
    // Yoga's adapter makes the URL from the Host header; one that is not a host and port
    // (`localhost:abc`, `a, b`) would be a 500 with its stack trace, where RFC 9112 3.2 says 400.
    const host = req.headers.host;
    if (host !== undefined && !URL.canParse(`http://${host}${req.url}`))
      return answer(res, 400, 'BAD_USER_INPUT', 'The Host header is not a host name and port.');
    handler(req, res);
  };
}

/** Node's own answers to what it cannot parse, kept, in our shape. */
const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'The request took too long to arrive.'],
  HPE_HEADER_OVERFLOW: [
    431,
    'Request Header Fields Too Large',
    'The request headers are too large.',
  ],
};

/** Malformed HTTP (bad lengths, bad chunks, bad header bytes) gets a JSON error and the socket closes. */
function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || error.code === 'ECONNRESET') return void socket.destroy();
    const [status, reason, message] = CLIENT_ERRORS[error.code ?? ''] ?? [
      400,
      'Bad Request',
      'The HTTP request is malformed.',
    ];
    const body = errorBody('BAD_USER_INPUT', message);
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncache-control: no-store\r\nconnection: close\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });
}

export interface HttpTimeouts {
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  /** How often Node looks for requests past those timeouts. */
  checkIntervalMs: number;
}

// Node's default gives a request five minutes to arrive; a body of at most MAX_BODY_BYTES needs far
// less, and each trickling connection held open is one a slow-loris client does not pay for.
const TIMEOUTS: HttpTimeouts = {
  requestTimeoutMs: REQUEST_TIMEOUT_MS,
  headersTimeoutMs: HEADERS_TIMEOUT_MS,
  checkIntervalMs: 5_000,
};

/** The Node server every instance (and every test server) listens with; tests may shorten the timeouts. */
export function createHttpServer(
  handler: RequestListener,
  timeouts: HttpTimeouts = TIMEOUTS,
): Server {
  const server = createServer(
    {
      requestTimeout: timeouts.requestTimeoutMs,
      headersTimeout: timeouts.headersTimeoutMs,
      connectionsCheckingInterval: timeouts.checkIntervalMs,
    },
    routableOnly(handler),
  );
  answerClientErrors(server);
  return server;
}
