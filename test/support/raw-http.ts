import { type IncomingHttpHeaders, request } from 'node:http';

/**
 * One HTTP/1.1 request sent exactly as written: the path is not normalised (fetch would resolve
 * `/./graphql` and `/graphql/.`) and `Host` may be set (fetch does not allow it).
 */

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  setCookies: string[];
}

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export function rawRequest(
  origin: string,
  { method = 'GET', path, headers = {}, body }: RawRequest,
) {
  const { hostname, port } = new URL(origin);
  return new Promise<RawResponse>((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          setCookies: res.headers['set-cookie'] ?? [],
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The parsed error code of a JSON refusal, or undefined when the body is not one. */
export function refusalCode(response: RawResponse): unknown {
  try {
    return (JSON.parse(response.body) as { errors?: { extensions?: { code?: unknown } }[] })
      .errors?.[0]?.extensions?.code;
  } catch {
    return undefined;
  }
}
