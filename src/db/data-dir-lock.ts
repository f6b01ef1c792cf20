import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import lockfile from 'proper-lockfile';

/**
 * The embedded database belongs to one process. PGlite does not lock its files: a second server (or
 * `npm run admin`) on the same directory would write the same files at once, and aborts with a
 * WebAssembly trace if it is lucky. A lock directory beside the data (proper-lockfile: mkdir is atomic,
 * and the holder keeps its mtime fresh) says it is taken; a file beside it names the holder's pid.
 */

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

/** A holder killed without releasing (kill -9, a crash) leaves its lock to expire after this long. */
const STALE_MS = 10_000;

/** Locks held by this process, so a second open of the same directory here shares the lock. */
const held = new Map<string, { holders: number; release: () => Promise<void> }>();

/**
 * Takes the lock on `dir` (the embedded database's directory) or throws DataDirLockedError, whose message
 * is one line naming the directory and the pid that holds it. Resolves to the function that releases it;
 * a process that exits releases it anyway (proper-lockfile removes its locks on exit).
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const mine = held.get(dir);
  if (mine) {
    mine.holders++;
    return releaseOnce(dir);
  }
  const lockPath = `${dir}.lock`;
  const pidPath = `${dir}.lock.pid`;
  mkdirSync(dirname(lockPath), { recursive: true });
  const take = (waitForStale: boolean) =>
    lockfile.lock(dir, {
      lockfilePath: lockPath,
      realpath: false,
      stale: STALE_MS,
      // A holder that died without releasing (kill -9, a crash) stops refreshing its lock: waiting until
      // the lock counts as stale lets a restart after a crash go on by itself instead of failing.
      retries: waitForStale
        ? { retries: Math.ceil((STALE_MS * 1.5) / 500), factor: 1, minTimeout: 500 }
        : 0,
      // Only when the event loop stalled past STALE_MS or someone removed the lock: warn, never crash.
      onCompromised: (error) =>
        process.emitWarning(`the lock on ${dir} was lost: ${error.message}`),
    });
  let release: () => Promise<void>;
  try {
    release = await take(false).catch((error: unknown) => {
      if (isLocked(error) && holderHasEnded(pidPath)) return take(true);
      throw error;
    });
  } catch (error) {
    if (!isLocked(error)) throw error;
    throw new DataDirLockedError(
      `The embedded database in ${dir} is in use by ${describeHolder(pidPath)}: stop it, or set another DATA_DIR`,
    );
  }
  writeFileSync(pidPath, String(process.pid));
  held.set(dir, {
    holders: 1,
    release: async () => {
      rmSync(pidPath, { force: true });
      await release();
    },
  });
  return releaseOnce(dir);
}

function releaseOnce(dir: string): () => Promise<void> {
  let released = false;
  return async () => {
    const mine = held.get(dir);
    if (released || !mine) return;
    released = true;
    if (--mine.holders > 0) return;
    held.delete(dir);
    await mine.release();
  };
}

const isLocked = (error: unknown) => (error as { code?: unknown }).code === 'ELOCKED';

function holderPid(pidPath: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(pidPath, 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function holderHasEnded(pidPath: string): boolean {
  const pid = holderPid(pidPath);
  return pid !== undefined && !isRunning(pid);
}

function describeHolder(pidPath: string): string {
  const pid = holderPid(pidPath);
  if (pid === undefined) return 'another process';
  return isRunning(pid)
    ? `another process (pid ${pid})`
    : `pid ${pid}, which has ended without releasing it (the lock expires ${STALE_MS / 1000}s after it ended)`;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as { code?: unknown }).code === 'EPERM';
  }
}
