import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.js';
import './user.js';
import './session.js';
import './auth.js';
import './recovery.js';
import './reauthentication.js';
import './security-events.js';
import './subscriptions.js';
// Modules built on the core without changing it (docs/extending.md).
import '../extensions/index.js';

export const schema = lexicographicSortSchema(builder.toSchema());
