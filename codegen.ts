import type { CodegenConfig } from '@graphql-codegen/cli';

export const SCHEMA_FILE = 'schema.graphql';
export const GENERATED_DIR = 'examples/generated/';

/** Typed documents (TypedDocumentNode) for the examples; Apollo Client and urql both take them as is. */
export const codegenConfig: CodegenConfig = {
  schema: SCHEMA_FILE,
  documents: ['examples/**/*.ts', `!${GENERATED_DIR}**`],
  ignoreNoDocuments: false,
  // '.js' in relative imports, as Node's ESM resolution (and tsconfig's NodeNext) requires.
  emitLegacyCommonJSImports: false,
  generates: {
    [GENERATED_DIR]: {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string' },
        strictScalars: true,
      },
    },
  },
};

export default codegenConfig;
