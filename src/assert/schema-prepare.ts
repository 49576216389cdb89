/**
 * The copy of a `schema` assertion's schema that the validator (@cfworker/json-schema) is given.
 * The validator compiles `pattern` and `patternProperties` with JavaScript's backtracking RegExp,
 * where `^(a+)+$` doubles its time with every character, and its loops cannot be instrumented.
 * So every subschema it may apply (the same objects `forEachSubschema` reaches) is rewritten:
 *
 * - `pattern` and `format` become a `format` naming a check lent to the validator for the duration
 *   of one validation (`lendChecks`), which runs the pattern on the linear-time engine and the
 *   format with `checkFormat`; a subschema with both gets the format check as one more `allOf`.
 * - `patternProperties` is resolved against the value's own property names, which are known before
 *   validation starts: each name a pattern matches (tested on the linear-time engine) becomes a
 *   `properties` entry with that pattern's subschema, or, when `properties` already has it, a
 *   `patternProperties` entry whose pattern is that name, escaped: a literal, which cannot backtrack.
 *   Both keywords mark the names they cover as evaluated, so `additionalProperties` and
 *   `unevaluatedProperties` mean what they meant.
 * - each subschema gets a counting accessor, read once each time the validator applies it, which
 *   spends its size from the validation's budget.
 */
import { isRecord, setOwn } from "../core/json.ts";
import {
  forEachSubschema,
  IGNORED_KEYWORDS,
  SCHEMA_ARRAY_KEYWORDS,
  SCHEMA_MAP_KEYWORDS,
} from "../syntax/json-schema-walk.ts";
import { compileSchemaPattern, describePattern, MAX_MATCH_TEXT, type Pattern } from "../syntax/regex.ts";
import { type SchemaBudget, STEPS_PER_APPLICATION } from "./schema-budget.ts";
import { checkFormat, HOOK_PREFIX } from "./schema-formats.ts";

/** A schema that cannot be applied as written; the message says why. */
export class SchemaNotApplicable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SchemaNotApplicable";
  }
}

/** A check lent to the validator under a `format` name, and what its failure means. */
export interface LentCheck {
  readonly check: (text: string) => boolean;
  /** The validator's message when the check fails, as it would have worded it. */
  readonly failure: string;
}

/** A rewritten schema and what it needs at validation time. */
export interface PreparedSchema {
  /** The copy to give the validator. */
  readonly schema: unknown;
  /** The checks its `format` names refer to. */
  readonly checks: ReadonlyMap<string, LentCheck>;
  /** Whether the copy depends on the value's property names (it had `patternProperties`). */
  readonly perValue: boolean;
  /** The budget the accessors and checks spend from; set for each validation. */
  budget: SchemaBudget | undefined;
}

// The validator reads `$recursiveAnchor` once, by destructuring, each time it applies a subschema,
// and nothing else reads it, so an accessor there counts applications without changing anything.
const COUNTED_KEYWORD = "$recursiveAnchor";
let nextCheck = 0;

/**
 * Copies `schema` with the rewrites above. `propertyNames` are the value's distinct property
 * names, needed only when the schema has `patternProperties` (see {@link hasPatternProperties});
 * matching them spends from `budget`.
 * @throws SchemaNotApplicable for a pattern that cannot be compiled.
 */
export function prepareSchema(
  schema: unknown,
  propertyNames: readonly string[] = [],
  budget?: SchemaBudget,
): PreparedSchema {
  const prepared: PreparedSchema = { schema, checks: new Map(), perValue: false, budget };
  const state: CopyState = { prepared, propertyNames, copies: new Map() };
  (prepared as { schema: unknown }).schema = copyAll(schema, state);
  prepared.budget = undefined;
  return prepared;
}

/** Whether any subschema of `schema` has `patternProperties`. */
export function hasPatternProperties(schema: unknown): boolean {
  let found = false;
  forEachSubschema(schema, (subschema) => {
    if (isRecord(subschema.patternProperties)) found = true;
  });
  return found;
}

/**
 * Runs `validate` with the prepared schema's checks lent to the validator's format table, and
 * takes them back afterwards, whatever happens. Validation is synchronous, so no other validation
 * can see them.
 */
export function lendChecks<T>(
  formats: Record<string, (text: string) => boolean>,
  prepared: PreparedSchema,
  budget: SchemaBudget,
  validate: () => T,
): T {
  prepared.budget = budget;
  for (const [name, lent] of prepared.checks) formats[name] = lent.check;
  try {
    return validate();
  } finally {
    for (const name of prepared.checks.keys()) delete formats[name];
    prepared.budget = undefined;
  }
}

interface CopyState {
  readonly prepared: PreparedSchema;
  readonly propertyNames: readonly string[];
  /** Each source subschema's copy, so a subschema shared by several names is copied once. */
  readonly copies: Map<object, Record<string, unknown>>;
}

interface Task {
  readonly source: Record<string, unknown>;
  readonly target: Record<string, unknown>;
}

/** Copies every subschema iteratively (a deep schema cannot overflow the stack), rewriting each. */
function copyAll(schema: unknown, state: CopyState): unknown {
  if (!isRecord(schema)) return schema;
  const tasks: Task[] = [];
  const copyOf = (value: unknown): unknown => {
    if (!isRecord(value)) return value;
    let copy = state.copies.get(value);
    if (copy === undefined) {
      copy = {};
      state.copies.set(value, copy);
      tasks.push({ source: value, target: copy });
    }
    return copy;
  };
  const root = copyOf(schema);
  while (tasks.length > 0) {
    const { source, target } = tasks.pop() as Task;
    for (const key of Object.keys(source)) {
      const value = source[key];
      if (IGNORED_KEYWORDS.has(key)) setOwn(target, key, value);
      else if (Array.isArray(value))
        setOwn(target, key, SCHEMA_ARRAY_KEYWORDS.has(key) ? value.map(copyOf) : value);
      else if (SCHEMA_MAP_KEYWORDS.has(key) && isRecord(value)) {
        const map: Record<string, unknown> = {};
        for (const name of Object.keys(value)) setOwn(map, name, copyOf(value[name]));
        setOwn(target, key, map);
      } else setOwn(target, key, copyOf(value));
    }
    rewritePatternAndFormat(target, state.prepared);
    if (isRecord(target.patternProperties)) resolvePatternProperties(target, state);
    countApplications(target, state.prepared);
  }
  return root;
}

function rewritePatternAndFormat(target: Record<string, unknown>, prepared: PreparedSchema): void {
  const pattern = typeof target.pattern === "string" ? target.pattern : undefined;
  const format = typeof target.format === "string" ? target.format : undefined;
  if (pattern === undefined && format === undefined) return;
  delete target.pattern;
  delete target.format;
  const names: string[] = [];
  if (pattern !== undefined)
    names.push(lend(prepared, patternCheck(pattern, prepared), "String does not match pattern."));
  if (format !== undefined) {
    const check = (text: string): boolean => {
      prepared.budget?.spendText(text.length);
      return checkFormat(format, text);
    };
    names.push(lend(prepared, check, `String does not match format ${JSON.stringify(format)}.`));
  }
  const [first, second] = names;
  setOwn(target, "format", first);
  if (second !== undefined) {
    const allOf = Array.isArray(target.allOf) ? target.allOf : [];
    setOwn(target, "allOf", [...allOf, { format: second }]);
  }
}

function lend(prepared: PreparedSchema, check: (text: string) => boolean, failure: string): string {
  const name = `${HOOK_PREFIX}${nextCheck++}`;
  (prepared.checks as Map<string, LentCheck>).set(name, { check, failure });
  return name;
}

function compiledPattern(pattern: string): Pattern {
  const compiled = compileSchemaPattern(pattern);
  if (!compiled.ok) throw new SchemaNotApplicable(compiled.message);
  return compiled.pattern;
}

function patternCheck(pattern: string, prepared: PreparedSchema): (text: string) => boolean {
  const compiled = compiledPattern(pattern);
  return (text) => {
    if (text.length > MAX_MATCH_TEXT) {
      throw new SchemaNotApplicable(
        `pattern ${describePattern(pattern)} would be tested against a string of ${text.length} characters; at most ${MAX_MATCH_TEXT} are`,
      );
    }
    prepared.budget?.spend(compiled.work(text.length));
    return compiled.test(text);
  };
}

function resolvePatternProperties(target: Record<string, unknown>, state: CopyState): void {
  const prepared = state.prepared as { perValue: boolean };
  prepared.perValue = true;
  const byPattern = target.patternProperties as Record<string, unknown>;
  const properties = isRecord(target.properties) ? target.properties : undefined;
  const matched = new Map<string, unknown[]>();
  for (const pattern of Object.keys(byPattern)) {
    const compiled = compiledPattern(pattern);
    for (const name of state.propertyNames) {
      state.prepared.budget?.spend(compiled.work(name.length));
      if (!compiled.test(name)) continue;
      const list = matched.get(name);
      if (list === undefined) matched.set(name, [byPattern[pattern]]);
      else list.push(byPattern[pattern]);
    }
  }
  const mergedProperties: Record<string, unknown> = {};
  if (properties !== undefined)
    for (const name of Object.keys(properties)) setOwn(mergedProperties, name, properties[name]);
  const literalPatterns: Record<string, unknown> = {};
  for (const [name, schemas] of matched) {
    const schema = schemas.length === 1 ? schemas[0] : { allOf: schemas };
    if (properties !== undefined && Object.hasOwn(properties, name))
      setOwn(literalPatterns, literalPattern(name), schema);
    else setOwn(mergedProperties, name, schema);
  }
  if (properties !== undefined || matched.size > 0) setOwn(target, "properties", mergedProperties);
  if (Object.keys(literalPatterns).length > 0) setOwn(target, "patternProperties", literalPatterns);
  else delete target.patternProperties;
}

/** A pattern matching exactly `name`: every syntax character escaped, anchored at both ends. */
function literalPattern(name: string): string {
  return `^${name.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&")}$`;
}

/** Makes each application of `target` spend its cost plus its size (the validator loops over its parts). */
function countApplications(target: Record<string, unknown>, prepared: PreparedSchema): void {
  let size = STEPS_PER_APPLICATION;
  for (const key of Object.keys(target)) {
    const value = target[key];
    size += Array.isArray(value) ? value.length : isRecord(value) ? Object.keys(value).length : 1;
  }
  const original = target[COUNTED_KEYWORD];
  Object.defineProperty(target, COUNTED_KEYWORD, {
    get() {
      prepared.budget?.spend(size);
      return original;
    },
    enumerable: false,
    configurable: true,
  });
}
