import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.js';
import { requireVerifiedEmail } from './email-verification-gate.js';
import './user.js';
import './session.js';
import './auth.js';
import './recovery.js';
import './reauthentication.js';
import './email.js';
import './security-events.js';
import './subscriptions.js';
import './passkeys.js';
import './factors.js';
import './admin.js';
import './account.js';
// Modules built on the core without changing it (docs/extending.md).
import '../extensions/index.js';

export const schema = requireVerifiedEmail(lexicographicSortSchema(builder.toSchema()));
