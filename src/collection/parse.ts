/**
 * `parseCollection`: validates a collection (a parsed value or JSON text) against the format,
 * returning the typed collection or issues that point at the deepest offending fields.
 */
import { folderDepthIssues } from "./folder-depth.ts";
import { validateBounded } from "./issue-budget.ts";
import { type CollectionIssue, fromValibotIssues, MAX_ISSUES } from "./issues.ts";
import { parseJsonText } from "./json-text.ts";
import type { Collection } from "./model.ts";
import { CollectionSchema, MAX_FOLDER_DEPTH } from "./schema.ts";

export type { CollectionIssue } from "./issues.ts";

/** The outcome of {@link parseCollection}. */
export type ParseCollectionResult =
  | { ok: true; collection: Collection }
  | { ok: false; issues: CollectionIssue[] };

/**
 * Validates a collection. `input` is a parsed value or JSON text. Never throws: malformed JSON
 * gives one issue at path "" locating the syntax error; anything else gives issues whose `path`
 * is a JSON Pointer (for example `/items/0/request/method`) and whose message says how to fix it.
 *
 * @example
 * ```ts
 * import { parseCollection } from "certn-edge/runner";
 *
 * const parsed = parseCollection(await readFile("collections/certn-smoke.json", "utf8"));
 * if (parsed.ok) console.log(parsed.collection.name);
 * else for (const issue of parsed.issues) console.error(`${issue.path}: ${issue.message}`);
 * ```
 */
export function parseCollection(input: unknown): ParseCollectionResult {
  try {
    let value = input;
    if (typeof input === "string") {
      const parsed = parseJsonText(input);
      if (!parsed.ok) return { ok: false, issues: [{ path: "", message: parsed.message }] };
      value = parsed.value;
    }
    const depthIssues = folderDepthIssues(value, MAX_FOLDER_DEPTH);
    if (depthIssues.length > 0) return { ok: false, issues: depthIssues };
    const result = validateBounded(CollectionSchema, value, MAX_ISSUES);
    if (result.success) return { ok: true, collection: result.output };
    return { ok: false, issues: fromValibotIssues(result.issues ?? [], result.stopped) };
  } catch (error) {
    // Only exotic inputs get here (a proxy or getter that throws, a stack overflow).
    const reason = error instanceof RangeError ? "it is nested too deeply" : "reading it failed";
    return { ok: false, issues: [{ path: "", message: `the collection could not be validated: ${reason}` }] };
  }
}
