import { badInput } from '../../errors.js';

/**
 * The JSON body of a REST request, read field by field: a field of the wrong type is BAD_USER_INPUT
 * naming it, before any core function runs. Fields the route does not know are ignored, as the seed did.
 */
export type JsonObject = Readonly<Record<string, unknown>>;

/** The body as a JSON object, or BAD_USER_INPUT. */
export function parseJsonObject(text: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badInput('body', 'The body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw badInput('body', 'The body must be a JSON object.');
  return parsed as JsonObject;
}

export function requiredString(body: JsonObject, field: string): string {
  const value = body[field];
  if (typeof value !== 'string') throw badInput(field, `"${field}" must be a string.`);
  return value;
}

/** Absent and null are alike: not given. */
export function optionalString(body: JsonObject, field: string): string | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw badInput(field, `"${field}" must be a string.`);
  return value;
}

export function optionalBoolean(body: JsonObject, field: string, fallback: boolean): boolean {
  const value = body[field];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw badInput(field, `"${field}" must be true or false.`);
  return value;
}
