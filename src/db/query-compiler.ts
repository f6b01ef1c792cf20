import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { GetPrismaClientConfig } from '@prisma/client/runtime/client';

/**
 * Prisma's query compiler ships as WebAssembly inside a JavaScript module (`export const wasm =
 * "<base64>"`), and the generated client imports that module. An imported module is never unloaded,
 * so its 4.6 MB source and its 4.6 MB string stay in memory for the life of the process, beside the
 * compiled module they were only needed to build (bench: rss). Here the same file is read as text, the
 * string taken out and decoded, and everything but the compiled module becomes garbage at once.
 *
 * Prisma takes this through `__internal.configOverride`, the one place its client accepts a different
 * loader; the runtime module (`getRuntime`) and every other setting stay the generated ones. Should a
 * Prisma release drop the option, its constructor rejects the unknown key and no client starts: every
 * test fails loudly, none silently keeps the old cost.
 */
export const lightQueryCompiler = {
  configOverride: (config: GetPrismaClientConfig): GetPrismaClientConfig => {
    const generated = config.compilerWasm;
    if (!generated) return config;
    // The generated loader names the build (fast or small) and the provider; the file sits beside it.
    const build = generated.importName.replace(/^\.\//, '').replace(/\.js$/, '');
    const file = `@prisma/client/runtime/${build}.${config.activeProvider}.wasm-base64.mjs`;
    return {
      ...config,
      compilerWasm: {
        ...generated,
        getQueryCompilerWasmModule: async () => {
          const text = await readFile(fileURLToPath(import.meta.resolve(file)), 'latin1');
          const base64 = text.slice(text.indexOf('"') + 1, text.lastIndexOf('"'));
          return WebAssembly.compile(Buffer.from(base64, 'base64'));
        },
      },
    };
  },
};
