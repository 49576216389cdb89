/**
 * The body of `PUT /monitors/:id`: `{ collection, schedule, inputs?, alert?: { url, on } }`. Every
 * field is checked and every problem reported at once, each at its JSON Pointer; the alert URL is
 * never quoted back (it may hold a webhook token).
 */
import { isRecord, toJsonPointer } from "../core/json.ts";
import { parseRunInputs } from "../runner/index.ts";
import { type AlertUrlPolicy, alertUrlProblem } from "./alert-url.ts";
import { COLLECTION_ID_PATTERN } from "./collections-store.ts";
import { type Issue, invalidInput } from "./errors.ts";
import { scheduleIssue } from "./monitor-schedule.ts";
import { WORKER_RUN_INPUT_KEYS, type WorkerRunInputs } from "./run-inputs.ts";
import type { AlertOn, MonitorAlert } from "./store/monitors.ts";

/** The values of `alert.on`. */
export const ALERT_ON: readonly AlertOn[] = ["failure", "change", "always"];

/**
 * Largest inputs a monitor keeps, as JSON bytes: sealed (a third more, base64) they stay well
 * inside a D1 row (1 MB), and the Cron Trigger reads them at every run.
 */
export const MAX_MONITOR_INPUTS_BYTES = 256 * 1024;

const FIELDS = ["collection", "schedule", "inputs", "alert"];
const ALERT_FIELDS = ["url", "on"];

/** A checked monitor body. */
export interface MonitorBody {
  collection: string;
  schedule: string;
  inputs: WorkerRunInputs;
  alert: MonitorAlert | undefined;
}

function unknownFields(value: Record<string, unknown>, allowed: readonly string[], base: string[]): Issue[] {
  return Object.keys(value)
    .filter((key) => !allowed.includes(key))
    .map((key) => ({
      path: toJsonPointer([...base, key]),
      message: `unknown field; allowed: ${allowed.join(", ")}`,
    }));
}

function alertIssues(alert: unknown, policy: AlertUrlPolicy): Issue[] {
  if (alert === undefined) return [];
  if (!isRecord(alert)) return [{ path: "/alert", message: "must be an object { url, on }" }];
  const issues = unknownFields(alert, ALERT_FIELDS, ["alert"]);
  if (typeof alert.url !== "string") {
    issues.push({ path: "/alert/url", message: "required: the https: URL alerts are POSTed to" });
  } else {
    const problem = alertUrlProblem(alert.url, policy);
    if (problem !== undefined) issues.push({ path: "/alert/url", message: problem });
  }
  if (!(ALERT_ON as readonly unknown[]).includes(alert.on)) {
    issues.push({ path: "/alert/on", message: `required: one of ${ALERT_ON.join(", ")}` });
  }
  return issues;
}

/**
 * Checks a monitor body.
 * @param now the time the schedule's look-ahead starts at
 * @throws WorkerError 400 `INVALID_INPUT` with an issue per problem, at its JSON Pointer
 * @example
 * const monitor = readMonitorBody({ collection: "certn-smoke", schedule: "0 * * * *" }, Date.now(), policy);
 */
export function readMonitorBody(body: unknown, now: number, policy: AlertUrlPolicy): MonitorBody {
  if (!isRecord(body)) {
    throw invalidInput("INVALID_INPUT", "the body must be a JSON object", [
      { path: "", message: "send { collection, schedule, inputs?, alert? }" },
    ]);
  }
  const issues = unknownFields(body, FIELDS, []);
  const { collection, schedule } = body;
  if (typeof collection !== "string" || !COLLECTION_ID_PATTERN.test(collection)) {
    issues.push({
      path: "/collection",
      message: "required: a saved collection id ([a-z0-9][a-z0-9._-]{0,63})",
    });
  }
  const scheduled = scheduleIssue(schedule, now);
  if (scheduled !== undefined) issues.push(scheduled);
  const parsed = parseRunInputs(body.inputs, { keys: WORKER_RUN_INPUT_KEYS });
  if (!parsed.ok) issues.push(...parsed.issues.map((issue) => ({ ...issue, path: `/inputs${issue.path}` })));
  else {
    const bytes = new TextEncoder().encode(JSON.stringify(parsed.inputs)).byteLength;
    if (bytes > MAX_MONITOR_INPUTS_BYTES) {
      issues.push({
        path: "/inputs",
        message: `${bytes} bytes as JSON; a monitor keeps at most ${MAX_MONITOR_INPUTS_BYTES}`,
      });
    }
  }
  issues.push(...alertIssues(body.alert, policy));
  if (issues.length > 0 || !parsed.ok) {
    throw invalidInput("INVALID_INPUT", `the monitor is invalid (${issues.length} issue(s))`, issues);
  }
  const alert = isRecord(body.alert)
    ? { url: body.alert.url as string, on: body.alert.on as AlertOn }
    : undefined;
  return { collection: collection as string, schedule: schedule as string, inputs: parsed.inputs, alert };
}
