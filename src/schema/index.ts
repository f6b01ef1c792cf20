import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.js';
import { requireVerifiedEmail } from './email-verification-gate.js';
import './user.js';
import './session.js';
import './auth.js';
import './recovery.js';
import './reauthentication.js';
import './email.js';

export const schema = requireVerifiedEmail(lexicographicSortSchema(builder.toSchema()));
