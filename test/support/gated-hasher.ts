import type { PasswordHasher } from '../../src/core/auth/passwords/password.js';
import { fastHasher } from './server.js';

/** The fast test hasher, except that the next `count` verify calls wait at a gate until released. */
export class GatedHasher implements PasswordHasher {
  private readonly inner = fastHasher();
  private toHold = 0;
  private readonly held: (() => void)[] = [];
  private full: (() => void) | undefined;

  /** Holds the next `count` verify calls; resolves once all of them are waiting at the gate. */
  hold(count: number): Promise<void> {
    this.toHold = count;
    return new Promise((resolve) => {
      this.full = resolve;
    });
  }

  /** Lets every held call finish its check. */
  release(): void {
    for (const go of this.held.splice(0)) go();
  }

  admit(client: string | null, owner?: boolean): void {
    this.inner.admit(client, owner);
  }
  hash(password: string, client: string | null): Promise<string> {
    return this.inner.hash(password, client);
  }
  async verify(
    hash: string,
    password: string,
    client: string | null,
    owner?: boolean,
  ): Promise<boolean> {
    if (this.toHold > 0) {
      this.toHold--;
      await new Promise<void>((resolve) => {
        this.held.push(resolve);
        if (this.toHold === 0) this.full?.();
      });
    }
    return this.inner.verify(hash, password, client, owner);
  }
  verifyDummy(password: string, client: string | null): Promise<false> {
    return this.inner.verifyDummy(password, client);
  }
}
