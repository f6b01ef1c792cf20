import { deviceName } from '../core/device-name.js';
import { SecurityEventKind as SecurityEventKindValues } from '../generated/prisma/enums.js';
import { builder } from './builder.js';

export const SecurityEventKind = builder.enumType(SecurityEventKindValues, {
  name: 'SecurityEventKind',
});

export const SecurityEvent = builder.prismaObject('SecurityEvent', {
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.expose('kind', { type: SecurityEventKind }),
    at: t.expose('at', { type: 'DateTime' }),
    ip: t.exposeString('ip', {
      nullable: true,
      description: "The actor's; null when an admin acted.",
    }),
    userAgent: t.exposeString('userAgent', { nullable: true }),
    deviceName: t.string({
      nullable: true,
      description:
        'Readable, from the user agent: "Chrome 131 on macOS"; null when not recognised.',
      resolve: (event) => deviceName(event.userAgent),
    }),
    sessionId: t.exposeID('sessionId', {
      nullable: true,
      description: 'The session it concerns, when there is one.',
    }),
  }),
});
