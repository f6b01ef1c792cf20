import { passkeysSection } from '../factors/passkeys-section.js';
import { recoverySection } from '../factors/recovery-section.js';
import { totpSection } from '../factors/totp-section.js';
import { deleteAccountSection } from '../lifecycle/delete-account.js';
import { emailChangeSection } from '../lifecycle/email-change.js';
import { securityLogSection } from '../lifecycle/security-log.js';
import { devicesSection } from './devices.js';
import { passwordSection } from './password.js';
import { profileSection } from './profile.js';
import type { AccountSection } from './types.js';

/**
 * The account view's cards, in order; a section the server cannot serve returns null and is left out.
 */
export const accountSections: AccountSection[] = [
  profileSection,
  devicesSection,
  passwordSection,
  passkeysSection,
  totpSection,
  recoverySection,
  emailChangeSection,
  securityLogSection,
  deleteAccountSection,
];
