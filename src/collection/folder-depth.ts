/**
 * The folder depth limit, checked on the raw input before the schema runs: validation recurses
 * through folders, so an absurdly deep (or cyclic) input must be refused before it can overflow
 * the stack.
 */

import { toJsonPointer } from "../core/json.ts";
import type { CollectionIssue } from "./issues.ts";
import { isPlainObject } from "./json-value.ts";

/** Issues for folders nested deeper than `maxDepth` (a top-level folder is at depth 1). */
export function folderDepthIssues(input: unknown, maxDepth: number): CollectionIssue[] {
  const issues: CollectionIssue[] = [];
  if (!isPlainObject(input)) return issues;
  const stack: { items: unknown; depth: number; path: (string | number)[] }[] = [
    { items: input.items, depth: 0, path: ["items"] },
  ];
  while (stack.length > 0) {
    const { items, depth, path } = stack.pop()!;
    if (!Array.isArray(items)) continue;
    const children: typeof stack = [];
    items.forEach((item: unknown, index) => {
      if (!isPlainObject(item) || !Object.hasOwn(item, "items")) return;
      const itemPath = [...path, index];
      if (depth + 1 > maxDepth) {
        issues.push({
          path: toJsonPointer(itemPath),
          message: `folders nest at most ${maxDepth} deep, and this one is at depth ${depth + 1}: move its items up a level`,
        });
        return;
      }
      children.push({ items: item.items, depth: depth + 1, path: [...itemPath, "items"] });
    });
    // Reversed, so folders are visited (and issues reported) in document order.
    for (let index = children.length - 1; index >= 0; index--) stack.push(children[index]!);
  }
  return issues;
}
