import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { setPriority } from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** util-linux's chrt: Node has no binding for sched_setscheduler. */
const CHRT = ['/usr/bin/chrt', '/bin/chrt'].find((path) => existsSync(path));

/**
 * Puts libuv's pool threads, where argon2 runs, in Linux's idle scheduling class: a hash then runs only
 * on a core that nothing else wants, and a request waking up takes the core from it at once (bench:
 * storm, machinery). On Linux a scheduling class and a nice value belong to a thread, so the event loop
 * and V8's threads keep theirs. Without chrt the threads get nice 19 instead, which leaves a hash a
 * small share. The pool's threads are known by the name libuv 1.50 gives them (Node 24, and Node 22
 * since early 2025); elsewhere, or with an older libuv, nothing changes and hashes run at normal priority.
 *
 * The pool's other work (file system, DNS lookups of a database host) runs in the same class. The
 * server does none of it per request; a connection opened while every core is busy waits its turn.
 */
export async function idlePoolThreads(): Promise<void> {
  // libuv starts every pool thread on the pool's first use.
  await stat('/');
  let threads: string[] = [];
  try {
    threads = readdirSync('/proc/self/task').filter(
      (tid) => readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim() === 'libuv-worker',
    );
  } catch {
    return;
  }
  for (const tid of threads) {
    try {
      if (!CHRT) throw new Error('no chrt');
      await run(CHRT, ['--idle', '-p', '0', tid]);
    } catch {
      try {
        setPriority(Number(tid), 19);
      } catch {
        // No permission: this thread hashes at normal priority.
      }
    }
  }
}
