/**
 * Saved collections, mounted at `/collections`: list and read (`collections:read`), store and
 * delete (`collections:write`). Bundled collections are read-only; stored ones live in KV.
 */
import { Hono } from "hono";
import type { Collection } from "../../collection/model.ts";
import { parseCollection } from "../../runner/index.ts";
import { limitBody, readJsonBody } from "../body.ts";
import { COLLECTION_ID_PATTERN, type CollectionStore } from "../collections-store.ts";
import { type Issue, invalidInput, WorkerError } from "../errors.ts";
import { type AppEnv, callerWith, json, type RouteDeps, storeOf } from "./context.ts";
import { methodNotAllowed } from "./method-not-allowed.ts";

/** A collection value checked by the parser, or a 400 whose issue paths start at `pointer`. */
export function validCollection(value: unknown, pointer: string): Collection {
  const parsed = parseCollection(value);
  if (parsed.ok) return parsed.collection;
  const issues: Issue[] = parsed.issues.map((issue) => ({
    path: pointer + issue.path,
    message: issue.message,
  }));
  throw invalidInput("INVALID_COLLECTION", `the collection is invalid (${issues.length} issue(s))`, issues);
}

/** 404 for an id that cannot name a collection. */
export function collectionId(id: string): string {
  if (!COLLECTION_ID_PATTERN.test(id)) throw notFound();
  return id;
}

/** 404: no collection has this id. */
export function notFound(): WorkerError {
  return new WorkerError("NOT_FOUND", "no collection has this id");
}

function notBundled(collections: CollectionStore, id: string): void {
  if (collections.isBundled(id)) {
    throw new WorkerError("READ_ONLY", `"${id}" is a bundled collection and cannot be changed`);
  }
}

/** The collection routes, to mount at `/collections`. */
export function collectionRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { log } = deps;

  app.get("/", callerWith("collections:read", deps), async (c) => json(await storeOf(c, deps).list()));

  app.get("/:id", callerWith("collections:read", deps), async (c) => {
    const found = await storeOf(c, deps).get(collectionId(c.req.param("id")));
    if (found === undefined) throw notFound();
    return json(found.value, 200, { "x-collection-source": found.source });
  });

  app.put("/:id", callerWith("collections:write", deps), limitBody(), async (c) => {
    const id = c.req.param("id");
    if (!COLLECTION_ID_PATTERN.test(id)) {
      throw invalidInput("INVALID_ID", "collection ids match [a-z0-9][a-z0-9._-]{0,63}", [
        { path: "", message: "use 1 to 64 lowercase letters, digits, dots, underscores or hyphens" },
      ]);
    }
    const collections = storeOf(c, deps);
    notBundled(collections, id);
    const collection = validCollection(await readJsonBody(c.req.raw), "");
    const { replaced, summary } = await collections.put(id, collection);
    log("info", "collection stored", { collection: id, replaced, items: summary.items });
    return json(summary, replaced ? 200 : 201, replaced ? {} : { location: `/collections/${id}` });
  });

  app.delete("/:id", callerWith("collections:write", deps), async (c) => {
    const id = collectionId(c.req.param("id"));
    const collections = storeOf(c, deps);
    notBundled(collections, id);
    if (!(await collections.delete(id))) throw notFound();
    log("info", "collection deleted", { collection: id });
    return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
  });

  methodNotAllowed(app, "/", "GET, HEAD");
  methodNotAllowed(app, "/:id", "GET, HEAD, PUT, DELETE");
  return app;
}
