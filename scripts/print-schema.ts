import { readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { printSchema } from 'graphql';
import { codegenConfig, GENERATED_DIR, SCHEMA_FILE, TEST_GENERATED_DIR } from '../codegen.js';
import { schema } from '../src/schema/index.js';

/**
 * `schema.graphql` is printed from the Pothos schema (already sorted), so it only changes when the
 * schema does. With `--check` nothing is written: the schema and every file graphql-codegen would
 * generate are compared with the checked-in ones, and any difference fails (CI runs this).
 */

const root = resolve(import.meta.dirname, '..');
const printed = `${printSchema(schema)}\n`;
const schemaPath = resolve(root, SCHEMA_FILE);

if (!process.argv.includes('--check')) {
  writeFileSync(schemaPath, printed);
  console.log(`wrote ${SCHEMA_FILE}`);
} else {
  const stale: string[] = [];
  if (readOrNull(schemaPath) !== printed) stale.push(SCHEMA_FILE);
  // Generated from the freshly printed schema, so a stale schema.graphql cannot hide stale documents.
  const outputs = await generate({ ...codegenConfig, schema: printed, silent: true }, false);
  for (const { filename, content } of outputs) {
    if (readOrNull(resolve(root, filename)) !== content)
      stale.push(relative(root, resolve(root, filename)));
  }
  if (stale.length) {
    console.error(
      `stale generated files (run \`npm run codegen\` and commit):\n  ${stale.join('\n  ')}`,
    );
    process.exit(1);
  }
  console.log(`${SCHEMA_FILE}, ${GENERATED_DIR} and ${TEST_GENERATED_DIR} are up to date`);
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
