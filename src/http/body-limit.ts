import type { Plugin } from 'graphql-yoga';
import { refusal } from './refusal.js';
import { markReplaced } from './replaced-requests.js';

/**
 * Request bodies over `maxBytes` are answered 413 before anything parses them. A declared
 * Content-Length is refused up front; a chunked body (no length) is read up to the limit and no further,
 * then handed on as a buffer, so neither form can make the server hold more than the limit.
 */
export function useBodyLimit({ maxBytes }: { maxBytes: number }): Plugin {
  return {
    async onRequest({ request, setRequest, endResponse, fetchAPI }) {
      if (!request.body || request.method === 'GET' || request.method === 'HEAD') return;
      const tooLarge = () =>
        endResponse(
          refusal(
            fetchAPI,
            413,
            'REQUEST_ENTITY_TOO_LARGE',
            `The request body is over ${maxBytes} bytes.`,
            {},
            // The unread rest of the body would otherwise have to be drained before the next request.
            { connection: 'close' },
          ),
        );

      const declared = request.headers.get('content-length');
      if (declared !== null) {
        if (!/^\d+$/.test(declared.trim()) || Number(declared) > maxBytes) return tooLarge();
        return;
      }
      const body = await readAtMost(request.body, maxBytes);
      if (!body) return tooLarge();
      // Same request, body now in memory; the signal still tells when the client goes away.
      const replacement = new fetchAPI.Request(request.url, {
        method: request.method,
        headers: request.headers,
        body,
        signal: request.signal,
      });
      markReplaced(replacement, request);
      setRequest(replacement);
    },
  };
}

/** The whole stream when it fits in `maxBytes`; undefined (and the stream abandoned) when it does not. */
async function readAtMost(
  stream: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      reader.releaseLock();
      return undefined;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(new ArrayBuffer(total));
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
