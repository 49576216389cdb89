/**
 * JSON shapes shared by every layer: the value type and the one check for a plain object.
 */

/** Any JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * True for a plain JSON object (not null, not an array).
 * @example
 * isRecord({ a: 1 }); // true
 * isRecord([1]); // false
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Sets `key` as an own, enumerable property, as `JSON.parse` makes one: even `__proto__` (a key
 * from a response, a JSONPath selector or a header name may be any text) is an ordinary property,
 * never the prototype.
 * @example
 * const out: Record<string, string> = {};
 * setOwn(out, "__proto__", "x"); // Object.keys(out) → ["__proto__"]
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * An issue as one line of text: `POINTER: message`, the whole document's pointer ("") written
 * `(document)`, since `/` is the pointer of a member named "" (RFC 6901).
 * @example
 * issueLine({ path: "/items/0/request/method", message: "..." }); // "/items/0/request/method: ..."
 */
export function issueLine(issue: { path: string; message: string }): string {
  return `${issue.path === "" ? "(document)" : issue.path}: ${issue.message}`;
}

/**
 * A JSON Pointer (RFC 6901) from path segments, escaping `~` as `~0` and `/` as `~1`.
 * @example
 * toJsonPointer(["items", 0, "a/b"]); // "/items/0/a~1b"
 */
export function toJsonPointer(segments: readonly (string | number)[]): string {
  return segments
    .map((segment) => `/${String(segment).replaceAll("~", "~0").replaceAll("/", "~1")}`)
    .join("");
}

/**
 * Deepest nesting of arrays and objects accepted in JSON that the library reads: collection values,
 * response bodies and run inputs. Code that walks JSON recursively (deep equality, redaction,
 * reporters, the schema validator) stays far from the call stack's limit below it.
 */
export const MAX_JSON_DEPTH = 100;

/**
 * Whether `value` nests arrays and objects more than `maxDepth` levels deep: a scalar is 0 levels,
 * `[]` is 1, `[[1]]` is 2. Walks with an explicit stack (no recursion, so any depth is safe to
 * check) and stops at the first path that is too deep; a value that contains itself is too deep.
 * @example
 * jsonDepthExceeds([[1]], 1); // true
 * jsonDepthExceeds({ a: [1] }, 2); // false
 */
export function jsonDepthExceeds(value: unknown, maxDepth: number): boolean {
  // Two parallel stacks, nodes and their depths, and members read in place: every response body
  // is checked, so the walk allocates nothing per node.
  const nodes: unknown[] = [value];
  const depths: number[] = [0];
  while (nodes.length > 0) {
    const current = nodes.pop();
    const depth = (depths.pop() as number) + 1;
    if (typeof current !== "object" || current === null) continue;
    if (depth > maxDepth) return true;
    if (Array.isArray(current)) {
      for (const child of current) {
        if (typeof child === "object" && child !== null) {
          nodes.push(child);
          depths.push(depth);
        }
      }
      continue;
    }
    for (const key in current) {
      if (!Object.hasOwn(current, key)) continue;
      const child = (current as Record<string, unknown>)[key];
      if (typeof child === "object" && child !== null) {
        nodes.push(child);
        depths.push(depth);
      }
    }
  }
  return false;
}
