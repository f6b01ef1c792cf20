import { z } from 'zod';
import { badInput } from '../errors.js';
import { isCommonPassword } from './common-passwords.js';

/** Input rules of API.md. Each failure names the field it is about. */

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;
const NAME_MAX = 100;
const DISPLAY_NAME_MAX = 255;
const EMAIL_MAX = 255;

// Control and format characters (zero-width, bidi overrides) let one name look like another.
const INVISIBLE = /[\p{Cc}\p{Cf}]/u;
const emailSchema = z.email();

const length = (text: string) => [...text].length;

export function normaliseName(field: string, raw: string): { name: string; nameKey: string } {
  const name = raw.normalize('NFKC').trim();
  if (length(name) < 1 || length(name) > NAME_MAX)
    throw badInput(field, `The name must be 1 to ${NAME_MAX} characters.`);
  if (INVISIBLE.test(name)) throw badInput(field, 'The name contains invisible or control characters.');
  const nameKey = name.toLowerCase();
  // Lower-casing can lengthen a name ("İ" becomes "i̇"), and the key column holds NAME_MAX characters.
  if (length(nameKey) > NAME_MAX) throw badInput(field, `The name must be 1 to ${NAME_MAX} characters.`);
  return { name, nameKey };
}

export function normaliseEmail(field: string, raw: string): { email: string; emailKey: string } {
  const email = raw.trim();
  if (length(email) > EMAIL_MAX || !emailSchema.safeParse(email).success) {
    throw badInput(field, 'The e-mail address is not valid.');
  }
  return { email, emailKey: email.toLowerCase() };
}

export function normaliseDisplayName(field: string, raw: string | null | undefined): string | null {
  const displayName = raw?.normalize('NFKC').trim();
  if (!displayName) return null;
  if (length(displayName) > DISPLAY_NAME_MAX)
    throw badInput(field, `The display name must be at most ${DISPLAY_NAME_MAX} characters.`);
  if (INVISIBLE.test(displayName)) throw badInput(field, 'The display name contains invisible or control characters.');
  return displayName;
}

export function checkPassword(field: string, password: string): string {
  const n = length(password);
  if (n < PASSWORD_MIN || n > PASSWORD_MAX) {
    throw badInput(field, `The password must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`);
  }
  if (isCommonPassword(password)) throw badInput(field, 'This password is too common; choose another.');
  return password;
}
