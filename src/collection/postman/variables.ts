/**
 * Postman variables (collection `variable` rows, environment `values`) as collection variables.
 * Values that look like credentials are not copied: they belong in a run's secrets.
 */
import type { Variables } from "../model.ts";
import { variableNameProblem } from "../selector-syntax.ts";
import { arrayOf, isReservedKey, objectOf, stringOf } from "./values.ts";

/** Converted variables, with what the user should be told. */
export interface ConvertedVariables {
  variables: Variables;
  notes: string[];
}

const SECRET_NAME = /secret|passw|api[-_ ]?key|token|credential|private[-_ ]?key|auth/i;

/**
 * Converts `{ key, value, type, disabled | enabled }` rows. `enabledKey` is "disabled" for
 * collections and "enabled" for environments.
 */
export function convertVariables(
  rows: unknown,
  enabledKey: "disabled" | "enabled",
  map: (text: string) => string,
): ConvertedVariables {
  const variables: Variables = {};
  const notes: string[] = [];
  for (const entry of arrayOf(rows)) {
    const row = objectOf(entry);
    if (row === undefined) continue;
    if (enabledKey === "disabled" ? row.disabled === true : row.enabled === false) continue;
    const name = stringOf(row.key)?.trim();
    if (name === undefined || name === "") continue;
    const problem = variableNameProblem(name);
    if (problem !== null || isReservedKey(name)) {
      notes.push(`variable "${name}" was dropped: ${problem ?? "reserved name"}`);
      continue;
    }
    const value = row.value;
    const hasValue = value !== undefined && value !== null && value !== "";
    if (hasValue && (row.type === "secret" || SECRET_NAME.test(name))) {
      notes.push(
        `variable "${name}" looks like a credential, so its value was not copied: supply it as a run secret`,
      );
      continue;
    }
    if (typeof value === "string") variables[name] = map(value);
    else if (typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value)))
      variables[name] = value;
    else if (value === undefined || value === null) variables[name] = "";
    else {
      variables[name] = JSON.stringify(value) ?? "";
      notes.push(`variable "${name}" holds structured data; it was converted to a JSON string`);
    }
  }
  return { variables, notes };
}
