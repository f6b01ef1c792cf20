import { existsSync } from 'node:fs';
import { type Browser, type CDPSession, chromium, type Page } from 'playwright-core';

/**
 * A real browser holding passkeys: Chromium with a CDP virtual authenticator (user verification on,
 * presence simulated), on a page of the server's origin so that navigator.credentials speaks for it.
 * The options the server returned go in as WebAuthn JSON and the credential comes out as toJSON().
 */

// Debian's package, installed by .ci/run with apt (never `playwright install`).
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

export class PasskeyBrowser {
  private authenticatorId: string | undefined;

  private constructor(
    private readonly browser: Browser,
    readonly page: Page,
    private readonly cdp: CDPSession,
  ) {}

  static async open(origin: string): Promise<PasskeyBrowser> {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const page = await browser.newPage();
    // A document of the server's origin that runs no script: the account page would start its own
    // passkey autofill request, and WebAuthn allows one request at a time.
    await page.goto(`${origin}/health`);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    return new PasskeyBrowser(browser, page, cdp);
  }

  /**
   * A fresh authenticator, replacing the previous one: a discoverable sign-in then finds exactly the
   * passkeys made on it, with no account picker to click through.
   */
  async newAuthenticator(): Promise<void> {
    if (this.authenticatorId)
      await this.cdp.send('WebAuthn.removeVirtualAuthenticator', {
        authenticatorId: this.authenticatorId,
      });
    const { authenticatorId } = await this.cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    this.authenticatorId = authenticatorId;
  }

  /** navigator.credentials.create with the server's options; the credential as JSON. */
  create(options: unknown): Promise<unknown> {
    return this.page.evaluate(async (json) => {
      const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(
        json as PublicKeyCredentialCreationOptionsJSON,
      );
      const credential = (await navigator.credentials.create({ publicKey })) as PublicKeyCredential;
      return credential.toJSON() as unknown;
    }, options);
  }

  /** navigator.credentials.get with the server's options; the assertion as JSON. */
  get(options: unknown): Promise<unknown> {
    return this.page.evaluate(async (json) => {
      const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(
        json as PublicKeyCredentialRequestOptionsJSON,
      );
      const credential = (await navigator.credentials.get({ publicKey })) as PublicKeyCredential;
      return credential.toJSON() as unknown;
    }, options);
  }

  close(): Promise<void> {
    return this.browser.close();
  }
}
