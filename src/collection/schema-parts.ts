/**
 * Building blocks for the collection schema: valibot schemas whose issues carry messages that
 * name the field and say how to fix it, which valibot's defaults do not.
 */
import * as v from "valibot";
import { codePointLength } from "./code-points.ts";
import { boundedRecord } from "./issue-budget.ts";
import { isPlainObject } from "./json-value.ts";
import { closestMatch, describeValue } from "./messages.ts";

/** Longest timeout or delay, in ms (10 minutes). */
export const MAX_MS = 600_000;

/** A valibot message function. */
export type Message = (issue: v.BaseIssue<unknown>) => string;

/** `FIELD must be WHAT (got VALUE)` */
export function mustBe(field: string, what: string): Message {
  return (issue) => `${field} must be ${what} (got ${describeValue(issue.input)})`;
}

/** How an object's issues are worded. */
export interface ObjectWording {
  /** What the object is, for messages: "a request item", "options"... */
  label: string;
  /** A hint added to the "missing field" message of some required fields. */
  requiredHints?: Record<string, string>;
  /** Overrides the "unknown field" message for some keys (return undefined to keep it). */
  unknownKey?: (key: string) => string | undefined;
}

/**
 * A strict object: an issue for a value that is not a plain object (arrays included), for each
 * missing required field (at the field) and for the first unknown field (at that field, listing
 * the known ones and suggesting the closest).
 */
export function strictObject<const TEntries extends v.ObjectEntries>(
  wording: ObjectWording,
  entries: TEntries,
) {
  const keys = Object.keys(entries);
  return v.pipe(
    v.custom<Record<string, unknown>>(isPlainObject, mustBe(wording.label, "an object")),
    v.strictObject(entries, (issue) => objectMessage(wording, keys, issue)),
  );
}

function objectMessage(wording: ObjectWording, keys: readonly string[], issue: v.BaseIssue<unknown>): string {
  if (issue.expected === "never") {
    const key = String(issue.input);
    const custom = wording.unknownKey?.(key);
    if (custom !== undefined) return custom;
    const guess = closestMatch(key, keys);
    const hint = guess === undefined ? "" : ` (did you mean "${guess}"?)`;
    return `unknown field "${key}"${hint}; ${wording.label} has: ${keys.join(", ")}`;
  }
  if (issue.expected?.startsWith('"')) {
    const key = issue.expected.slice(1, -1);
    const hint = wording.requiredHints?.[key];
    return `${wording.label} needs "${key}"${hint === undefined ? "" : `: ${hint}`}`;
  }
  return mustBe(wording.label, "an object")(issue);
}

/** A record (plain object) whose keys and values are checked by the given schemas. */
export function record<
  const TKey extends v.GenericSchema<string, string | number | symbol>,
  const TValue extends v.GenericSchema,
>(label: string, key: TKey, value: TValue) {
  return v.pipe(
    v.custom<Record<string, unknown>>(isPlainObject, mustBe(label, "an object")),
    v.rawCheck<Record<string, unknown>>(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      for (const name of RESERVED_KEYS) {
        if (Object.hasOwn(dataset.value, name)) {
          addIssue({
            message: `"${name}" cannot be used as a name in ${label}`,
            path: [
              { type: "object", origin: "key", input: dataset.value, key: name, value: dataset.value[name] },
            ],
          });
        }
      }
    }),
    boundedRecord(key, value, mustBe(label, "an object")),
  );
}

/** Keys that valibot's records skip (and JavaScript objects treat specially), so they are refused. */
const RESERVED_KEYS = ["__proto__", "constructor", "prototype"] as const;

/** A whole number from `min` to `max`. */
export function integerIn(field: string, min: number, max: number, description: string) {
  const what = `a whole number from ${min} to ${max}`;
  return v.pipe(
    v.number(mustBe(field, what)),
    v.integer(mustBe(field, what)),
    v.minValue(min, mustBe(field, what)),
    v.maxValue(max, mustBe(field, what)),
    v.description(description),
  );
}

/** A boolean. */
export function boolean(field: string, description: string) {
  return v.pipe(v.boolean(mustBe(field, "true or false")), v.description(description));
}

/**
 * A string of `min` to `max` characters, counted as code points (the format's "1..200 chars", and
 * JSON Schema's `minLength` and `maxLength`, which the schema export states).
 */
export function text(field: string, min: number, max: number, description: string) {
  const what =
    min === 0 ? `a string of at most ${max} characters` : `a string of ${min} to ${max} characters`;
  const size: Message = (issue) => {
    const length = typeof issue.input === "string" ? codePointLength(issue.input) : 0;
    return `${field} must be ${what} (got ${length === 0 ? "an empty string" : `${length} characters`})`;
  };
  return v.pipe(
    v.string(mustBe(field, "a string")),
    v.check((input) => {
      const length = codePointLength(input);
      return length >= min && length <= max;
    }, size),
    v.metadata({ minLength: min, maxLength: max }),
    v.description(description),
  );
}

/** One of a fixed list of strings. */
export function oneOf<const TOptions extends readonly [string, ...string[]]>(
  field: string,
  options: TOptions,
  description: string,
) {
  return v.pipe(
    v.picklist(options, (issue) => {
      const input = issue.input;
      const upper =
        typeof input === "string" ? options.find((o) => o.toLowerCase() === input.toLowerCase()) : undefined;
      const hint = upper === undefined ? "" : ` (letter case matters: write "${upper}")`;
      return `${field} must be one of ${options.join(", ")} (got ${describeValue(input)})${hint}`;
    }),
    v.description(description),
  );
}
