import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import * as engineGlue from '@prisma/schema-engine-wasm/schema_engine_bg';

/**
 * Prisma's schema engine compiled to WebAssembly, driven through a driver adapter. It is what makes
 * migrations work offline (the CLI would download a native engine) and on PGlite alike.
 *
 * The package's entry imports the .wasm file as an ES module, which Node 20 only allows behind
 * --experimental-wasm-modules; instantiating it here by hand spares every entry point that flag.
 */
let initialised: Promise<void> | undefined;

function initialiseWasm(): Promise<void> {
  initialised ??= (async () => {
    const entry = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm');
    const bytes = await readFile(join(dirname(entry), 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, {
      './schema_engine_bg.js': engineGlue,
    });
    engineGlue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return initialised;
}

export async function openSchemaEngine(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  datamodels: { path: string; content: string }[],
): Promise<SchemaEngine> {
  await initialiseWasm();
  const adapter = bindMigrationAwareSqlAdapterFactory(adapterFactory);
  const log = (_message: string) => {};
  return (await engineGlue.SchemaEngine.new(
    { datamodels: datamodels.map(({ path, content }) => [path, content]) },
    log,
    adapter,
  )) as SchemaEngine;
}
