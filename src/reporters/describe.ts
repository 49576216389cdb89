/** Shared wording of reporters: how an assertion's failure and values read. */
import type { AssertionResult, ItemResult, JsonValue } from "../results/result.ts";

/** A value as a report shows it (JSON form; `undefined` as "nothing"). */
export function showValue(value: JsonValue | undefined): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}

/** One line describing a failed assertion: selector, operator, expected and actual. */
export function describeFailure(assertion: AssertionResult): string {
  const label = assertion.name === undefined ? "" : `${assertion.name}: `;
  const detail = `${label}${assertion.that} ${assertion.op} ${showValue(assertion.expected)}, actual ${showValue(assertion.actual)}`;
  return assertion.message === undefined ? detail : `${detail} (${assertion.message})`;
}

/** The item's path as text: `Folder / Sub / Item`. */
export function itemLabel(item: ItemResult, iterations: number): string {
  const path = item.path.length > 0 ? item.path.join(" / ") : item.name;
  return iterations > 1 ? `${path} [iteration ${item.iteration}]` : path;
}

/** How many iterations a result holds. */
export function iterationCount(items: readonly ItemResult[]): number {
  return items.reduce((max, item) => Math.max(max, item.iteration + 1), 0);
}
