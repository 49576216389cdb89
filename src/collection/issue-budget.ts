/**
 * A bound on the issues one validation collects. valibot checks every element of every list and
 * map and keeps an issue for each wrong one, with its path: a 1 MB collection of 500,000 wrong
 * items held 1 GB of issues for 4.7 s (a Worker has 128 MB), to report the first 100. The element
 * schemas of lists and maps are wrapped in {@link bounded} ({@link boundedArray},
 * {@link boundedRecord}); under {@link validateBounded}, once
 * more than `limit` issues are found, the validation's own config turns to `abortEarly`, so each
 * list and object stops at its next issue and the validation unwinds. The issues found stay;
 * what comes after them is not looked at. Elsewhere (the JSON Schema export, other callers of
 * `v.safeParse`) the wrapped schemas behave exactly as the ones they wrap.
 */
import * as v from "valibot";

type Config = v.Config<v.BaseIssue<unknown>>;

/** A config whose `abortEarly` this module turns on (valibot declares it read-only). */
type OwnConfig = { -readonly [Key in keyof Config]: Config[Key] };

/** The validation under way in {@link validateBounded}: its config, and the issues counted so far. */
interface Budget {
  config: OwnConfig;
  seen: number;
  limit: number;
}

let active: Budget | undefined;

/** The outcome of {@link validateBounded}: valibot's, and whether it stopped looking. */
export interface BoundedResult<TOutput> {
  success: boolean;
  output: TOutput;
  issues: readonly v.BaseIssue<unknown>[] | undefined;
  /** More than `limit` issues were found, and the rest of the input was not looked at. */
  stopped: boolean;
}

/**
 * `v.safeParse(schema, input)`, collecting about `limit` issues at most (see the module's comment).
 * @example
 * const result = validateBounded(CollectionSchema, value, 100);
 * if (!result.success) report(result.issues, result.stopped);
 */
export function validateBounded<TSchema extends v.GenericSchema>(
  schema: TSchema,
  input: unknown,
  limit: number,
): BoundedResult<v.InferOutput<TSchema>> {
  // A config object of this validation's own: valibot hands the same one to every schema, and
  // shares its default between validations (never to be changed).
  const config: OwnConfig = { abortEarly: false, abortPipeEarly: false };
  const outer = active;
  active = { config, seen: 0, limit };
  try {
    const dataset = schema["~run"]({ value: input }, config);
    return {
      success: !dataset.issues,
      output: dataset.value as v.InferOutput<TSchema>,
      issues: dataset.issues,
      stopped: config.abortEarly === true,
    };
  } finally {
    active = outer;
  }
}

/**
 * `schema`, counting its issues against the validation's budget: for the elements of lists and
 * the keys and values of maps, where a hostile input repeats a wrong value without end.
 */
function bounded<TSchema extends v.GenericSchema>(schema: TSchema): TSchema {
  const run = schema["~run"].bind(schema);
  return {
    ...schema,
    "~run"(dataset: v.UnknownDataset, config: Config) {
      const budget = active;
      if (budget === undefined || config !== budget.config) return run(dataset, config);
      // Issues of nested bounded schemas come up inside this one's: counted once, here.
      const start = budget.seen;
      const output = run(dataset, config);
      budget.seen = start + (output.issues?.length ?? 0);
      if (budget.seen > budget.limit) budget.config.abortEarly = true;
      return output;
    },
  };
}

/**
 * `v.array(item, message)` whose elements count against the budget. The array the JSON Schema
 * export reads holds `item` itself, so a named part (`#/$defs/Assertion`) is still referred to.
 * @example
 * const Items = boundedArray(ItemSchema, "items must be an array");
 */
export function boundedArray<
  const TItem extends v.GenericSchema,
  const TMessage extends v.ErrorMessage<v.ArrayIssue> | undefined,
>(item: TItem, message: TMessage): v.ArraySchema<TItem, TMessage> {
  const checked = v.array(bounded(item), message);
  return { ...v.array(item, message), "~run": checked["~run"].bind(checked) };
}

/** `v.record(key, value, message)` whose keys and values count against the budget, as {@link boundedArray}. */
export function boundedRecord<
  const TKey extends v.GenericSchema<string, string | number | symbol>,
  const TValue extends v.GenericSchema,
  const TMessage extends v.ErrorMessage<v.RecordIssue> | undefined,
>(key: TKey, value: TValue, message: TMessage): v.RecordSchema<TKey, TValue, TMessage> {
  const checked = v.record(bounded(key), bounded(value), message);
  return { ...v.record(key, value, message), "~run": checked["~run"].bind(checked) };
}
