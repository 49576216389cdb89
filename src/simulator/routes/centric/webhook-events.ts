/** Due CertnCentric webhook events (certncentric-api.md §5.2, §5.3). */
import { isoTime } from "../../http.ts";
import type { SimRuntime } from "../../runtime.ts";
import type { PendingDelivery } from "../../webhooks.ts";
import { renderChecks, stepsOf } from "./case-view.ts";
import { reportStatus } from "./reports.ts";

interface Due {
  at: number;
  caseId: string;
  fields: Record<string, unknown>;
}

/**
 * Every CASE_STATUS_CHANGED, CHECK_STATUS_CHANGED and CASE_REPORT_READY due by `now` and not
 * sent yet, oldest first. Payloads are thin notifications carrying both `id` and `event_id`
 * (§6.1 #6); `object_id` is the case id even for check events ([CODE] receivers rely on it).
 */
export function dueCentricEvents(rt: SimRuntime, now: number): PendingDelivery[] {
  const due: Due[] = [];
  for (const rec of rt.state.centric.cases.values()) {
    const steps = stepsOf(rt, rec);
    steps.forEach((step, i) => {
      const previous = steps[i - 1];
      const key = `${step.at}:${step.status}`;
      if (previous === undefined || step.at > now || rec.announced.has(key)) return;
      rec.announced.add(key);
      due.push({
        at: step.at,
        caseId: rec.id,
        fields: { event_type: "CASE_STATUS_CHANGED", case_status: step.status },
      });
      const before = renderChecks(rec, previous.status);
      renderChecks(rec, step.status).forEach((check, j) => {
        if (before[j]?.status === check.status) return;
        due.push({
          at: step.at,
          caseId: rec.id,
          fields: {
            event_type: "CHECK_STATUS_CHANGED",
            case_status: step.status,
            check_id: check.id,
            check_type: check.type,
            check_status: check.status,
          },
        });
      });
    });
  }
  for (const file of rt.state.centric.reportFiles.values()) {
    if (file.announced || reportStatus(rt, now, file) !== "COMPLETE") continue;
    file.announced = true;
    due.push({
      at: file.createdAt + rt.options.centric.reportReadyMs,
      caseId: file.caseId,
      fields: { event_type: "CASE_REPORT_READY", report_file_id: file.id },
    });
  }
  return due
    .sort((a, b) => a.at - b.at)
    .map((d) => {
      const eventId = rt.rng.uuid();
      const payload = {
        id: eventId,
        event_id: eventId,
        ...d.fields,
        object_id: d.caseId,
        object_type: "CASE",
        created: isoTime(d.at),
      };
      return { objectId: d.caseId, body: JSON.stringify(payload) };
    });
}
