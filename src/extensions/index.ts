/**
 * The schema's extensions: each import adds a module's types and root fields to the one schema
 * (src/schema/index.ts imports this file before it builds). Add a line to register yours.
 */
import './notes/notes.js';
