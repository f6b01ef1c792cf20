import type { RunningProcess } from './server-process.js';

/**
 * The V8 inspector of a server process started with `NODE_OPTIONS=--inspect=127.0.0.1:0`: a full
 * garbage collection and the live heap after it, measured by V8 itself rather than guessed from the
 * resident size (which holds whatever garbage V8 has not collected yet).
 */

const LISTENING = /Debugger listening on (ws:\/\/\S+)/;

export async function inspectorUrl(server: RunningProcess, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const url = LISTENING.exec(server.output())?.[1];
    if (url) return url;
    if (Date.now() > deadline) throw new Error(`no inspector announced:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Collects garbage in the process, then answers its live JavaScript heap in MB. */
export async function liveHeapMb(url: string): Promise<number> {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', reject, { once: true });
  });
  let id = 0;
  const call = (method: string) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const mine = ++id;
      const onMessage = (event: MessageEvent) => {
        const message = JSON.parse(String(event.data)) as {
          id?: number;
          result?: Record<string, unknown>;
        };
        if (message.id !== mine) return;
        socket.removeEventListener('message', onMessage);
        resolve(message.result ?? {});
      };
      socket.addEventListener('message', onMessage);
      socket.send(JSON.stringify({ id: mine, method }));
    });
  try {
    await call('HeapProfiler.collectGarbage');
    const { usedSize } = await call('Runtime.getHeapUsage');
    return Number(usedSize) / (1024 * 1024);
  } finally {
    socket.close();
  }
}
