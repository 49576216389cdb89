/**
 * Flattens folders into the ordered list of request items, each with its folder path. Items of a
 * shape the runner cannot use (an unvalidated collection) are kept, with the problem noted, so
 * they are reported as errored instead of crashing the run.
 */
import type { RequestItem } from "../collection/model.ts";
import { isRecord as isObject } from "../core/json.ts";

/** A request item with its place in the collection. */
export interface FlatItem {
  item: RequestItem;
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
export function flattenItems(items: readonly unknown[], parents: string[] = [], depth = 1): FlatItem[] {
  const out: FlatItem[] = [];
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
      out.push(...flattenItems(entry.items, path, depth + 1));
      return;
    }
    if (isObject(entry) && isObject(entry.request)) {
      out.push({ item: entry as unknown as RequestItem, path });
      return;
    }
    out.push({
      item: (isObject(entry) ? entry : {}) as unknown as RequestItem,
      path,
      problem: `item "${name}" is neither a folder (with "items") nor a request item (with "request")`,
    });
  });
  return out;
}
