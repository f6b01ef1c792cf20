import { deleteAccountSection } from '../lifecycle/delete-account.js';
import { emailChangeSection } from '../lifecycle/email-change.js';
import { securityLogSection } from '../lifecycle/security-log.js';
import { devicesSection } from './devices.js';
import { passwordSection } from './password.js';
import { profileSection } from './profile.js';
import type { AccountSection } from './types.js';

/**
 * The account view's cards, in order. Second factors (an authenticator app with its QR code, recovery
 * codes, passkeys) go after the password as sections of their own module; a section the server cannot
 * serve returns null and is left out.
 */
export const accountSections: AccountSection[] = [
  profileSection,
  devicesSection,
  passwordSection,
  emailChangeSection,
  securityLogSection,
  deleteAccountSection,
];
