/**
 * `--folder` and `--grep`: run a subset of a collection. Folders are matched by exact name at any
 * depth (the whole folder is kept); `--grep` keeps request items whose path ("Folder / Item")
 * contains the text, case-insensitively.
 */
import { type Collection, type Item, isFolder } from "../collection/model.ts";
import { UsageError } from "./usage-error.ts";

/** What to keep. */
export interface Selection {
  folders: readonly string[];
  grep: string | undefined;
}

function keepFolders(items: readonly Item[], names: ReadonlySet<string>, found: Set<string>): Item[] {
  const kept: Item[] = [];
  for (const item of items) {
    if (!isFolder(item)) continue;
    if (names.has(item.name)) {
      found.add(item.name);
      kept.push(item);
      continue;
    }
    const inner = keepFolders(item.items, names, found);
    if (inner.length > 0) kept.push({ ...item, items: inner });
  }
  return kept;
}

function keepMatching(items: readonly Item[], text: string, parents: readonly string[]): Item[] {
  const kept: Item[] = [];
  for (const item of items) {
    const path = [...parents, item.name];
    if (isFolder(item)) {
      const inner = keepMatching(item.items, text, path);
      if (inner.length > 0) kept.push({ ...item, items: inner });
    } else if (path.join(" / ").toLowerCase().includes(text)) {
      kept.push(item);
    }
  }
  return kept;
}

/**
 * The collection with only the selected items (unchanged when nothing is selected).
 * @throws UsageError when a folder name matches no folder, or nothing is left
 */
export function selectItems(collection: Collection, selection: Selection, shown: string): Collection {
  let items: Item[] = collection.items;
  if (selection.folders.length > 0) {
    const names = new Set(selection.folders);
    const found = new Set<string>();
    items = keepFolders(items, names, found);
    const missing = selection.folders.filter((name) => !found.has(name));
    if (missing.length > 0) {
      throw new UsageError(`${shown}: no folder named ${missing.map((name) => `"${name}"`).join(", ")}`);
    }
  }
  if (selection.grep !== undefined) {
    items = keepMatching(items, selection.grep.toLowerCase(), []);
    if (items.length === 0) throw new UsageError(`${shown}: no item matches --grep "${selection.grep}"`);
  }
  return items === collection.items ? collection : { ...collection, items };
}
