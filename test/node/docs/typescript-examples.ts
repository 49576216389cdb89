/**
 * TypeScript examples as a user's project would see them: each example (a block, plus the blocks
 * marked `continues` after it) is one module in a scratch project whose `node_modules/certn-edge`
 * links to this repository, so `certn-edge`, `certn-edge/runner`... resolve through package.json
 * "exports" to the published dist/*.d.ts. One TypeScript program checks them all and emits the
 * JavaScript that is then run with plain `node`.
 */
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { type DocBlock, markerOf } from "./markdown-blocks.ts";

/** One module: the blocks it is made of, in order. */
export interface TsExample {
  /** File name in the scratch project, without extension. */
  name: string;
  blocks: DocBlock[];
  /** True when no block of it is marked typecheck-only. */
  runnable: boolean;
  /** The emitted JavaScript file, once {@link checkExamples} ran. */
  jsFile: string;
}

/** A type error, placed in the documentation. */
export interface ExampleDiagnostic {
  file: string;
  line: number;
  message: string;
}

/** The compiler options of the scratch project: what `tsc --init` gives, with Node's types. */
export const EXAMPLE_COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
  types: ["node"],
  strict: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  skipLibCheck: true,
  noEmitOnError: false,
};

/** Groups the TypeScript blocks of one page into modules (a `continues` block joins the one before). */
export function groupExamples(blocks: readonly DocBlock[]): { examples: TsExample[]; orphans: DocBlock[] } {
  const examples: TsExample[] = [];
  const orphans: DocBlock[] = [];
  let current: TsExample | undefined;
  for (const block of blocks) {
    if (block.lang !== "ts") continue;
    if (markerOf(block, "continues")) {
      if (current === undefined || current.blocks[0]?.file !== block.file) {
        orphans.push(block);
        continue;
      }
      current.blocks.push(block);
    } else {
      const slug = block.file.replace(/\.md$/, "").replace(/[^A-Za-z0-9]+/g, "-");
      current = { name: `${slug}-${block.line}`, blocks: [block], runnable: true, jsFile: "" };
      examples.push(current);
    }
    if (markerOf(block, "typecheck-only")) current.runnable = false;
  }
  return { examples, orphans };
}

/**
 * Lays out the scratch project in `dir`: package.json (ESM), node_modules with `certn-edge`
 * linking to `root` and every dependency of the repository beside it (hono, jose, types...).
 */
export function prepareProject(dir: string, root: string): void {
  const modules = join(dir, "node_modules");
  mkdirSync(modules, { recursive: true });
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "docs-examples", private: true, type: "module" }),
  );
  symlinkSync(root, join(modules, "certn-edge"), "dir");
  for (const entry of readdirSync(join(root, "node_modules"))) {
    if (entry.startsWith(".") || entry === "certn-edge") continue;
    symlinkSync(join(root, "node_modules", entry), join(modules, entry), "dir");
  }
}

/** Writes every example into `dir/src`, checks them in one program, emits into `dir/out`. */
export function checkExamples(dir: string, examples: readonly TsExample[]): ExampleDiagnostic[] {
  const srcDir = join(dir, "src");
  const outDir = join(dir, "out");
  mkdirSync(srcDir, { recursive: true });
  const files = new Map<string, TsExample>();
  for (const example of examples) {
    const path = join(srcDir, `${example.name}.ts`);
    writeFileSync(path, example.blocks.map((block) => block.code).join(""));
    example.jsFile = join(outDir, `${example.name}.js`);
    files.set(path, example);
  }
  const options = { ...EXAMPLE_COMPILER_OPTIONS, rootDir: srcDir, outDir };
  const host = ts.createCompilerHost(options);
  host.getCurrentDirectory = () => dir;
  const program = ts.createProgram({ rootNames: [...files.keys()], options, host });
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...program.emit().diagnostics];
  return diagnostics.map((diagnostic) => place(diagnostic, files));
}

/** Maps a diagnostic of a scratch file back to the documentation line it comes from. */
function place(diagnostic: ts.Diagnostic, files: ReadonlyMap<string, TsExample>): ExampleDiagnostic {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
  const example = diagnostic.file ? files.get(diagnostic.file.fileName) : undefined;
  if (!diagnostic.file || example === undefined || diagnostic.start === undefined) {
    return { file: diagnostic.file?.fileName ?? "(program)", line: 0, message };
  }
  let line = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line;
  for (const block of example.blocks) {
    const lines = block.code.split("\n").length - 1;
    // The fence is block.line; the block's first line of code is the line after it.
    if (line < lines) return { file: block.file, line: block.line + 1 + line, message };
    line -= lines;
  }
  return { file: example.blocks[0]?.file ?? "(unknown)", line: 0, message };
}
