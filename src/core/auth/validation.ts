import { createRequire } from 'node:module';
import unhomoglyph from 'unhomoglyph';
import { z } from 'zod';
import { AppError, badInput } from '../../errors.js';
import { isCommonPassword } from './passwords/common-passwords.js';

/** Input rules of API.md. Each failure names the field it is about. */

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;
const NAME_MAX = 100;
// The name_skeleton column's width: a skeleton may be longer than its name (one Hangul syllable gives up to 7).
export const NAME_SKELETON_MAX = 400;
const DISPLAY_NAME_MAX = 255;
const EMAIL_MAX = 255;

// Text that renders as nothing or breaks lines lets one name or display name pass for another:
// controls, format characters (zero-width, bidi overrides), default-ignorables (U+034F, variation
// selectors, Hangul fillers), line and paragraph separators, surrogates and unassigned code points.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{Zl}\p{Zp}\p{Cs}\p{Cn}]/u;
const emailSchema = z.email();

const length = (text: string) => [...text].length;

/*
 * Names: RFC 8265's UsernameCaseMapped profile of the PRECIS IdentifierClass (RFC 8264), a little
 * stricter where JavaScript has no data for a rule (join controls and the CONTEXTO punctuation are
 * refused outright). The character data are ICU's, through Unicode property escapes.
 */

// RFC 8264 width mapping: the <wide> and <narrow> compatibility characters (U+3000, U+FF01–U+FFEE).
const WIDE_OR_NARROW = /[\u3000\uFF01-\uFFEE]/gu;
const ASCII7 = /^[\x21-\x7E]$/;
// RFC 8264 "LetterDigits": the categories IdentifierClass takes beyond ASCII.
const LETTER_DIGIT = /^[\p{Ll}\p{Lu}\p{Lo}\p{Nd}\p{Lm}\p{Mn}\p{Mc}]$/u;
// RFC 8264 "OldHangulJamo" (Hangul_Syllable_Type L, V, T, which has no property escape): conjoining jamo
// spell syllables that precomposed ones already spell, and U+115F / U+1160 are fillers.
const OLD_HANGUL_JAMO = /^[\u1100-\u11FF\uA960-\uA97F\uD7B0-\uD7FF]$/u;
// RFC 5892 §2.6 exceptions that are DISALLOWED though their category is a letter or mark (tatweel, kana repeats).
const EXCEPTION_DISALLOWED = /^[\u0640\u07FA\u302E\u302F\u3031-\u3035\u303B]$/u;
// RFC 5892 CONTEXTO: Arabic-Indic and extended Arabic-Indic digits may not be mixed in one string.
const ARABIC_INDIC_DIGIT = /[\u0660-\u0669]/u;
const EXTENDED_ARABIC_INDIC_DIGIT = /[\u06F0-\u06F9]/u;

/** PRECIS IdentifierClass (RFC 8264 §9), for one code point. */
function isIdentifierCodePoint(char: string): boolean {
  if (ASCII7.test(char)) return true;
  if (EXCEPTION_DISALLOWED.test(char) || OLD_HANGUL_JAMO.test(char) || INVISIBLE.test(char))
    return false;
  // HasCompat: a character with a compatibility decomposition (ligatures, superscripts, fullwidth …).
  if (char.normalize('NFKC') !== char) return false;
  return LETTER_DIGIT.test(char);
}

// RFC 5893's Bidi Rule needs each character's Bidi_Class, which has no property escape; tr46 (jsdom's
// UTS #46) generates these classes from the Unicode data. They are its internals, pinned by the
// right-to-left cases in test/identifiers.test.ts.
const bidi = createRequire(import.meta.url)('tr46/lib/regexes.js') as Record<
  | 'bidiDomain'
  | 'bidiS1LTR'
  | 'bidiS1RTL'
  | 'bidiS2'
  | 'bidiS3'
  | 'bidiS4EN'
  | 'bidiS4AN'
  | 'bidiS5'
  | 'bidiS6',
  RegExp
>;

/** RFC 5893 §2, for a name with a right-to-left character: it must read the same in either direction. */
function satisfiesBidiRule(text: string): boolean {
  if (!bidi.bidiDomain.test(text)) return true;
  const first = [...text][0] ?? '';
  if (bidi.bidiS1RTL.test(first)) {
    return (
      bidi.bidiS2.test(text) &&
      bidi.bidiS3.test(text) &&
      !(bidi.bidiS4EN.test(text) && bidi.bidiS4AN.test(text))
    );
  }
  return bidi.bidiS1LTR.test(first) && bidi.bidiS5.test(text) && bidi.bidiS6.test(text);
}

// Spaces around a name are a slip of the keyboard, not part of it; only U+0020, so a trailing control,
// separator or invisible character is still refused rather than silently dropped.
const trimSpaces = (text: string) => text.replace(/^ +| +$/g, '');

/** The RFC 8265 UsernameCaseMapped comparison form: width-mapped, lower-cased, NFC. Sign-in looks names up by it. */
export function nameLookupKey(raw: string): string {
  return trimSpaces(raw)
    .replace(WIDE_OR_NARROW, (char) => char.normalize('NFKC'))
    .toLowerCase()
    .normalize('NFC');
}

/**
 * UTS #39 skeleton(): NFD, default-ignorables removed, each character replaced by its prototype from
 * Unicode's confusables.txt (the unhomoglyph package's copy), NFD again. Equal skeletons look alike.
 */
function skeleton(text: string): string {
  const decomposed = text.normalize('NFD').replace(/\p{Default_Ignorable_Code_Point}/gu, '');
  return unhomoglyph(decomposed).normalize('NFD');
}

/**
 * The uniqueness key of a name. Names compare without case and show as typed, so two names are one
 * when any casing of one looks like any casing of the other: the skeleton of the upper case (a capital
 * "I" looks like "l"; Greek "ΝΙΚΕ" like "NIKE", the same name as "nike"), lower-cased and mapped again,
 * because prototypes are not closed under case ("TOM" lower-cases to "tom", which maps on to "torn").
 */
export function nameSkeleton(name: string): string {
  return skeleton(skeleton(name.toUpperCase()).toLowerCase());
}

// UTS #39 §5.4: a run of many non-spacing marks, or the same mark twice, stacks into a look-alike.
const MARK_RUN = /\p{Mn}{5,}/u;
const REPEATED_MARK = /(\p{Mn})\1/u;

export function normaliseName(
  field: string,
  raw: string,
): { name: string; nameKey: string; nameSkeleton: string } {
  // Kept as typed, case included; only the width mapping and NFC, so it shows as the person wrote it.
  const name = trimSpaces(raw)
    .replace(WIDE_OR_NARROW, (char) => char.normalize('NFKC'))
    .normalize('NFC');
  const tooLong = () => badInput(field, `The name must be 1 to ${NAME_MAX} characters.`);
  if (length(name) < 1 || length(name) > NAME_MAX) throw tooLong();
  const nameKey = nameLookupKey(name);
  // Lower-casing can lengthen a name ("İ" becomes "i̇"), and the key column holds NAME_MAX characters.
  if (length(nameKey) > NAME_MAX) throw tooLong();
  const key = nameSkeleton(name);
  if (length(key) > NAME_SKELETON_MAX) throw tooLong();
  const identifier = (text: string) =>
    [...text].every(isIdentifierCodePoint) &&
    !(ARABIC_INDIC_DIGIT.test(text) && EXTENDED_ARABIC_INDIC_DIGIT.test(text)) &&
    satisfiesBidiRule(text);
  const decomposed = name.normalize('NFD');
  if (MARK_RUN.test(decomposed) || REPEATED_MARK.test(decomposed)) {
    throw badInput(field, 'The name stacks too many accents on one letter.');
  }
  if (!identifier(name) || !identifier(nameKey)) {
    throw badInput(
      field,
      'The name may hold letters, digits and ASCII punctuation only: no spaces or invisible characters.',
    );
  }
  return { name, nameKey, nameSkeleton: key };
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
  if (INVISIBLE.test(displayName)) {
    throw badInput(field, 'The display name contains invisible or control characters.');
  }
  return displayName;
}

// With the u flag a well-formed pair is one code point, so only an unpaired half is in category Cs.
const UNPAIRED_SURROGATE = /\p{Cs}/u;

export function checkPassword(field: string, password: string): string {
  const n = length(password);
  if (n < PASSWORD_MIN || n > PASSWORD_MAX) {
    throw badInput(field, `The password must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`);
  }
  // UTF-8 has no form for half a surrogate pair: argon2 would hash every such half as U+FFFD, so two
  // different passwords would verify as one. A new password must be text that survives encoding.
  if (UNPAIRED_SURROGATE.test(password))
    throw badInput(field, 'The password contains an unpaired surrogate, which is not text.');
  if (isCommonPassword(password))
    throw badInput(field, 'This password is too common; choose another.');
  return password;
}

/** CONFLICT for a taken name or address: sign-up, and a change of address that lost the race for it. */
export function conflict(field: 'name' | 'email') {
  return new AppError(
    'CONFLICT',
    field === 'name' ? 'That name is already taken.' : 'That e-mail is already registered.',
    {
      field,
    },
  );
}
