/**
 * Variable scopes of one iteration, highest precedence first: captured during the run, the
 * current data row, the run's secrets, the run's variables, the collection's variables, built-ins.
 * Nothing from the host environment is ever a variable.
 */
import type { JsonValue } from "../collection/model.ts";

/** Read-only layers shared by every iteration of a run. */
export interface SharedScopes {
  secrets: Readonly<Record<string, JsonValue>>;
  variables: Readonly<Record<string, JsonValue>>;
  collection: Readonly<Record<string, JsonValue>>;
  now: () => number;
}

function randomInt(maxInclusive: number): number {
  const buffer = new Uint32Array(1);
  crypto.getRandomValues(buffer);
  return (buffer[0] ?? 0) % (maxInclusive + 1);
}

/** A built-in variable's fresh value, or undefined for other names. */
export function builtIn(name: string, now: () => number): JsonValue | undefined {
  switch (name) {
    case "$uuid":
      return crypto.randomUUID();
    case "$timestamp":
      return Math.floor(now() / 1000);
    case "$isoTimestamp":
      return new Date(now()).toISOString();
    case "$randomInt":
      return randomInt(1000);
    default:
      return undefined;
  }
}

/** An item of the iteration that was to capture a variable and did not. */
export interface UncapturedBy {
  /** The item's name. */
  item: string;
  /** How that item ended (`errored`, `failed` or `skipped`). */
  status: string;
}

/** The variables of one iteration: shared layers plus its data row and its own captures. */
export class IterationScope {
  readonly captured = new Map<string, JsonValue>();
  /**
   * Capture targets an earlier item of this iteration declared but did not set, with the first
   * such item: a later item that needs one errors with "unknown variable" naming that item too,
   * so a failed run says why.
   */
  readonly #uncaptured = new Map<string, UncapturedBy>();
  readonly #shared: SharedScopes;
  readonly #row: Readonly<Record<string, JsonValue>> | undefined;

  constructor(shared: SharedScopes, row?: Readonly<Record<string, JsonValue>>) {
    this.#shared = shared;
    this.#row = row;
  }

  /** The value of `name` by precedence, or undefined when no layer has it. */
  lookup = (name: string): JsonValue | undefined => {
    if (this.captured.has(name)) return this.captured.get(name);
    const shared = this.#shared;
    for (const layer of [this.#row, shared.secrets, shared.variables, shared.collection]) {
      if (layer !== undefined && Object.hasOwn(layer, name)) return layer[name];
    }
    return builtIn(name, shared.now);
  };

  /** Records that `by` was to capture `names` but did not; the first such item is kept. */
  markUncaptured(names: Iterable<string>, by: UncapturedBy): void {
    for (const name of names) {
      if (!this.captured.has(name) && !this.#uncaptured.has(name)) this.#uncaptured.set(name, by);
    }
  }

  /** The earlier item that was to capture `name` and did not, or undefined. */
  uncapturedBy(name: string): UncapturedBy | undefined {
    return this.#uncaptured.get(name);
  }
}
