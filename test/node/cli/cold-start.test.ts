/**
 * `certn-edge --version` must not load the runner, the client or the simulator: the entry's
 * static import graph (dynamic `import()` excluded) stays inside src/cli, node: modules and a few
 * library leaves that import nothing.
 */
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../../..");

function staticImports(file: string): string[] {
  const source = readFileSync(file, "utf8");
  // `import type` is erased at build time, so it loads nothing.
  const specifiers = [...source.matchAll(/^\s*(?:import|export)\s(?!type\s)[^;]*?from\s+"([^"]+)"/gm)].map(
    (m) => m[1]!,
  );
  const bare = [...source.matchAll(/^\s*import\s+"([^"]+)"/gm)].map((m) => m[1]!);
  return [...specifiers, ...bare];
}

function graph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of staticImports(file)) {
      if (specifier.startsWith(".")) visit(resolve(dirname(file), specifier));
      else seen.add(specifier);
    }
  };
  visit(entry);
  return seen;
}

/**
 * Library modules the entry may load: leaves without imports. `printable` escapes every error the
 * CLI prints (a collection's names reach them), so it cannot wait for a dynamic import.
 */
const LEAVES = ["src/core/printable.ts"];

describe("CLI cold start", () => {
  it("statically imports only small CLI modules and node: built-ins", () => {
    const loaded = [...graph(join(ROOT, "src/cli/main.ts"))].map((file) =>
      file.startsWith("/") ? relative(ROOT, file) : file,
    );
    expect(loaded.length).toBeGreaterThan(3);
    const outside = loaded.filter(
      (file) => !file.startsWith("src/cli/") && !file.startsWith("node:") && !LEAVES.includes(file),
    );
    expect(outside).toEqual([]);
    // The leaves allowed from outside src/cli import nothing themselves.
    for (const leaf of LEAVES) expect(staticImports(join(ROOT, leaf)), leaf).toEqual([]);
    expect(loaded).not.toContain("src/cli/commands/run.ts");
  });

  it("loads each command and the library only through dynamic import()", () => {
    const program = readFileSync(join(ROOT, "src/cli/program.ts"), "utf8");
    expect(program).toMatch(/await import\("\.\/commands\/run\.ts"\)/);
    const run = graph(join(ROOT, "src/cli/commands/run.ts"));
    const heavy = [...run].filter(
      (file) =>
        /src\/(runner|simulator|client\.ts|index\.ts)/.test(file) &&
        !file.endsWith("result.ts") &&
        !file.endsWith("model.ts"),
    );
    expect(heavy.map((file) => relative(ROOT, file))).toEqual([]);
  });

  it("loads the webhook verifiers, and node:http only for --webhook-port, through dynamic import()", () => {
    const run = [...graph(join(ROOT, "src/cli/commands/run.ts"))];
    expect(run.filter((file) => file.includes("src/webhooks/"))).toEqual([]);
    expect(run).not.toContain("node:http");
    expect(run.map((file) => relative(ROOT, file))).not.toContain("src/cli/webhook-server.ts");
    const connection = [...graph(join(ROOT, "src/cli/connection.ts"))];
    expect(connection).not.toContain("node:http");
    const runSource = readFileSync(join(ROOT, "src/cli/commands/run.ts"), "utf8");
    expect(runSource).toMatch(/await import\("\.\.\/webhook-server\.ts"\)/);
    const server = readFileSync(join(ROOT, "src/cli/webhook-server.ts"), "utf8");
    expect(server).toMatch(/await import\("node:http"\)/);
    const receiver = readFileSync(join(ROOT, "src/cli/webhook-receiver.ts"), "utf8");
    expect(receiver).toMatch(/await import\("\.\.\/webhooks\/index\.ts"\)/);
  });
});
