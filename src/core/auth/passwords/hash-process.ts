import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
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
  /** It has answered at least once (so it did start). */
  answered: boolean;
  viaChrt: boolean;
  pending: Map<
    number,
    { resolve: (value: string | boolean) => void; reject: (error: Error) => void }
  >;
}

export type HashReply =
  | { id: number; ok: true; value: string | boolean }
  | { id: number; ok: false; error: string };

export interface HashProcessPriority {
  /** Added to the server's nice value by the child itself (hash-worker.ts). */
  nice: number;
  /**
   * Linux's SCHED_IDLE class besides: the scheduler then runs a hash only on a core that nothing else
   * wants, and a request waking up takes the core from it at once, where a niced hash keeps a small
   * share and the rest of its time slice (bench: sign-in storm, where reads keep more of their speed).
   */
  idleClass: boolean;
  /** Its environment; the server's when not given. */
  environment?: Record<string, string> | undefined;
}

/** util-linux's chrt sets the class before node starts, so every thread of the child inherits it. */
const CHRT = ['/usr/bin/chrt', '/bin/chrt'].find((path) => existsSync(path));

/**
 * argon2 in a child process at a lower CPU priority. Under a sign-in storm the hashes would otherwise
 * take a core from the event loop that serves every other request; at low priority they take only
 * what it leaves, and the queue in password.ts sheds what cannot be served in time. A thread of our own
 * process could not be deprioritised portably: libuv's pool threads are unnamed and start before our code.
 */
export class HashProcess {
  private worker: Worker | undefined;
  private nextId = 1;
  private chrt: string | undefined;

  constructor(private readonly priority: HashProcessPriority) {
    this.chrt = priority.idleClass ? CHRT : undefined;
  }

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
    const entry = new URL(
      `./hash-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
      import.meta.url,
    );
    const node = [
      process.execPath,
      ...(entry.pathname.endsWith('.ts') ? ['--import', 'tsx'] : []),
      fileURLToPath(entry),
      String(this.priority.nice),
    ];
    const chrt = this.chrt;
    const [command = process.execPath, ...args] = chrt ? [chrt, '--idle', '0', ...node] : node;
    // What fork() does, with chrt in front: node finds the IPC channel that chrt passed on.
    const child = spawn(command, args, {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // `npm start` fixes glibc's mmap threshold, so each hash's 19 MiB block is mapped and unmapped and
      // the process gives memory back between bursts; config.ts adds huge pages for those blocks.
      env: this.priority.environment,
      serialization: 'advanced',
    });
    const worker: Worker = {
      child,
      pending: new Map(),
      answered: false,
      viaChrt: chrt !== undefined,
    };
    child.on('message', (reply: HashReply) => {
      worker.answered = true;
      const waiting = worker.pending.get(reply.id);
      if (!waiting) return;
      worker.pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(new Error(`argon2: ${reply.error}`));
    });
    // A send to a process that is dying reports here; its requests are answered by 'exit' below.
    child.on('error', () => {});
    child.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      // chrt refused (a sandbox without sched_setscheduler): hash at the nice level alone from now on,
      // starting with the retry of whatever was pending.
      if (worker.viaChrt && !worker.answered && code !== 0 && code !== null) this.chrt = undefined;
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
