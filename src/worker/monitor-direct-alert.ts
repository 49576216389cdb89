/**
 * A monitor run's alert sent outside its Workflow: for a run that could not be started (the Cron
 * Trigger) and for a run whose instance ended without its record (the reconciler). There is no
 * Workflow step to retry it, so {@link deliverAlert} retries a few times within the invocation.
 */
import { CollectionStore } from "./collections-store.ts";
import { type CertnCredentials, readBaseUrl, readWorkerConfig } from "./config.ts";
import type { Env } from "./env.ts";
import { errorKind } from "./log.ts";
import { deliverAlert, type EndedMonitorRun } from "./monitor-alert.ts";
import { validCollection } from "./routes/collections.ts";
import type { RouteDeps } from "./routes/context.ts";
import type { MonitorKey } from "./store/monitor-slots.ts";
import { getMonitor } from "./store/monitors.ts";

/**
 * The credentials a monitor's state may be sealed under: the deployment's, or (where they depend
 * on the collection, as in the development entry) those of its collection, as when it was saved;
 * with its collection gone, those of every bundled collection.
 */
async function monitorCredentials(
  env: Env,
  db: D1Database,
  monitorKey: MonitorKey,
  deps: RouteDeps,
): Promise<CertnCredentials[]> {
  const choose = deps.credentials;
  const of = (value: unknown): CertnCredentials[] => {
    try {
      const credentials = typeof choose === "function" ? choose(validCollection(value, "")) : choose;
      return [readWorkerConfig(env, credentials).credentials];
    } catch {
      return [];
    }
  };
  if (typeof choose !== "function") return of(undefined);
  const monitor = await getMonitor(db, monitorKey.owner, monitorKey.id).catch(() => undefined);
  const found =
    monitor === undefined
      ? undefined
      : await new CollectionStore(deps.bundled, env.COLLECTIONS)
          .get(monitor.collection)
          .catch(() => undefined);
  if (found !== undefined) return of(found.value);
  // Each distinct set once: bundled collections mostly share the deployment's credentials.
  const distinct = new Map(
    Object.values(deps.bundled)
      .flatMap(of)
      .map((one) => [JSON.stringify(one), one]),
  );
  return [...distinct.values()];
}

/**
 * Sends the alert of `run` (its monitor decides whether one is due) with bounded retries; an
 * alert that could not be delivered is logged, never thrown (each attempt is recorded).
 * @example
 * await alertOutsideWorkflow(env, db, { runId, monitor, status: "errored", summary, startError: "COLLECTION_NOT_FOUND" }, deps);
 */
export async function alertOutsideWorkflow(
  env: Env,
  db: D1Database,
  run: EndedMonitorRun,
  deps: RouteDeps,
): Promise<void> {
  try {
    const policy = {
      certnOrigin: readBaseUrl(env.CERTN_BASE_URL),
      allowLoopback: deps.allowLoopbackAlerts(env),
    };
    const result = await deliverAlert(
      db,
      run,
      policy,
      (input, init) => fetch(input, init),
      await monitorCredentials(env, db, run.monitor, deps),
    );
    if (result === "undelivered") deps.log("warn", "monitor alert not delivered", { runId: run.runId });
  } catch (error) {
    deps.log("warn", "monitor alert not delivered", { runId: run.runId, error: errorKind(error) });
  }
}
