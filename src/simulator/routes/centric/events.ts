/**
 * CertnCentric events (certncentric-api.md §5.2, §5.3): what happened to each case, derived from
 * simulated time, kept in an append-only log that both the webhooks and `GET /api/public/events/`
 * read, so a pushed event and its pulled copy share one id.
 */

import { FIELD_ERROR_CODE } from "../../assumptions/centric.ts";
import {
  ANNOUNCE_CREATION,
  CHECK_EVENT_OBJECT,
  EVENTS_LOG,
  WEBHOOK_DOCUMENTED_FIELDS,
  WEBHOOK_RECEIVER_FIELDS,
} from "../../assumptions/centric-cases.ts";
import { fill } from "../../assumptions/label.ts";
import { isoTime } from "../../http.ts";
import { deriveId } from "../../rng.ts";
import { type CentricContext, type RouteDef, route, type SimRuntime } from "../../runtime.ts";
import { renderChecks, statusAt, stepsOf } from "./case-view.ts";
import { reportReady } from "./reports.ts";
import { centricError, centricPage } from "./respond.ts";
import type { CentricEvent } from "./state.ts";

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/** A 48-bit hash (two FNV-1a passes), so an event's id follows from what it is about. */
function hash48(text: string): number {
  return (fnv1a(`#${text}`) & 0xffff) * 0x1_0000_0000 + fnv1a(text);
}

function event(
  caseId: string,
  at: number,
  eventType: string,
  caseStatus: string,
  what: string,
): CentricEvent {
  return { id: deriveId(caseId, hash48(`${at}:${eventType}:${what}`)), at, eventType, caseId, caseStatus };
}

/** Every event of every case and report file, past and future, oldest first. */
export function allCentricEvents(rt: SimRuntime): CentricEvent[] {
  const events: CentricEvent[] = [];
  for (const rec of rt.state.centric.cases.values()) {
    const steps = stepsOf(rt, rec);
    steps.forEach((step, i) => {
      const previous = steps[i - 1];
      if (previous === undefined && !ANNOUNCE_CREATION.value) return;
      events.push(event(rec.id, step.at, "CASE_STATUS_CHANGED", step.status, step.status));
      if (previous === undefined) return;
      const before = renderChecks(rec, previous.status);
      renderChecks(rec, step.status).forEach((check, j) => {
        if (before[j]?.status === check.status) return;
        const what = `${String(check.id)}:${String(check.status)}`;
        events.push(event(rec.id, step.at, "CHECK_STATUS_CHANGED", step.status, what));
      });
    });
  }
  for (const file of rt.state.centric.reportFiles.values()) {
    const rec = rt.state.centric.cases.get(file.caseId);
    const at = file.createdAt + rt.options.centric.reportReadyMs;
    if (rec === undefined || !reportReady(rt, at, file)) continue;
    events.push(event(rec.id, at, "CASE_REPORT_READY", statusAt(rt, rec, at), file.id));
  }
  // A stable sort: events of the same moment keep the order they were built in.
  return events.sort((a, b) => a.at - b.at);
}

/**
 * Appends every event that happened by `now` and is not logged yet. New events never predate
 * logged ones (a change happens now or later), so the log stays in time order.
 */
export function syncCentricEvents(rt: SimRuntime, now: number): void {
  const centric = rt.state.centric;
  for (const e of allCentricEvents(rt)) {
    if (e.at > now || centric.loggedEventIds.has(e.id)) continue;
    centric.loggedEventIds.add(e.id);
    centric.eventLog.push(e);
  }
}

/** When the next event not logged yet happens, if any. */
export function nextCentricEventAt(rt: SimRuntime): number | undefined {
  const logged = rt.state.centric.loggedEventIds;
  return allCentricEvents(rt).find((e) => !logged.has(e.id))?.at;
}

/**
 * The payload of an event: the documented fields plus those public receivers read, nothing else
 * (certncentric-api.md §5.3).
 */
export function eventPayload(e: CentricEvent): Record<string, unknown> {
  const values: Record<string, unknown> = {
    id: e.id,
    event_type: e.eventType,
    object_id: e.caseId,
    object_type: CHECK_EVENT_OBJECT.value,
    event_id: e.id,
    created: isoTime(e.at),
    case_status: e.caseStatus,
  };
  const keys = [...WEBHOOK_DOCUMENTED_FIELDS.value, ...WEBHOOK_RECEIVER_FIELDS.value];
  return Object.fromEntries(keys.map((key) => [key, values[key]]));
}

/** `GET /api/public/events/`: the log, oldest first, optionally after a known event. */
function listEvents(ctx: CentricContext): Response {
  syncCentricEvents(ctx.rt, ctx.now);
  const log = ctx.rt.state.centric.eventLog;
  const after = ctx.url.searchParams.get(EVENTS_LOG.value.afterParam);
  let items = log;
  if (after !== null && after !== "") {
    const index = log.findIndex((e) => e.id === after.toLowerCase());
    if (index === -1) {
      const attr = EVENTS_LOG.value.afterParam;
      const detail = fill(EVENTS_LOG.value.unknownAfter, { id: after });
      return centricError(400, "validation_error", [{ code: FIELD_ERROR_CODE.value, detail, attr }]);
    }
    items = log.slice(index + 1);
  }
  return centricPage(ctx, items, eventPayload);
}

/** The event log route (certncentric-api.md §3.1, [CODE] path). */
export const eventRoutes: RouteDef[] = [route.centric("GET", EVENTS_LOG.value.path, listEvents)];
