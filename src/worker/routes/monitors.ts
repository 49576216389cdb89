/**
 * Monitors, mounted at `/monitors`: list and read (`monitors:read`), create or replace and delete
 * (`monitors:write`). A monitor belongs to the caller whose JWT `sub` made it; to anyone else it
 * does not exist (404), and each caller names their monitors freely.
 */
import { Hono } from "hono";
import { redactAlertUrl } from "../alert-url.ts";
import { limitBody, readJsonBody } from "../body.ts";
import { callerOwner, requireScope } from "../caller-auth.ts";
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
  countMonitors,
  deleteMonitor,
  getMonitor,
  listMonitors,
  putMonitor,
} from "../store/monitors.ts";
import { validCollection } from "./collections.ts";
import { type AppContext, type AppEnv, callerWith, dbOf, json, type RouteDeps, storeOf } from "./context.ts";
import { methodNotAllowed } from "./method-not-allowed.ts";

/** Most monitors `GET /monitors` lists (and one caller may have). */
export const MAX_MONITORS_PER_OWNER = 200;

const monitorsDb = (c: AppContext): D1Database => dbOf(c, "monitors");

function ownerOf(c: AppContext): string {
  return callerOwner(c.get("caller"));
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

  app.get("/", callerWith("monitors:read", deps), async (c) => {
    const monitors = await listMonitors(monitorsDb(c), ownerOf(c), MAX_MONITORS_PER_OWNER);
    const now = Date.now();
    return json({ monitors: monitors.map((monitor) => monitorSummary(monitor, now)) });
  });

  app.get("/:id", callerWith("monitors:read", deps), async (c) => {
    const db = monitorsDb(c);
    const owner = ownerOf(c);
    const monitor = await getMonitor(db, owner, c.req.param("id"));
    if (monitor === undefined) throw noSuchMonitor();
    const [runs, deliveries] = await Promise.all([
      monitorRuns(db, monitor, MONITOR_HISTORY),
      monitorDeliveries(db, owner, monitor.id, MONITOR_HISTORY),
    ]);
    return json(monitorDetail(monitor, Date.now(), runs, deliveries));
  });

  app.put("/:id", callerWith("monitors:write", deps), limitBody(), async (c) => {
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
      MAX_MONITORS_PER_OWNER,
    );
    if (outcome === "full") throw full();
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

  app.delete("/:id", callerWith("monitors:write", deps), async (c) => {
    const id = c.req.param("id");
    if (!(await deleteMonitor(monitorsDb(c), ownerOf(c), id))) throw noSuchMonitor();
    log("info", "monitor deleted", { monitor: id });
    return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
  });

  methodNotAllowed(app, "/", "GET, HEAD");
  methodNotAllowed(app, "/:id", "GET, HEAD, PUT, DELETE");
  return app;
}
