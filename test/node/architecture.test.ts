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
const LIBRARY = [
  "core",
  "auth",
  "client.ts",
  "index.ts",
  "resources",
  "collection",
  "assert",
  "runner",
  "report",
  "webhooks",
];

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
function directionViolation(fromLayer: string, targetRel: string, typeOnly: boolean): string | undefined {
  const targetLayer = targetRel.split("/")[0] ?? targetRel;
  if (["worker", "cli", "simulator"].includes(targetLayer)) return `imports src/${targetLayer}/`;
  if (targetLayer === fromLayer) return undefined;
  switch (fromLayer) {
    case "core":
      return `core imports nothing outside core (imports src/${targetRel})`;
    case "auth":
      return targetLayer === "core" ? undefined : `auth imports only core (imports src/${targetRel})`;
    case "resources":
      return targetLayer === "core" ? undefined : `resources import only core (imports src/${targetRel})`;
    case "runner":
      return targetLayer === "client.ts" || targetLayer === "auth" || targetLayer === "resources"
        ? `the runner never imports the client or auth (imports src/${targetRel}); it uses core's Transport`
        : undefined;
    case "report":
      return targetRel === "runner/result.ts" && typeOnly
        ? undefined
        : `report imports only types from runner/result.ts (imports src/${targetRel}${typeOnly ? "" : ", not type-only"})`;
    case "collection":
    case "assert":
      return targetLayer === "client.ts" || targetLayer === "auth" || targetLayer === "runner"
        ? `${fromLayer} may not import src/${targetRel}`
        : undefined;
    default:
      return undefined;
  }
}

function sourceFiles(entry: string): string[] {
  const absolute = join(SRC, entry);
  if (!existsSync(absolute)) return [];
  if (statSync(absolute).isFile()) return absolute.endsWith(".ts") ? [absolute] : [];
  return readdirSync(absolute, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts"))
    .map((name) => join(absolute, name));
}

/** Every violation in the library layers, as `file:line message`. */
function violations(): { files: number; problems: string[] } {
  const problems: string[] = [];
  const files = LIBRARY.flatMap(sourceFiles);
  for (const file of files) {
    const where = relative(ROOT, file).split(sep).join("/");
    const fromLayer = layerOf(file) ?? "";
    const { imports, globals } = analyze(readFileSync(file, "utf8"), file);
    for (const use of globals) problems.push(`${where}:${use.line} uses ${use.name}`);
    for (const ref of imports) {
      const banned = forbiddenPackage(ref.specifier);
      if (banned) {
        problems.push(`${where}:${ref.line} ${banned} ("${ref.specifier}")`);
        continue;
      }
      if (!ref.specifier.startsWith(".")) continue;
      const target = resolve(dirname(file), ref.specifier);
      const targetRel = relative(SRC, target).split(sep).join("/");
      if (targetRel.startsWith("..")) {
        problems.push(`${where}:${ref.line} imports outside src/ ("${ref.specifier}")`);
        continue;
      }
      const problem = directionViolation(fromLayer, targetRel, ref.typeOnly);
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
      expect(directionViolation("runner", "worker/app.ts", false)).toContain("src/worker/");
      expect(directionViolation("core", "cli/main.ts", true)).toContain("src/cli/");
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
      expect(directionViolation("core", "auth/token-store.ts", true)).toBeDefined();
      expect(directionViolation("core", "core/errors.ts", false)).toBeUndefined();
      expect(directionViolation("runner", "client.ts", true)).toBeDefined();
      expect(directionViolation("runner", "auth/token-store.ts", true)).toBeDefined();
      expect(directionViolation("runner", "core/transport.ts", true)).toBeUndefined();
      expect(directionViolation("runner", "assert/evaluate.ts", false)).toBeUndefined();
      expect(directionViolation("report", "runner/result.ts", true)).toBeUndefined();
      expect(directionViolation("report", "runner/result.ts", false)).toBeDefined();
      expect(directionViolation("report", "runner/run.ts", true)).toBeDefined();
      expect(directionViolation("report", "core/errors.ts", true)).toBeDefined();
      expect(directionViolation("auth", "core/send.ts", false)).toBeUndefined();
      expect(directionViolation("auth", "client.ts", false)).toBeDefined();
      expect(directionViolation("client.ts", "resources/partner.ts", false)).toBeUndefined();
    });
  });
});
