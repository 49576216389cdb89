/**
 * Saved collections: the bundled ones (read-only, compiled into the Worker) and those callers
 * store in the `COLLECTIONS` namespace under `collection:v1:<id>`, with a small summary in the
 * key's metadata so listing needs no extra reads.
 */
import { type Collection, type Item, isFolder } from "../collection/model.ts";
import { WorkerError } from "./errors.ts";

/** Ids used in URLs. */
export const COLLECTION_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/** Prefix of stored collection keys. */
export const COLLECTION_KEY_PREFIX = "collection:v1:";

/** One entry of `GET /collections`. */
export interface CollectionSummary {
  id: string;
  name: string;
  description: string | null;
  /** Request items, folders flattened. */
  items: number;
  source: "bundled" | "stored";
}

/** KV metadata of a stored collection (KV allows 1,024 bytes). */
interface StoredMetadata {
  name: string;
  description: string | null;
  items: number;
}

/** Request items of a collection, folders flattened. */
export function countRequestItems(items: readonly Item[]): number {
  let count = 0;
  for (const item of items) count += isFolder(item) ? countRequestItems(item.items) : 1;
  return count;
}

/** The summary fields of a collection value (valid or not, since bundled files are data). */
export function summarize(id: string, value: unknown, source: "bundled" | "stored"): CollectionSummary {
  const record = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  const items = Array.isArray(record.items) ? countRequestItems(record.items as Item[]) : 0;
  return {
    id,
    name: typeof record.name === "string" ? record.name : id,
    description: typeof record.description === "string" ? record.description : null,
    items,
    source,
  };
}

/** Metadata that fits KV's 1,024-byte limit: the description, then the name, shortened if needed. */
function metadataOf(summary: CollectionSummary): StoredMetadata {
  const metadata: StoredMetadata = {
    name: summary.name,
    description: summary.description,
    items: summary.items,
  };
  const size = (): number => new TextEncoder().encode(JSON.stringify(metadata)).byteLength;
  if (size() > 1000 && metadata.description !== null)
    metadata.description = metadata.description.slice(0, 120);
  if (size() > 1000) metadata.description = null;
  if (size() > 1000) metadata.name = metadata.name.slice(0, 100);
  return metadata;
}

/** 503 when the namespace fails; the KV error itself is not shown. */
function storageUnavailable(): WorkerError {
  return new WorkerError("STORAGE_UNAVAILABLE", "the collection store is unavailable; try again shortly");
}

/** Where a route found a collection. */
export interface FoundCollection {
  id: string;
  source: "bundled" | "stored";
  /** The collection as stored (validated again before a run). */
  value: unknown;
}

/** Reads and writes saved collections. */
export class CollectionStore {
  readonly #bundled: Readonly<Record<string, unknown>>;
  readonly #kv: KVNamespace;

  constructor(bundled: Readonly<Record<string, unknown>>, kv: KVNamespace) {
    this.#bundled = bundled;
    this.#kv = kv;
  }

  /** True for a bundled id (read-only). */
  isBundled(id: string): boolean {
    return Object.hasOwn(this.#bundled, id);
  }

  /** Every collection, bundled first, then stored ones by id. */
  async list(): Promise<CollectionSummary[]> {
    const result = Object.entries(this.#bundled)
      .map(([id, value]) => summarize(id, value, "bundled"))
      .sort((a, b) => a.id.localeCompare(b.id));
    let cursor: string | undefined;
    try {
      for (;;) {
        const page: KVNamespaceListResult<StoredMetadata> = await this.#kv.list<StoredMetadata>(
          cursor === undefined
            ? { prefix: COLLECTION_KEY_PREFIX }
            : { prefix: COLLECTION_KEY_PREFIX, cursor },
        );
        for (const key of page.keys) {
          const id = key.name.slice(COLLECTION_KEY_PREFIX.length);
          if (this.isBundled(id)) continue;
          const metadata = key.metadata;
          result.push({
            id,
            name: metadata?.name ?? id,
            description: metadata?.description ?? null,
            items: metadata?.items ?? 0,
            source: "stored",
          });
        }
        if (page.list_complete) break;
        cursor = page.cursor;
      }
    } catch {
      throw storageUnavailable();
    }
    return result;
  }

  /** A collection by id, or undefined. */
  async get(id: string): Promise<FoundCollection | undefined> {
    if (!COLLECTION_ID_PATTERN.test(id)) return undefined;
    if (this.isBundled(id)) return { id, source: "bundled", value: this.#bundled[id] };
    let text: string | null;
    try {
      text = await this.#kv.get(COLLECTION_KEY_PREFIX + id);
    } catch {
      throw storageUnavailable();
    }
    if (text === null) return undefined;
    try {
      return { id, source: "stored", value: JSON.parse(text) };
    } catch {
      return undefined;
    }
  }

  /** Stores a validated collection; true when it replaced one. */
  async put(id: string, collection: Collection): Promise<{ replaced: boolean; summary: CollectionSummary }> {
    const key = COLLECTION_KEY_PREFIX + id;
    const summary = summarize(id, collection, "stored");
    try {
      const replaced = (await this.#kv.get(key)) !== null;
      await this.#kv.put(key, JSON.stringify(collection), { metadata: metadataOf(summary) });
      return { replaced, summary };
    } catch {
      throw storageUnavailable();
    }
  }

  /** Deletes a stored collection; false when there was none. */
  async delete(id: string): Promise<boolean> {
    const key = COLLECTION_KEY_PREFIX + id;
    try {
      if ((await this.#kv.get(key)) === null) return false;
      await this.#kv.delete(key);
      return true;
    } catch {
      throw storageUnavailable();
    }
  }
}
