import { statSync } from 'node:fs';
import { migratedTemplate } from '../src/db/pglite-template.js';

// Builds the migrated PGlite template ahead of time, so that no first start pays for it (see
// src/db/pglite-template.ts); a no-op when it is already cached for these migrations.
const started = performance.now();
const template = await migratedTemplate();
const bytes = 'file' in template ? statSync(template.file).size : template.blob.size;
console.log(
  `PGlite template ready (${(bytes / 1e6).toFixed(1)} MB, ${Math.round(performance.now() - started)} ms)`,
);
// The schema engine's WebAssembly leaves a timer of about 10 s behind; nothing is pending after the write.
process.exit(0);
