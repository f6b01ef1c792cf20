import { createRequire } from 'node:module';

/**
 * NIST SP 800-63B asks verifiers to refuse passwords found in lists of commonly used or breached
 * ones. The list is zxcvbn-ts's (the most common passwords from breach corpora, about 49k of them).
 * It is loaded on first use, not at start, and kept as a Set of the entries long enough to matter.
 */

const require = createRequire(import.meta.url);
let common: Set<string> | undefined;

function commonPasswords(): Set<string> {
  if (!common) {
    const { dictionary } =
      require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
    common = new Set(
      dictionary['passwords-common'].filter((entry) => entry.length >= MIN_INTERESTING),
    );
  }
  return common;
}

// Shorter ones are refused by the length rule anyway.
const MIN_INTERESTING = 8;

/** Case-insensitive: "Password1" is as guessable as "password1". */
export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.normalize('NFKC').toLowerCase());
}
