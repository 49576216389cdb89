/**
 * A monitor's alert, sent when a run it started ends: decided by `alert.on` (`failure`: the run
 * failed or errored; `change`: it passes where the previous run failed, or fails where it passed,
 * a new monitor counting as passing; `always`), then POSTed as JSON with a Slack-compatible `text`
 * and the structured outcome (ids, status and counts only: never an input, a response value, a
 * token or a secret). The URL is checked again before each attempt, fetched with
 * `redirect: "manual"` and a timeout, and every attempt is recorded in `alert_deliveries`.
 */
import { type Sleep, sleep } from "../core/sleep.ts";
import { type AlertUrlPolicy, alertUrlProblem } from "./alert-url.ts";
import type { CertnCredentials } from "./config.ts";
import { monitorSealer } from "./durable-seal.ts";
import { errorKind } from "./log.ts";
import { recordDelivery } from "./store/alert-deliveries.ts";
import { type MonitorKey, previousEndedStatus } from "./store/monitor-slots.ts";
import { ALERT_URL_PURPOSE, type AlertOn, getMonitor } from "./store/monitors.ts";
import { type RunProgress, type RunStatus, recordedCollection } from "./store/runs.ts";

/** How long one delivery attempt may take. */
export const ALERT_TIMEOUT_MS = 10_000;

/**
 * How many slots before a run's own are looked at for the monitor's previous ended run (slots
 * after it never are: a run that ends late is compared with what came before it).
 */
const PREVIOUS_LOOKBACK = 10;

/** A run as its alert sees it. */
export interface EndedMonitorRun {
  runId: string;
  monitor: MonitorKey;
  status: RunStatus;
  summary: RunProgress;
  /** Why the run could not be started (its status is then "errored"). */
  startError?: string;
}

/** What an alert receiver gets. */
export interface AlertMessage {
  text: string;
  monitor: string;
  collection: string;
  runId: string;
  status: RunStatus;
  previousStatus: RunStatus | null;
  summary: { items: number; passed: number; failed: number; errored: number; skipped: number };
  /** The error code of a run that could not be started. */
  startError?: string;
}

/**
 * What became of a run's alert: delivered; not sent (the monitor is gone, has no alert, or `on`
 * does not call for one); refused (its URL fails the rules now); or rejected by the receiver
 * (a redirect or a 4xx other than 408 and 429, not retried).
 */
export type AlertResult = "delivered" | "no-monitor" | "no-alert" | "not-due" | "url-refused" | "rejected";

const failing = (status: RunStatus): boolean => status === "failed" || status === "errored";

/**
 * Whether a run's end is alerted. `previous` is the monitor's previous ended run's status
 * (undefined for its first run, taken as passing).
 * @example
 * shouldAlert("change", "failed", "passed"); // true
 * shouldAlert("change", "failed", "failed"); // false
 */
export function shouldAlert(on: AlertOn, status: RunStatus, previous: RunStatus | undefined): boolean {
  if (on === "always") return true;
  if (status === "cancelled") return false;
  if (on === "failure") return failing(status);
  return failing(status) !== failing(previous ?? "passed");
}

/**
 * The alert of an ended run.
 * @example
 * const message = alertMessage(run, "certn-smoke", "passed");
 * message.text; // 'certn-edge monitor "nightly" (certn-smoke): run failed, 1 failed of 3 items ...'
 */
export function alertMessage(
  run: EndedMonitorRun,
  collection: string,
  previous: RunStatus | undefined,
): AlertMessage {
  const { items, passed, failed, errored, skipped } = run.summary;
  const change = previous !== undefined && failing(previous) && run.status === "passed" ? " (recovered)" : "";
  const head = `certn-edge monitor "${run.monitor.id}" (${collection}): `;
  const text =
    run.startError !== undefined
      ? `${head}the run could not be started (${run.startError}); run ${run.runId}`
      : `${head}run ${run.status}${change}, ${passed} passed, ${failed} failed, ${errored} errored, ` +
        `${skipped} skipped of ${items} items; run ${run.runId}`;
  return {
    text,
    monitor: run.monitor.id,
    collection,
    runId: run.runId,
    status: run.status,
    previousStatus: previous ?? null,
    summary: { items, passed, failed, errored, skipped },
    ...(run.startError === undefined ? {} : { startError: run.startError }),
  };
}

/**
 * One failed attempt that may pass later: its code, so a Workflow step retries it.
 * @example
 * throw new AlertDeliveryError("ALERT_HTTP_STATUS");
 */
export class AlertDeliveryError extends Error {
  constructor(readonly code: string) {
    super(`the alert was not delivered (${code})`);
    this.name = "AlertDeliveryError";
  }
}

/** The monitor's alert URL, opened with the first of `candidates` that sealed it, or undefined. */
async function openAlertUrl(
  monitor: MonitorKey,
  sealedUrl: string,
  candidates: readonly CertnCredentials[],
): Promise<string | undefined> {
  for (const credentials of candidates) {
    try {
      const sealer = await monitorSealer(credentials, monitor.owner, monitor.id);
      return await sealer.open<string>(ALERT_URL_PURPOSE, sealedUrl);
    } catch {
      // Sealed under other credentials (or none usable): try the next.
    }
  }
  return undefined;
}

/**
 * One attempt at a run's alert: decides, sends and records it.
 * @throws AlertDeliveryError when no answer came, or a 408, 429 or 5xx (the caller retries)
 * @example
 * await step.do("monitor alert", ALERT_STEP, () => attemptAlert(db, run, policy, fetch, [credentials]));
 */
export async function attemptAlert(
  db: D1Database,
  run: EndedMonitorRun,
  policy: AlertUrlPolicy,
  send: typeof fetch,
  credentials: readonly CertnCredentials[],
): Promise<AlertResult> {
  const monitor = await getMonitor(db, run.monitor.owner, run.monitor.id);
  if (monitor === undefined) return "no-monitor";
  if (monitor.alert === undefined) return "no-alert";
  const previous = await previousEndedStatus(db, run.runId, PREVIOUS_LOOKBACK);
  if (!shouldAlert(monitor.alert.on, run.status, previous)) return "not-due";
  const record = (status: number | undefined, errorCode: string | undefined) =>
    recordDelivery(db, {
      runId: run.runId,
      owner: run.monitor.owner,
      monitorId: run.monitor.id,
      at: Date.now(),
      status,
      ok: errorCode === undefined,
      errorCode,
    });
  // The collection the run ran: the monitor may have been changed to another since it started (a
  // run that could not be started has no record: it was to run the monitor's).
  const collection = (await recordedCollection(db, run.runId)) ?? monitor.collection;
  // The URL is stored sealed (its path is often the receiver's token); a rotated Certn secret
  // leaves it unreadable until the monitor is saved again.
  const url = await openAlertUrl(run.monitor, monitor.alert.sealedUrl, credentials);
  if (url === undefined) {
    await record(undefined, "ALERT_URL_UNREADABLE");
    return "url-refused";
  }
  // Checked again: the deployment's Certn origin or the entry's loopback rule may have changed.
  if (alertUrlProblem(url, policy) !== undefined) {
    await record(undefined, "ALERT_URL_REFUSED");
    return "url-refused";
  }
  let response: Response;
  try {
    response = await send(url, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8", "user-agent": "certn-edge-monitor" },
      body: JSON.stringify(alertMessage(run, collection, previous)),
      redirect: "manual",
      signal: AbortSignal.timeout(ALERT_TIMEOUT_MS),
    });
  } catch (error) {
    const code = errorKind(error).startsWith("TimeoutError") ? "ALERT_TIMEOUT" : "ALERT_NETWORK";
    await record(undefined, code);
    throw new AlertDeliveryError(code);
  }
  // The answer's body is never read (nor kept): only its status counts.
  await response.body?.cancel().catch(() => undefined);
  if (response.status >= 200 && response.status < 300) {
    await record(response.status, undefined);
    return "delivered";
  }
  const code = response.status >= 300 && response.status < 400 ? "ALERT_REDIRECT" : "ALERT_HTTP_STATUS";
  await record(response.status, code);
  // A redirect or a refusal (4xx) would be answered the same again; 408, 429 and 5xx may pass later.
  const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
  if (!retryable) return "rejected";
  throw new AlertDeliveryError(code);
}

/** Pauses between the attempts of an alert sent outside a Workflow: 3 attempts, 1 s and 4 s apart. */
export const DIRECT_ALERT_DELAYS_MS: readonly number[] = [1_000, 4_000];

/**
 * A run's alert with bounded retries, for an alert sent outside a Workflow (a monitor run that
 * could not be started, from the Cron Trigger): "undelivered" when every attempt failed.
 * @example
 * await deliverAlert(db, { runId, monitor, status: "errored", summary: NO_PROGRESS, startError }, policy, fetch, [credentials]);
 */
export async function deliverAlert(
  db: D1Database,
  run: EndedMonitorRun,
  policy: AlertUrlPolicy,
  send: typeof fetch,
  credentials: readonly CertnCredentials[],
  wait: Sleep = sleep,
): Promise<AlertResult | "undelivered"> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await attemptAlert(db, run, policy, send, credentials);
    } catch (error) {
      const delay = DIRECT_ALERT_DELAYS_MS[attempt];
      if (!(error instanceof AlertDeliveryError) || delay === undefined) return "undelivered";
      await wait(delay);
    }
  }
}
