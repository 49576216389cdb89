/**
 * Where a JSON Pointer lands in JSON text, so a validation issue can be shown at its line. The
 * text is read by jsonc-parser (a syntax tree with offsets, never evaluated); a pointer to a
 * member that is missing lands on its nearest existing parent, where it would be added.
 */
import { type Node as JsonNode, parseTree } from "jsonc-parser";

/** A place in the text: 1-based line and column, and the 0-based offset. */
export interface TextPlace {
  line: number;
  column: number;
  offset: number;
  length: number;
}

/** The segments of an RFC 6901 JSON Pointer ("" is the whole document). */
export function pointerSegments(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((segment) => segment.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/** The 1-based line and column of an offset. */
export function placeOfOffset(text: string, offset: number, length = 0): TextPlace {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < text.length; index++) {
    if (text.charCodeAt(index) === 10) {
      line++;
      lineStart = index + 1;
    }
  }
  return { line, column: offset - lineStart + 1, offset, length };
}

/**
 * The place of `pointer` in `text`: its property (key and value) when it names one, else the
 * value; the nearest parent when the target is missing; undefined when the text does not parse.
 * @example
 * locatePointer('{\n  "name": 1\n}', "/name"); // { line: 2, column: 3, ... }
 */
export function locatePointer(text: string, pointer: string): TextPlace | undefined {
  const root = parseTree(text);
  if (root === undefined) return undefined;
  let found: JsonNode = root;
  for (const segment of pointerSegments(pointer)) {
    const next = childOf(found, segment);
    if (next === undefined) break;
    found = next;
  }
  const target = found.parent?.type === "property" ? found.parent : found;
  return placeOfOffset(text, target.offset, target.length);
}

/** The value under `segment` of an object or array node. */
function childOf(node: JsonNode, segment: string): JsonNode | undefined {
  if (node.type === "array")
    return /^(0|[1-9]\d*)$/.test(segment) ? node.children?.[Number(segment)] : undefined;
  if (node.type !== "object") return undefined;
  // The last member of a name wins, as in JSON.parse.
  const members = node.children ?? [];
  for (let index = members.length - 1; index >= 0; index--) {
    const member = members[index];
    if (member?.children?.[0]?.value === segment) return member.children[1];
  }
  return undefined;
}
