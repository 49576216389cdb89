/** The state shared by the parts of the script translator. */
import type { Assertion, JsonValue } from "../model.ts";

/** What a script became. */
export interface ScriptTranslation {
  assertions: Assertion[];
  /** Variable name to selector, in the order they were set. */
  captures: [string, string][];
  /** Statements (or, for long ones, their parts) that were not translated, as written. */
  untranslated: string[];
}

/** A path from the root of the JSON body. */
export type Path = (string | number)[];
/** What the subject of a check reads from the response. */
export type Subject =
  | { kind: "status" }
  | { kind: "duration" }
  | { kind: "header"; name: string }
  | { kind: "json"; path: Path };

/**
 * A name bound to part of the response or to a value. It is `used` once a translated statement
 * reads it (directly or through bindings made from it, its `sources`).
 */
export type Binding = ({ kind: "json"; path: Path } | { kind: "value"; value: JsonValue }) & {
  statement: string[];
  used: boolean;
  sources: Binding[];
};

/** One script's translation in progress. */
export interface Context {
  source: string;
  bindings: Map<string, Binding>;
  /** Bindings read while translating the current statement. */
  touched: Set<Binding>;
  testName: string | undefined;
  out: ScriptTranslation;
}
