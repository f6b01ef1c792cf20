import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.js';
import './user.js';
import './session.js';
import './auth.js';
import './recovery.js';
import './reauthentication.js';
import './security-events.js';
import './admin.js';
import './account.js';

export const schema = lexicographicSortSchema(builder.toSchema());
