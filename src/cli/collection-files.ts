/**
 * Turns `run` and `validate` arguments into collection files: a path, a folder (its `.json`
 * files), a glob, or the name of a collection bundled with the package (`certn-smoke`). A bare
 * bundled name means the bundled collection even where a folder of that name exists (the docs'
 * `--out reports` makes one beside the bundled `reports`); `./reports` names the folder.
 */
import { basename, join } from "node:path";
import { expandGlob, isGlob } from "./glob.ts";
import type { Runtime } from "./runtime.ts";
import { UsageError } from "./usage-error.ts";

/** One collection file to load. */
export interface CollectionFile {
  /** The path to read. */
  path: string;
  /** How the user named it, for messages. */
  shown: string;
  /** File name without `.json`, used to name report files. */
  id: string;
}

const SAVED_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/i;

/** Schema files sit beside collections; folders and globs leave them out. */
function isCollectionFileName(name: string): boolean {
  return name.endsWith(".json") && !name.endsWith(".schema.json");
}

/** The bundled collection `arg` names (`certn-smoke`, `certn-smoke.json`), if any. */
async function bundledFile(arg: string, runtime: Runtime): Promise<CollectionFile | undefined> {
  const name = arg.replace(/\.json$/i, "");
  if (!SAVED_NAME.test(name) || arg.includes("/") || arg.includes("\\")) return undefined;
  const path = join(bundledDirectory(runtime), `${name}.json`);
  if ((await runtime.kind(path)) !== "file") return undefined;
  return { path, shown: `bundled ${name}`, id: name };
}

/** The folder holding the collections shipped with the package. */
export function bundledDirectory(runtime: Runtime): string {
  return join(runtime.packageRoot, "collections");
}

/** Names of the bundled collections, sorted. */
export async function bundledNames(runtime: Runtime): Promise<string[]> {
  try {
    const entries = await runtime.listDir(bundledDirectory(runtime));
    return entries
      .filter((entry) => !entry.isDirectory && isCollectionFileName(entry.name))
      .map((entry) => entry.name.replace(/\.json$/, ""))
      .sort();
  } catch {
    return [];
  }
}

function fileOf(path: string, shown: string): CollectionFile {
  return { path, shown, id: basename(path).replace(/\.json$/i, "") };
}

/**
 * Resolves every argument, in order, keeping duplicates out.
 * @throws UsageError naming an argument that matches nothing
 */
export async function resolveCollectionFiles(
  args: readonly string[],
  runtime: Runtime,
): Promise<CollectionFile[]> {
  if (args.length === 0)
    throw new UsageError("name at least one collection file (or a bundled name such as certn-smoke)");
  const files: CollectionFile[] = [];
  const seen = new Set<string>();
  const add = (file: CollectionFile) => {
    const key = runtime.resolvePath(file.path);
    if (seen.has(key)) return;
    seen.add(key);
    files.push(file);
  };

  for (const arg of args) {
    const kind = await runtime.kind(arg);
    const bundled = kind === "file" ? undefined : await bundledFile(arg, runtime);
    if (bundled !== undefined) {
      add(bundled);
      continue;
    }
    if (kind === "file") {
      add(fileOf(arg, arg));
      continue;
    }
    if (kind === "directory") {
      const entries = await runtime.listDir(arg);
      const names = entries.filter((e) => !e.isDirectory && isCollectionFileName(e.name)).map((e) => e.name);
      if (names.length === 0) throw new UsageError(`${arg}: the folder holds no .json collection`);
      for (const name of names.sort()) add(fileOf(join(arg, name), join(arg, name)));
      continue;
    }
    if (isGlob(arg)) {
      const matches = (await expandGlob(arg, runtime)).filter((path) => isCollectionFileName(basename(path)));
      if (matches.length === 0) throw new UsageError(`${arg}: no collection file matches this pattern`);
      for (const path of matches) add(fileOf(path, path));
      continue;
    }
    const names = await bundledNames(runtime);
    throw new UsageError(
      `${arg}: no such file, and no bundled collection of that name` +
        (names.length > 0 ? ` (bundled: ${names.join(", ")})` : ""),
    );
  }
  return files;
}
