/**
 * `--vars-file`: a JSON object of variables, or a Postman environment export (its enabled values
 * become variables, and values of type "secret" become secret variables).
 */
import type { JsonValue, Variables } from "../collection/model.ts";
import { parseJsonFile, toVariables } from "./data-file.ts";
import { UsageError } from "./usage-error.ts";

/** What a variables file holds. */
export interface VariablesFile {
  /** Variables; their names and values are checked as run inputs. */
  variables: Record<string, JsonValue>;
  secrets: Variables;
  warnings: string[];
}

/** True for the shape of a Postman environment export (`{ values: [{ key, value }] }`). */
export function isPostmanEnvironment(value: unknown): value is { values: unknown[] } {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Array.isArray((value as { values?: unknown }).values) &&
    ((value as { _postman_variable_scope?: unknown })._postman_variable_scope !== undefined ||
      (value as { values: unknown[] }).values.every(
        (entry) => typeof entry === "object" && entry !== null && "key" in entry,
      ))
  );
}

/**
 * Reads a variables file.
 * @throws UsageError naming the file and the JSON Pointer of a bad value
 */
export async function readVariablesFile(text: string, source: string): Promise<VariablesFile> {
  const parsed = parseJsonFile(text, source);
  if (isPostmanEnvironment(parsed)) {
    const { importPostmanEnvironment } = await import("../runner/index.ts");
    // Values Postman marks `type: "secret"` become run secrets: redacted everywhere, never copied
    // into a variable. The importer takes the rest.
    const secrets: Variables = {};
    const rest = parsed.values.filter((entry) => {
      const { key, value, type, enabled } = (entry ?? {}) as Record<string, unknown>;
      if (type !== "secret" || typeof key !== "string") return true;
      if (
        enabled !== false &&
        (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
      ) {
        secrets[key] = value;
      }
      return false;
    });
    const imported = importPostmanEnvironment({ ...parsed, values: rest });
    const variables: Variables = { ...imported.variables };
    return { variables, secrets, warnings: [...imported.warnings] };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`${source}: must be a JSON object of variables or a Postman environment`);
  }
  return { variables: toVariables(parsed, source), secrets: {}, warnings: [] };
}
