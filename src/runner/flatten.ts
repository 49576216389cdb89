/**
 * Flattens folders into the ordered list of request and wait items, each with its folder path. Items of a
 * shape the runner cannot use (an unvalidated collection) are kept, with the problem noted, so
 * they are reported as errored instead of crashing the run.
 */
import type { RequestItem, WaitItem } from "../collection/model.ts";
import { isRecord as isObject } from "../core/json.ts";

/** A request or wait item with its place in the collection. */
export interface FlatItem {
  item: RequestItem | WaitItem;
  /** Position in the flattened list (stable: names a durable run's steps). */
  index: number;
  /** Folder names, then the item's own name. */
  path: string[];
  /** Why the item cannot run, for a malformed item. */
  problem?: string;
}

const MAX_DEPTH = 8;

function nameOf(value: unknown, fallback: string): string {
  if (value !== null && typeof value === "object" && "name" in value && typeof value.name === "string") {
    return value.name;
  }
  return fallback;
}

/** Flattens `items` depth-first, in order. */
export function flattenItems(items: readonly unknown[]): FlatItem[] {
  const out: Array<Omit<FlatItem, "index">> = [];
  collect(items, [], 1, out);
  return out.map((entry, index) => ({ ...entry, index }));
}

function collect(
  items: readonly unknown[],
  parents: string[],
  depth: number,
  out: Array<Omit<FlatItem, "index">>,
): void {
  items.forEach((entry, index) => {
    const name = nameOf(entry, `item ${index + 1}`);
    const path = [...parents, name];
    if (isObject(entry) && Array.isArray(entry.items)) {
      if (depth > MAX_DEPTH) {
        out.push({
          item: entry as unknown as RequestItem,
          path,
          problem: `folders nest deeper than ${MAX_DEPTH}`,
        });
        return;
      }
      collect(entry.items, path, depth + 1, out);
      return;
    }
    if (isObject(entry) && isObject(entry.request)) {
      out.push({ item: entry as unknown as RequestItem, path });
      return;
    }
    if (isObject(entry) && isObject(entry.wait)) {
      out.push({ item: entry as unknown as WaitItem, path });
      return;
    }
    out.push({
      item: (isObject(entry) ? entry : {}) as unknown as RequestItem,
      path,
      problem: `item "${name}" is neither a folder (with "items"), a request item (with "request") nor a wait item (with "wait")`,
    });
  });
}
