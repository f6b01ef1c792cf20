import { isUuid } from '../../db/uuid.js';
import { AppError, badInput } from '../../errors.js';
import { builder } from '../../schema/builder.js';
import { prismaFor } from '../../schema/context.js';
import { checkPageSize } from '../../schema/pagination.js';

/**
 * The example extension (docs/extending.md): notes that belong to the signed-in user. It uses what the
 * auth core offers every module, and changes none of it: the `signedIn` scope (signed out, a field
 * answers UNAUTHENTICATED before its resolver runs), the viewer on the context, the request's Prisma
 * client and the error table. Its model is prisma/extensions/notes.prisma.
 */

export const NOTE_TEXT_MAX = 1000;
/** Half of a surrogate pair (with the u flag, a whole pair is one code point and passes). */
const UNPAIRED_SURROGATE = /\p{Cs}/u;

export const Note = builder.prismaObject('Note', {
  fields: (t) => ({
    id: t.exposeID('id'),
    text: t.exposeString('text'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const AddNoteInput = builder.inputType('AddNoteInput', {
  fields: (t) => ({ text: t.string({ description: `1 to ${NOTE_TEXT_MAX} characters.` }) }),
});

builder.queryFields((t) => ({
  notes: t.withAuth({ signedIn: true }).prismaField({
    type: [Note],
    description: "The viewer's notes, newest first.",
    args: { first: t.arg.int({ required: false, defaultValue: 50 }) },
    resolve: (query, _root, args, context) =>
      // Every query is scoped by the viewer's id: no argument can reach another user's notes.
      prismaFor(context).note.findMany({
        ...query,
        where: { userId: context.viewer.user.id },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: checkPageSize('first', args.first ?? 50),
      }),
  }),
}));

builder.mutationFields((t) => ({
  addNote: t.withAuth({ signedIn: true }).prismaField({
    type: Note,
    description: 'Keeps a note for the viewer.',
    args: { input: t.arg({ type: AddNoteInput }) },
    resolve: (query, _root, { input }, context) => {
      const text = input.text.trim();
      if (text.length === 0 || text.length > NOTE_TEXT_MAX)
        throw badInput('text', `A note holds 1 to ${NOTE_TEXT_MAX} characters.`);
      // Refused, not failed at the database: PostgreSQL's text holds no NUL, and an unpaired
      // surrogate could only be stored as U+FFFD, which is not what was sent.
      if (text.includes('\u0000') || UNPAIRED_SURROGATE.test(text))
        throw badInput('text', 'A note cannot hold the NUL character or an unpaired surrogate.');
      return prismaFor(context).note.create({
        ...query,
        // The server's clock, as sessions use (tests move it by hand).
        data: { text, userId: context.viewer.user.id, createdAt: context.services.now() },
      });
    },
  }),
  deleteNote: t.withAuth({ signedIn: true }).boolean({
    description: "Deletes one of the viewer's notes; NOT_FOUND for any other id.",
    args: { id: t.arg.id() },
    resolve: async (_root, { id }, context) => {
      // Someone else's note answers as a missing one, so ids of other users' notes reveal nothing.
      const { count } = isUuid(String(id))
        ? await prismaFor(context).note.deleteMany({
            where: { id: String(id), userId: context.viewer.user.id },
          })
        : { count: 0 };
      if (count === 0) throw new AppError('NOT_FOUND', 'No such note.');
      return true;
    },
  }),
}));
