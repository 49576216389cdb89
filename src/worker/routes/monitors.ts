/**
 * Monitors, mounted at `/monitors`: list and read (`monitors:read`), create or replace and delete
 * (`monitors:write`). A monitor belongs to the caller whose JWT `sub` made it; to anyone else it
 * does not exist (404), and each caller names their monitors freely. With `monitors:admin`, a
 * caller lists, reads and deletes any owner's monitors (`?owner=`, `?all=true`), but saves none
 * as another owner (a monitor runs as its owner).
 */
import { Hono, type MiddlewareHandler } from "hono";
import { redactAlertUrl } from "../alert-url.ts";
import { limitBody, readJsonBody } from "../body.ts";
import { authenticateCaller, callerOwner, requireScope, type Scope } from "../caller-auth.ts";
import { COLLECTION_ID_PATTERN } from "../collections-store.ts";
import { readBaseUrl, readWorkerConfig } from "../config.ts";
import { monitorSealer } from "../durable-seal.ts";
import { INPUTS_PURPOSE } from "../durable-start.ts";
import { invalidInput, WorkerError } from "../errors.ts";
import { readMonitorBody } from "../monitor-body.ts";
import { MONITOR_HISTORY, monitorDetail, monitorSummary } from "../monitor-view.ts";
import { checkRunCanStart } from "../run-execution.ts";
import { checkRunSettings } from "../run-inputs.ts";
import { monitorDeliveries } from "../store/alert-deliveries.ts";
import { monitorRuns } from "../store/monitor-slots.ts";
import {
  ALERT_URL_PURPOSE,
  collectionPin,
  countMonitors,
  deleteMonitor,
  getMonitor,
  listAllMonitors,
  listMonitors,
  MAX_MONITORS,
  type MonitorListing,
  putMonitor,
} from "../store/monitors.ts";
import { validCollection } from "./collections.ts";
import { type AppContext, type AppEnv, callerWith, dbOf, json, type RouteDeps, storeOf } from "./context.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { methodNotAllowed } from "./method-not-allowed.ts";

/** Most monitors `GET /monitors` lists (and one caller may have). */
export const MAX_MONITORS_PER_OWNER = 200;

/** Most monitors one page of `GET /monitors?all=true` lists. */
export const ALL_MONITORS_PAGE = 200;

const monitorsDb = (c: AppContext): D1Database => dbOf(c, "monitors");

function ownerOf(c: AppContext): string {
  return callerOwner(c.get("caller"));
}

/** True when the request acts on other owners' monitors: `?owner=` or `?all=`. */
function actsAsAdmin(c: AppContext): boolean {
  return c.req.query("owner") !== undefined || c.req.query("all") !== undefined;
}

/**
 * The owner whose monitor a read or delete is about: `?owner=` (a `monitors:admin` caller, checked
 * by {@link monitorCaller}), else the caller.
 */
function targetOwner(c: AppContext): string {
  if (c.req.query("all") !== undefined) {
    throw invalidInput("INVALID_INPUT", "all lists monitors; this route takes one owner", [
      { path: "/all", message: "name the monitor's owner with ?owner= instead" },
    ]);
  }
  const owner = c.req.query("owner");
  if (owner === undefined) return ownerOf(c);
  if (owner === "") {
    throw invalidInput("INVALID_INPUT", "owner must name a caller", [
      { path: "/owner", message: "the owner's sub (as GET /monitors?all=true lists it)" },
    ]);
  }
  return owner;
}

/**
 * Middleware: a verified caller holding `scope` for its own monitors, or `monitors:admin` for
 * another owner's (`?owner=`, `?all=`), else 401 / 403.
 */
function monitorCaller(scope: Scope, deps: RouteDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const caller = await authenticateCaller(c.req.raw.headers, c.env, deps.callerAuth);
    requireScope(caller, actsAsAdmin(c) ? "monitors:admin" : scope);
    c.set("caller", caller);
    await next();
  };
}

/** The cursor after a monitor of every owner's listing: of `[owner, id]` as JSON. */
const monitorCursor = (monitor: MonitorListing): string =>
  encodeCursor(JSON.stringify([monitor.owner, monitor.id]));

function readMonitorCursor(text: string): { owner: string; id: string } | undefined {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value) || value.length !== 2 || !value.every((part) => typeof part === "string"))
    return undefined;
  return { owner: value[0] as string, id: value[1] as string };
}

/** `GET /monitors?all=true`: every owner's monitors, by owner then id, a page at a time. */
async function allOwnersPage(c: AppContext): Promise<Response> {
  if (c.req.query("owner") !== undefined) {
    throw invalidInput("INVALID_INPUT", "use either owner or all", [
      { path: "/owner", message: "leave it out to list every owner's monitors" },
    ]);
  }
  const cursor = c.req.query("cursor");
  const after = cursor === undefined || cursor === "" ? undefined : decodeCursor(cursor, readMonitorCursor);
  const rows = await listAllMonitors(monitorsDb(c), after, ALL_MONITORS_PAGE + 1);
  const page = rows.slice(0, ALL_MONITORS_PAGE);
  const last = page[page.length - 1];
  const now = Date.now();
  return json({
    monitors: page.map((monitor) => ({ owner: monitor.owner, ...monitorSummary(monitor, now) })),
    cursor: rows.length > ALL_MONITORS_PAGE && last !== undefined ? monitorCursor(last) : null,
  });
}

function noSuchMonitor(): WorkerError {
  return new WorkerError("NOT_FOUND", "no monitor has this id");
}

/**
 * The monitor routes, to mount at `/monitors`.
 * @example
 * app.route("/monitors", monitorRoutes(deps));
 */
export function monitorRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { log } = deps;

  app.get("/", monitorCaller("monitors:read", deps), async (c) => {
    if (c.req.query("all") !== undefined) return allOwnersPage(c);
    const admin = actsAsAdmin(c);
    const monitors = await listMonitors(monitorsDb(c), targetOwner(c), MAX_MONITORS_PER_OWNER);
    const now = Date.now();
    return json({
      monitors: monitors.map((monitor) => ({
        ...(admin ? { owner: monitor.owner } : {}),
        ...monitorSummary(monitor, now),
      })),
    });
  });

  app.get("/:id", monitorCaller("monitors:read", deps), async (c) => {
    const db = monitorsDb(c);
    const owner = targetOwner(c);
    const monitor = await getMonitor(db, owner, c.req.param("id"));
    if (monitor === undefined) throw noSuchMonitor();
    const [runs, deliveries] = await Promise.all([
      monitorRuns(db, monitor, MONITOR_HISTORY),
      monitorDeliveries(db, owner, monitor.id, MONITOR_HISTORY),
    ]);
    const detail = monitorDetail(monitor, Date.now(), runs, deliveries);
    return json(actsAsAdmin(c) ? { owner, ...detail } : detail);
  });

  app.put("/:id", callerWith("monitors:write", deps), limitBody(), async (c) => {
    if (actsAsAdmin(c)) {
      // A monitor runs as its owner, with the owner's inputs: no one saves one for someone else.
      throw invalidInput("INVALID_INPUT", "a monitor is saved by its owner only", [
        { path: "/owner", message: "leave out owner and all: PUT saves the caller's own monitor" },
      ]);
    }
    // A monitor runs its collection as its owner on every fire: storing one starts saved runs,
    // which a caller without `runs:saved` may not start (and a saved collection may order checks).
    requireScope(c.get("caller"), "runs:saved");
    const id = c.req.param("id");
    if (!COLLECTION_ID_PATTERN.test(id)) {
      throw invalidInput("INVALID_ID", "monitor ids match [a-z0-9][a-z0-9._-]{0,63}", [
        { path: "", message: "use 1 to 64 lowercase letters, digits, dots, underscores or hyphens" },
      ]);
    }
    const db = monitorsDb(c);
    const owner = ownerOf(c);
    const now = Date.now();
    const body = readMonitorBody(await readJsonBody(c.req.raw), now, {
      certnOrigin: readBaseUrl(c.env.CERTN_BASE_URL),
      allowLoopback: deps.allowLoopbackAlerts(c.env),
    });
    const found = await storeOf(c, deps).get(body.collection);
    if (found === undefined) {
      throw invalidInput("INVALID_INPUT", `no saved collection has the id "${body.collection}"`, [
        { path: "/collection", message: "name a bundled or stored collection (GET /collections lists them)" },
      ]);
    }
    // The same checks as a durable run of it, now rather than at 3 a.m.: options with inputs,
    // credentials and the size of its results.
    const collection = validCollection(found.value, "");
    checkRunSettings(collection, body.inputs, "");
    const credentials =
      typeof deps.credentials === "function" ? deps.credentials(collection) : deps.credentials;
    const config = readWorkerConfig(c.env, credentials);
    checkRunCanStart({ collection, source: found.source, inputs: body.inputs, config }, "durable");
    const full = () =>
      invalidInput("INVALID_INPUT", `a caller may have at most ${MAX_MONITORS_PER_OWNER} monitors`, [
        { path: "", message: "delete a monitor first" },
      ]);
    // Early, before the sealing; putMonitor decides again atomically (creations may race).
    const existing = await getMonitor(db, owner, id);
    if (existing === undefined && (await countMonitors(db, owner)) >= MAX_MONITORS_PER_OWNER) throw full();
    const sealer = await monitorSealer(config.credentials, owner, id);
    const outcome = await putMonitor(
      db,
      {
        owner,
        id,
        collection: body.collection,
        // What the monitor will run: a fire whose collection has another digest starts nothing.
        collectionSha256: await collectionPin(found.value),
        schedule: body.schedule,
        inputs: await sealer.seal(INPUTS_PURPOSE, body.inputs),
        alert:
          body.alert === undefined
            ? undefined
            : {
                on: body.alert.on,
                shown: redactAlertUrl(body.alert.url),
                sealedUrl: await sealer.seal(ALERT_URL_PURPOSE, body.alert.url),
              },
        now,
      },
      { perOwner: MAX_MONITORS_PER_OWNER, total: MAX_MONITORS },
    );
    if (outcome === "full") throw full();
    if (outcome === "deployment-full") {
      throw invalidInput("INVALID_INPUT", `this deployment holds its most monitors (${MAX_MONITORS})`, [
        { path: "", message: "the Cron Trigger reads at most this many; delete a monitor first" },
      ]);
    }
    const created = outcome === "created";
    log("info", created ? "monitor created" : "monitor replaced", {
      monitor: id,
      collection: body.collection,
    });
    const stored = await getMonitor(db, owner, id);
    if (stored === undefined) throw noSuchMonitor();
    return json(
      monitorSummary(stored, now),
      created ? 201 : 200,
      created ? { location: `/monitors/${id}` } : {},
    );
  });

  app.delete("/:id", monitorCaller("monitors:write", deps), async (c) => {
    const id = c.req.param("id");
    const admin = actsAsAdmin(c);
    if (!(await deleteMonitor(monitorsDb(c), targetOwner(c), id))) throw noSuchMonitor();
    log("info", admin ? "monitor deleted by an admin" : "monitor deleted", { monitor: id });
    return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
  });

  methodNotAllowed(app, "/", "GET, HEAD");
  methodNotAllowed(app, "/:id", "GET, HEAD, PUT, DELETE");
  return app;
}
