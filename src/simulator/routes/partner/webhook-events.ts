/** Which applicant status changes are due for a webhook (certn-api.md §6.1). */
import type { SimRuntime } from "../../runtime.ts";
import type { PendingDelivery } from "../../webhooks.ts";
import { phasesOf, renderApplicant } from "./applicant-view.ts";

/**
 * Every status change that happened by `now` and was not announced yet, oldest first, each
 * with the full applicant object as it was at that moment. Creation itself is not a change.
 */
export function dueApplicantEvents(rt: SimRuntime, now: number): PendingDelivery[] {
  const due: { at: number; item: PendingDelivery }[] = [];
  for (const rec of rt.state.applicants.values()) {
    phasesOf(rt, rec).forEach((phase, i) => {
      const key = `${phase.at}:${phase.status}:${phase.reportStatus}`;
      if (i === 0 || phase.at > now || rec.announced.has(key)) return;
      rec.announced.add(key);
      due.push({
        at: phase.at,
        item: { objectId: rec.id, body: JSON.stringify(renderApplicant(rt, rec, phase.at)) },
      });
    });
  }
  return due.sort((a, b) => a.at - b.at).map((d) => d.item);
}
