import type { CodegenConfig } from '@graphql-codegen/cli';

export const SCHEMA_FILE = 'schema.graphql';
export const GENERATED_DIR = 'examples/generated/';
export const TEST_GENERATED_DIR = 'test/generated/';

const typesConfig = {
  useTypeImports: true,
  enumsAsTypes: true,
  scalars: { DateTime: 'string', JSON: 'unknown' },
  strictScalars: true,
};

/**
 * Typed documents (TypedDocumentNode) for the examples, which Apollo Client and urql both take as is;
 * and for the tests, typed document strings (the test client sends text) so that every response a test
 * reads is typed from schema.graphql rather than by hand.
 */
export const codegenConfig: CodegenConfig = {
  schema: SCHEMA_FILE,
  ignoreNoDocuments: false,
  // '.js' in relative imports, as Node's ESM resolution (and tsconfig's NodeNext) requires.
  emitLegacyCommonJSImports: false,
  generates: {
    [GENERATED_DIR]: {
      documents: ['examples/**/*.ts', `!${GENERATED_DIR}**`],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: typesConfig,
    },
    [TEST_GENERATED_DIR]: {
      documents: ['test/**/*.ts', `!${TEST_GENERATED_DIR}**`],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { ...typesConfig, documentMode: 'string' },
    },
  },
};

export default codegenConfig;
