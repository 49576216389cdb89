/**
 * The importer on real, public Postman collections (test/fixtures/postman/public, see SOURCES.md
 * there): each imports into a collection that parseCollection accepts, with one request item per
 * Postman request, and every script line is either translated or quoted in a warning.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Item } from "../../../src/collection/model.ts";
import { parseCollection } from "../../../src/collection/parse.ts";
import { importPostman } from "../../../src/collection/postman/index.ts";
import { redactCredentials } from "../../../src/collection/postman/warnings.ts";

const DIR = new URL("../../fixtures/postman/public/", import.meta.url);
const FILES = readdirSync(DIR)
  .filter((name) => name.endsWith(".json"))
  .sort();

type Node = Record<string, unknown>;

function load(name: string): Node {
  return JSON.parse(readFileSync(new URL(name, DIR), "utf8")) as Node;
}

/** The Postman collection inside a file (bare or wrapped in { collection }). */
function rootOf(file: Node): Node {
  return (Array.isArray(file.item) ? file : file.collection) as Node;
}

/** Counts Postman requests: nodes with a `request` and no `item` list, at any depth. */
function countPostmanRequests(node: Node): number {
  const children = Array.isArray(node.item) ? (node.item as Node[]) : [];
  return children.reduce(
    (sum, child) =>
      sum + (Array.isArray(child.item) ? countPostmanRequests(child) : child.request !== undefined ? 1 : 0),
    0,
  );
}

function countRequestItems(items: readonly Item[]): number {
  return items.reduce((sum, item) => sum + ("items" in item ? countRequestItems(item.items) : 1), 0);
}

function scriptLines(node: Node): string[] {
  const lines: string[] = [];
  for (const event of Array.isArray(node.event) ? (node.event as Node[]) : []) {
    const exec = (event.script as Node | undefined)?.exec;
    if (Array.isArray(exec)) lines.push(...exec.flatMap((line) => String(line).split("\n")));
    else if (typeof exec === "string") lines.push(...exec.split("\n"));
  }
  for (const child of Array.isArray(node.item) ? (node.item as Node[]) : [])
    lines.push(...scriptLines(child));
  return lines;
}

const collapse = (text: string) => text.replace(/\s+/g, " ").trim();

/** A script line reduced to what a warning would quote: no trailing comment, closers or separators. */
function normalize(line: string): string {
  return collapse(
    line
      .trim()
      .replace(/(^|\s)\/\/.*$/, "")
      .trim()
      .replace(/^[\s})\],;]+/, "")
      .replace(/[\s;,]+$/, ""),
  );
}

/** Lines of the forms the importer translates (an independent description, not its code). */
const TRANSLATABLE = [
  /^pm\.test\(/,
  /^pm\.expect\(/,
  /^pm\.response\.to\./,
  /^\.(and|to|that|which)\./,
  /^tests\[/,
  /^pm\.(environment|collectionVariables|variables|globals)\.set\(/,
  /^postman\.set(Environment|Global)Variable\(/,
  // Bindings read by later translated statements (unused ones are quoted in warnings).
  /^(var|let|const) \w+ = (pm\.response\.json\(\)|JSON\.parse\(responseBody\)|\[|pm\.(environment|collectionVariables|variables|globals)\.get\()/,
  /^(var|let|const) [\w$]+ = [\w$]+(\.[\w$]+|\[[^\]]+\])*( \|\| (\{\}|\[\]))?$/,
];

describe.each(FILES)("public Postman collection %s", (file) => {
  const source = load(file);
  const root = rootOf(source);
  const { collection, warnings } = importPostman(source);

  it("imports into a collection that parseCollection accepts", () => {
    expect(parseCollection(collection)).toEqual({ ok: true, collection });
    expect(parseCollection(JSON.stringify(collection)).ok).toBe(true);
  });

  it("has one request item per Postman request", () => {
    expect(countRequestItems(collection.items)).toBe(countPostmanRequests(root));
  });

  it("translates each script line or quotes it in a warning", () => {
    const quoted = warnings.map(collapse);
    const missing: string[] = [];
    for (const line of scriptLines(root)) {
      const text = normalize(line);
      if (/^[\s{}()[\];,.]*$/.test(text) || text.startsWith("/*") || text.startsWith("*")) continue;
      if (TRANSLATABLE.some((pattern) => pattern.test(text))) continue;
      const needle = redactCredentials(text).slice(0, 100);
      if (!quoted.some((warning) => warning.includes(needle))) missing.push(text);
    }
    expect(missing).toEqual([]);
  });

  it("never throws on the file as text either, and gives the same result", () => {
    expect(importPostman(readFileSync(new URL(file, DIR), "utf8"))).toEqual({
      collection,
      warnings,
      imported: true,
    });
  });
});

describe("public Postman collections, overall", () => {
  it("covers all 12 files", () => {
    expect(FILES).toHaveLength(12);
  });

  it("translates a fair share of the scripts into assertions and captures", () => {
    const totals = FILES.map((file) => {
      const { collection } = importPostman(load(file));
      let assertions = 0;
      let captures = 0;
      const walk = (items: readonly Item[]) => {
        for (const item of items) {
          if ("items" in item) walk(item.items);
          else {
            assertions += item.assert?.length ?? 0;
            captures += Object.keys(item.capture ?? {}).length;
          }
        }
      };
      walk(collection.items);
      return [file, assertions, captures] as const;
    });
    const byFile = Object.fromEntries(
      totals.map(([file, assertions, captures]) => [file, { assertions, captures }]),
    );
    // Files whose scripts are mostly of the translated kinds.
    expect(byFile["newman-sample-collection.json"]).toEqual({ assertions: 2, captures: 0 });
    expect(byFile["crapi.json"]?.captures).toBeGreaterThanOrEqual(15);
    expect(byFile["realworld-conduit.json"]?.assertions).toBeGreaterThanOrEqual(50);
    expect(byFile["wise-cards-api.json"]?.captures).toBeGreaterThanOrEqual(15);
  });
});
