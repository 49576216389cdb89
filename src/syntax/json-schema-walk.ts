/**
 * Where a JSON Schema holds subschemas. The `schema` assertion's validator (@cfworker/json-schema)
 * treats as a schema every object it reaches through a keyword it does not ignore, so that a
 * `$ref` may point anywhere; this walk reaches exactly the same objects, so that collection
 * validation can check every pattern the validator could ever compile, and the assertion can
 * rewrite every pattern before the validator sees it.
 */
import { isRecord } from "../core/json.ts";

/** Keywords whose value is data, never a schema (the validator's own list). */
export const IGNORED_KEYWORDS: ReadonlySet<string> = new Set([
  "id",
  "$id",
  "$ref",
  "$schema",
  "$anchor",
  "$vocabulary",
  "$comment",
  "default",
  "enum",
  "const",
  "required",
  "dependentRequired",
  "type",
  "maximum",
  "minimum",
  "exclusiveMaximum",
  "exclusiveMinimum",
  "multipleOf",
  "maxLength",
  "minLength",
  "pattern",
  "format",
  "maxItems",
  "minItems",
  "uniqueItems",
  "maxProperties",
  "minProperties",
]);

/** Keywords whose array value lists subschemas. */
export const SCHEMA_ARRAY_KEYWORDS: ReadonlySet<string> = new Set([
  "prefixItems",
  "items",
  "allOf",
  "anyOf",
  "oneOf",
]);

/** Keywords whose object value maps names to subschemas. */
export const SCHEMA_MAP_KEYWORDS: ReadonlySet<string> = new Set([
  "$defs",
  "definitions",
  "properties",
  "patternProperties",
  "dependentSchemas",
]);

/** A path inside a schema: keyword names, map keys and array indexes. */
export type SchemaPath = readonly (string | number)[];

/**
 * Calls `visit` for the schema and for every object inside it that the validator may treat as a
 * (sub)schema, parents before children. Iterative, so a deep schema cannot overflow the stack;
 * boolean schemas and values under ignored keywords are skipped.
 */
export function forEachSubschema(
  schema: unknown,
  visit: (subschema: Record<string, unknown>, path: SchemaPath) => void,
): void {
  const stack: { value: unknown; path: SchemaPath }[] = [{ value: schema, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: unknown; path: SchemaPath };
    if (!isRecord(value)) continue;
    visit(value, path);
    const children: { value: unknown; path: SchemaPath }[] = [];
    for (const key of Object.keys(value)) {
      if (IGNORED_KEYWORDS.has(key)) continue;
      const child = value[key];
      if (Array.isArray(child)) {
        if (SCHEMA_ARRAY_KEYWORDS.has(key)) {
          for (let index = 0; index < child.length; index++) {
            children.push({ value: child[index], path: [...path, key, index] });
          }
        }
      } else if (SCHEMA_MAP_KEYWORDS.has(key)) {
        if (isRecord(child)) {
          for (const name of Object.keys(child))
            children.push({ value: child[name], path: [...path, key, name] });
        }
      } else {
        children.push({ value: child, path: [...path, key] });
      }
    }
    // Pushed last-first so they are visited in document order.
    for (let index = children.length - 1; index >= 0; index--)
      stack.push(children[index] as (typeof children)[0]);
  }
}

/** One pattern of a schema: a `pattern` value or a `patternProperties` name, and where it is. */
export interface SchemaPattern {
  readonly pattern: string;
  /** Path to the `pattern` keyword, or to the `patternProperties` entry. */
  readonly path: SchemaPath;
}

/** Every pattern the validator could compile, in document order. */
export function schemaPatterns(schema: unknown): SchemaPattern[] {
  const found: SchemaPattern[] = [];
  forEachSubschema(schema, (subschema, path) => {
    if (typeof subschema.pattern === "string")
      found.push({ pattern: subschema.pattern, path: [...path, "pattern"] });
    const named = subschema.patternProperties;
    if (isRecord(named)) {
      for (const name of Object.keys(named))
        found.push({ pattern: name, path: [...path, "patternProperties", name] });
    }
  });
  return found;
}
