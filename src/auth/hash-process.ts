import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { HashOptions } from 'argon2';

export type HashRequest =
  | { id: number; op: 'hash'; password: string; options: HashOptions }
  | { id: number; op: 'verify'; hash: string; password: string };
class HashProcessExited extends Error {
  override message = 'the hash process exited';
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

interface Worker {
  child: ChildProcess;
  pending: Map<number, { resolve: (value: string | boolean) => void; reject: (error: Error) => void }>;
}

export type HashReply = { id: number; ok: true; value: string | boolean } | { id: number; ok: false; error: string };

/**
 * argon2 in a child process at a lower CPU priority (nice). Under a sign-in storm the hashes would
 * otherwise take a core from the event loop that serves every other request; niced, they take only
 * what it leaves, and the queue in password.ts sheds what cannot be served in time. The child nices
 * itself (hash-worker.ts). A thread of our own process could not be niced portably: libuv's pool threads
 * are unnamed and start before our code.
 */
export class HashProcess {
  private worker: Worker | undefined;
  private nextId = 1;

  constructor(private readonly nice: number) {}

  hash(password: string, options: HashOptions): Promise<string> {
    return this.call({ op: 'hash', password, options }) as Promise<string>;
  }

  verify(hash: string, password: string): Promise<boolean> {
    return this.call({ op: 'verify', hash, password }) as Promise<boolean>;
  }

  close(): void {
    this.worker?.child.kill();
    this.worker = undefined;
  }

  private async call(request: WithoutId<HashRequest>): Promise<string | boolean> {
    try {
      return await this.send(request);
    } catch (error) {
      // The process died under this request (killed, out of memory): hashing is pure, so a new one retries it.
      if (!(error instanceof HashProcessExited)) throw error;
      return this.send(request);
    }
  }

  private send(request: WithoutId<HashRequest>): Promise<string | boolean> {
    const worker = this.started();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      worker.pending.set(id, { resolve, reject });
      worker.child.send({ ...request, id });
    });
  }

  /** Started on first use (most test servers never hash) and again after a crash. */
  private started(): Worker {
    if (this.worker?.child.connected) return this.worker;
    // Under tsx or vitest this module is TypeScript, and so is its sibling.
    const entry = new URL(`./hash-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
    const child = fork(fileURLToPath(entry), [String(this.nice)], {
      execArgv: entry.pathname.endsWith('.ts') ? ['--import', 'tsx'] : [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    const worker: Worker = { child, pending: new Map() };
    child.on('message', (reply: HashReply) => {
      const waiting = worker.pending.get(reply.id);
      if (!waiting) return;
      worker.pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(new Error(`argon2: ${reply.error}`));
    });
    // A send to a process that is dying reports here; its requests are answered by 'exit' below.
    child.on('error', () => {});
    child.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      for (const waiting of worker.pending.values()) waiting.reject(new HashProcessExited());
      worker.pending.clear();
    });
    // A server that exits must not wait for its helper.
    child.unref();
    child.channel?.unref();
    this.worker = worker;
    return worker;
  }
}
