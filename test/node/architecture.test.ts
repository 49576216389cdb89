/**
 * The library layers stay portable and layered: read every source file of the library folders
 * and check what it imports and which Node globals it touches, with the TypeScript parser (so
 * comments and strings never count). Folders that do not exist yet are skipped.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const SRC = join(ROOT, "src");
/**
 * Each library layer and the layers it may import, bottom to top. Every arrow points down, so no
 * folder loop can form: a layer missing from another's list is above it or beside it.
 */
const LIBRARY_LAYERS: Record<string, readonly string[]> = {
  core: [],
  auth: ["core"],
  resources: ["core"],
  "client.ts": ["core", "auth", "resources"],
  webhooks: ["core", "resources"],
  syntax: ["core"],
  collection: ["core", "syntax"],
  assert: ["core", "syntax", "collection"],
  results: ["core", "syntax", "collection"],
  reporters: ["core", "results"],
  runner: ["core", "syntax", "collection", "assert", "results", "reporters"],
  "index.ts": ["core", "auth", "resources", "client.ts", "webhooks"],
};
const LIBRARY = Object.keys(LIBRARY_LAYERS);

/**
 * The applications on top use the library the way a user does, through its entry points and the
 * collection model; `core` (web-standard helpers such as Base64 and JSON checks) is shared so no
 * application writes its own copy. Reaching into a layer's internals is a violation.
 */
const APPLICATION_LAYERS = ["worker", "cli", "simulator"];
const ENTRY_POINTS = new Set([
  "index.ts",
  "runner/index.ts",
  "webhooks/index.ts",
  "collection/model.ts",
  "simulator/index.ts",
]);
/** Which applications each application may use through their entry points. */
const APPLICATION_USES: Record<string, readonly string[]> = {
  worker: ["simulator"],
  cli: ["simulator"],
  simulator: [],
};

/** One import or re-export found in a file. */
interface ImportRef {
  specifier: string;
  typeOnly: boolean;
  line: number;
}

/** What a source file imports and which forbidden globals it uses. */
interface Analysis {
  imports: ImportRef[];
  globals: { name: string; line: number }[];
}

const FORBIDDEN_GLOBALS = new Set(["Buffer", "process"]);
const GLOBAL_OBJECTS = new Set(["globalThis", "self", "window", "global"]);

function isDeclarationName(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return true;
  if (ts.isQualifiedName(parent) && parent.right === node) return true;
  if (
    (ts.isPropertyAssignment(parent) ||
      ts.isPropertySignature(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isMethodSignature(parent) ||
      ts.isGetAccessorDeclaration(parent) ||
      ts.isSetAccessorDeclaration(parent) ||
      ts.isEnumMember(parent)) &&
    parent.name === node
  ) {
    return true;
  }
  return false;
}

/** Parses `source` and lists its imports and uses of `Buffer` / `process`. */
function analyze(source: string, fileName = "file.ts"): Analysis {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const imports: ImportRef[] = [];
  const globals: Analysis["globals"] = [];
  const lineOf = (node: ts.Node) => file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const allNamedTypeOnly =
        clause !== undefined &&
        clause.name === undefined &&
        bindings !== undefined &&
        ts.isNamedImports(bindings) &&
        bindings.elements.length > 0 &&
        bindings.elements.every((element) => element.isTypeOnly);
      imports.push({
        specifier: node.moduleSpecifier.text,
        typeOnly: clause?.isTypeOnly === true || allNamedTypeOnly,
        line: lineOf(node),
      });
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const clause = node.exportClause;
      const allNamedTypeOnly =
        clause !== undefined &&
        ts.isNamedExports(clause) &&
        clause.elements.length > 0 &&
        clause.elements.every((element) => element.isTypeOnly);
      imports.push({
        specifier: node.moduleSpecifier.text,
        typeOnly: node.isTypeOnly || allNamedTypeOnly,
        line: lineOf(node),
      });
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === "require")) &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      imports.push({ specifier: node.arguments[0].text, typeOnly: false, line: lineOf(node) });
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      imports.push({ specifier: node.argument.literal.text, typeOnly: true, line: lineOf(node) });
    } else if (
      ts.isPropertyAccessExpression(node) &&
      ts.isIdentifier(node.expression) &&
      `${node.expression.text}.${node.name.text}` === "AbortSignal.any"
    ) {
      // Missing from Node 20.0-20.2 (engines: >=20) and Safari before 17.4.
      globals.push({ name: "AbortSignal.any", line: lineOf(node) });
    } else if (ts.isIdentifier(node) && FORBIDDEN_GLOBALS.has(node.text) && !isDeclarationName(node)) {
      globals.push({ name: node.text, line: lineOf(node) });
    } else if (
      ts.isPropertyAccessExpression(node) &&
      ts.isIdentifier(node.expression) &&
      GLOBAL_OBJECTS.has(node.expression.text) &&
      FORBIDDEN_GLOBALS.has(node.name.text)
    ) {
      globals.push({ name: `${node.expression.text}.${node.name.text}`, line: lineOf(node) });
    } else if (
      ts.isElementAccessExpression(node) &&
      ts.isIdentifier(node.expression) &&
      GLOBAL_OBJECTS.has(node.expression.text) &&
      ts.isStringLiteralLike(node.argumentExpression) &&
      FORBIDDEN_GLOBALS.has(node.argumentExpression.text)
    ) {
      globals.push({
        name: `${node.expression.text}["${node.argumentExpression.text}"]`,
        line: lineOf(node),
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { imports, globals };
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, name.split("/")[0] ?? name]));

/** Why a specifier is never allowed in the library layers, or undefined. */
function forbiddenPackage(specifier: string): string | undefined {
  if (specifier === "hono" || specifier.startsWith("hono/")) return "imports hono";
  if (specifier.startsWith("cloudflare:")) return "imports a cloudflare:* module";
  if (specifier.startsWith("node:")) return "imports a node:* module";
  if (!specifier.startsWith(".") && NODE_BUILTINS.has(specifier.split("/")[0] ?? specifier)) {
    return "imports a Node built-in";
  }
  return undefined;
}

/** The library folder (`core`, `runner`, `client.ts`, ...) of an absolute path under src/. */
function layerOf(absolute: string): string | undefined {
  const rel = relative(SRC, absolute);
  if (rel.startsWith("..")) return undefined;
  return rel.split(sep)[0];
}

/** Direction rules: why `from` (a layer) may not import `target`, or undefined. */
function directionViolation(fromLayer: string, targetRel: string): string | undefined {
  const targetLayer = targetRel.split("/")[0] ?? targetRel;
  if (targetLayer === fromLayer) return undefined;
  const allowed = LIBRARY_LAYERS[fromLayer];
  if (allowed !== undefined) {
    if (APPLICATION_LAYERS.includes(targetLayer)) return `imports src/${targetLayer}/`;
    return allowed.includes(targetLayer)
      ? undefined
      : `${fromLayer} may import only ${allowed.length > 0 ? allowed.join(", ") : "itself"} (imports src/${targetRel})`;
  }
  if (APPLICATION_LAYERS.includes(fromLayer)) {
    if (APPLICATION_LAYERS.includes(targetLayer)) {
      return APPLICATION_USES[fromLayer]?.includes(targetLayer) && ENTRY_POINTS.has(targetRel)
        ? undefined
        : `${fromLayer} may not import src/${targetRel}`;
    }
    if (targetLayer === "core" || ENTRY_POINTS.has(targetRel)) return undefined;
    return `${fromLayer} uses the library only through its entry points, the collection model and core (imports src/${targetRel})`;
  }
  return `unknown layer ${fromLayer}`;
}

function sourceFiles(entry: string): string[] {
  const absolute = join(SRC, entry);
  if (!existsSync(absolute)) return [];
  if (statSync(absolute).isFile()) return absolute.endsWith(".ts") ? [absolute] : [];
  return readdirSync(absolute, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts"))
    .map((name) => join(absolute, name));
}

/**
 * Every violation, as `file:line message`. Library layers must also stay web-standard (no hono,
 * Node or Cloudflare modules, no Buffer or process); the applications may use their platforms,
 * and the Worker may import the bundled collections' JSON from outside src/.
 */
function violations(): { files: number; problems: string[] } {
  const problems: string[] = [];
  const files = [...LIBRARY, ...APPLICATION_LAYERS].flatMap(sourceFiles);
  for (const file of files) {
    const where = relative(ROOT, file).split(sep).join("/");
    const fromLayer = layerOf(file) ?? "";
    const portable = fromLayer in LIBRARY_LAYERS;
    const { imports, globals } = analyze(readFileSync(file, "utf8"), file);
    if (portable) for (const use of globals) problems.push(`${where}:${use.line} uses ${use.name}`);
    for (const ref of imports) {
      const banned = portable ? forbiddenPackage(ref.specifier) : undefined;
      if (banned) {
        problems.push(`${where}:${ref.line} ${banned} ("${ref.specifier}")`);
        continue;
      }
      if (!ref.specifier.startsWith(".")) continue;
      const target = resolve(dirname(file), ref.specifier);
      const targetRel = relative(SRC, target).split(sep).join("/");
      if (targetRel.startsWith("..")) {
        if (!portable && /^\.\.\/collections\/[^/]+\.json$/.test(relative(SRC, target).split(sep).join("/")))
          continue;
        problems.push(`${where}:${ref.line} imports outside src/ ("${ref.specifier}")`);
        continue;
      }
      const problem = directionViolation(fromLayer, targetRel);
      if (problem) problems.push(`${where}:${ref.line} ${problem}`);
    }
  }
  return { files: files.length, problems };
}

describe("architecture", () => {
  it("library layers use only web standards and respect the dependency direction", () => {
    const { files, problems } = violations();
    expect(files).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });

  describe("the checker itself", () => {
    it("finds forbidden imports of every kind", () => {
      const found = analyze(
        [
          'import { Hono } from "hono";',
          'import type { Context } from "hono/context";',
          'import { env } from "cloudflare:workers";',
          'import { readFile } from "node:fs/promises";',
          'import crypto from "crypto";',
          'export { x } from "../worker/app.ts";',
          'const m = await import("../simulator/index.ts");',
        ].join("\n"),
      ).imports.map((ref) => forbiddenPackage(ref.specifier) ?? ref.specifier);
      expect(found).toEqual([
        "imports hono",
        "imports hono",
        "imports a cloudflare:* module",
        "imports a node:* module",
        "imports a Node built-in",
        "../worker/app.ts",
        "../simulator/index.ts",
      ]);
      expect(directionViolation("runner", "worker/app.ts")).toContain("src/worker/");
      expect(directionViolation("core", "cli/main.ts")).toContain("src/cli/");
    });

    it("finds Buffer and process but not in comments, strings or property names", () => {
      const source = [
        "// Buffer and process in a comment",
        'const a = "process and Buffer in a string";',
        "const b = { process: 1 }.process;",
        "const c = Buffer.from('x');",
        "const d = process.env.X;",
        "const e = globalThis.process;",
        'const f = globalThis["Buffer"];',
        "interface G { process: string }",
      ].join("\n");
      expect(analyze(source).globals.map((g) => `${g.line}:${g.name}`)).toEqual([
        "4:Buffer",
        "5:process",
        "6:globalThis.process",
        '7:globalThis["Buffer"]',
      ]);
    });

    it("tells type-only imports apart", () => {
      const refs = analyze(
        [
          'import type { A } from "./a.ts";',
          'import { type B } from "./b.ts";',
          'import { type C, D } from "./c.ts";',
          'export type { E } from "./e.ts";',
          'import F from "./f.ts";',
        ].join("\n"),
      ).imports.map((ref) => ref.typeOnly);
      expect(refs).toEqual([true, true, false, true, false]);
    });

    it("applies the direction rules", () => {
      expect(directionViolation("core", "auth/token-store.ts")).toBeDefined();
      expect(directionViolation("core", "core/errors.ts")).toBeUndefined();
      expect(directionViolation("runner", "client.ts")).toBeDefined();
      expect(directionViolation("runner", "auth/token-store.ts")).toBeDefined();
      expect(directionViolation("runner", "core/transport-types.ts")).toBeUndefined();
      expect(directionViolation("runner", "assert/evaluate.ts")).toBeUndefined();
      expect(directionViolation("reporters", "results/result.ts")).toBeUndefined();
      expect(directionViolation("reporters", "runner/run-collection.ts")).toBeDefined();
      expect(directionViolation("results", "runner/record.ts")).toBeDefined();
      expect(directionViolation("collection", "assert/evaluate.ts")).toBeDefined();
      expect(directionViolation("syntax", "collection/model.ts")).toBeDefined();
      expect(directionViolation("assert", "collection/model.ts")).toBeUndefined();
      expect(directionViolation("auth", "core/send.ts")).toBeUndefined();
      expect(directionViolation("auth", "client.ts")).toBeDefined();
      expect(directionViolation("webhooks", "runner/index.ts")).toBeDefined();
      expect(directionViolation("client.ts", "resources/partner.ts")).toBeUndefined();
      expect(directionViolation("worker", "runner/index.ts")).toBeUndefined();
      expect(directionViolation("worker", "runner/execute-item.ts")).toBeDefined();
      expect(directionViolation("worker", "simulator/index.ts")).toBeUndefined();
      expect(directionViolation("worker", "simulator/state.ts")).toBeDefined();
      expect(directionViolation("simulator", "worker/app.ts")).toBeDefined();
      expect(directionViolation("cli", "core/base64.ts")).toBeUndefined();
    });

    it("has no loop: following the allowed imports from any layer never returns to it", () => {
      const reaches = (from: string, seen = new Set<string>()): Set<string> => {
        for (const next of LIBRARY_LAYERS[from] ?? []) {
          if (!seen.has(next)) {
            seen.add(next);
            reaches(next, seen);
          }
        }
        return seen;
      };
      for (const layer of LIBRARY) expect(reaches(layer).has(layer), layer).toBe(false);
    });
  });
});
