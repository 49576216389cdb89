/**
 * A small glob for collection paths, for shells that do not expand them (or quoted patterns):
 * `*` and `?` within one path segment, `[abc]` classes, and `**` for any number of folders.
 * Node 20 has no `fs.glob`, so this walks folders through the runtime adapter.
 */
import type { Runtime } from "./runtime.ts";

/** True when the text holds glob syntax. */
export function isGlob(text: string): boolean {
  return /[*?[]/.test(text);
}

function segmentPattern(segment: string): RegExp {
  let source = "";
  for (let index = 0; index < segment.length; index++) {
    const char = segment[index]!;
    if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else if (char === "[") {
      const close = segment.indexOf("]", index + 1);
      if (close === -1) source += "\\[";
      else {
        const body = segment
          .slice(index + 1, close)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\");
        source += `[${body}]`;
        index = close;
      }
    } else source += char.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/**
 * Expands a pattern to the files it matches, sorted; hidden entries match only a pattern that
 * starts with a dot.
 */
export async function expandGlob(pattern: string, runtime: Runtime): Promise<string[]> {
  const normalized = pattern.replace(/\\/g, "/");
  const absolute = normalized.startsWith("/");
  const segments = normalized.split("/").filter((segment) => segment !== "" && segment !== ".");
  const results = new Set<string>();

  const walk = async (base: string, index: number): Promise<void> => {
    if (index === segments.length) {
      if ((await runtime.kind(base || ".")) === "file") results.add(base);
      return;
    }
    const segment = segments[index]!;
    const join = (name: string) => (base === "" ? (absolute ? `/${name}` : name) : `${base}/${name}`);
    if (!isGlob(segment)) {
      await walk(join(segment), index + 1);
      return;
    }
    let entries: Awaited<ReturnType<Runtime["listDir"]>>;
    try {
      entries = await runtime.listDir(base === "" ? (absolute ? "/" : ".") : base);
    } catch {
      return;
    }
    if (segment === "**") {
      await walk(base, index + 1);
      for (const entry of entries) {
        if (entry.isDirectory && !entry.name.startsWith(".") && entry.name !== "node_modules") {
          await walk(join(entry.name), index);
        }
      }
      return;
    }
    const matcher = segmentPattern(segment);
    for (const entry of entries) {
      if (entry.name.startsWith(".") && !segment.startsWith(".")) continue;
      if (matcher.test(entry.name)) await walk(join(entry.name), index + 1);
    }
  };

  await walk("", 0);
  return [...results].sort();
}
