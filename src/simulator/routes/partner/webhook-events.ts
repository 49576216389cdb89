/** Which applicant status changes are due for a webhook (certn-api.md §6.1). */
import { ANNOUNCE_CREATION } from "../../assumptions/partner-webhooks.ts";
import type { SimRuntime } from "../../runtime.ts";
import type { PendingDelivery } from "../../webhooks.ts";
import { phasesOf, renderApplicant } from "./applicant-view.ts";

/**
 * Every status change that happened by `now` and was not announced yet, oldest first, each
 * with the full applicant object as it was at that moment. The state at creation counts
 * (ANNOUNCE_CREATION).
 */
export function dueApplicantEvents(rt: SimRuntime, now: number): PendingDelivery[] {
  const due: { at: number; item: PendingDelivery }[] = [];
  for (const rec of rt.state.applicants.values()) {
    phasesOf(rt, rec).forEach((phase, i) => {
      const key = `${phase.at}:${phase.status}:${phase.reportStatus}`;
      if ((i === 0 && !ANNOUNCE_CREATION.value) || phase.at > now || rec.announced.has(key)) return;
      rec.announced.add(key);
      due.push({
        at: phase.at,
        item: { objectId: rec.id, body: JSON.stringify(renderApplicant(rt, rec, phase.at)) },
      });
    });
  }
  return due.sort((a, b) => a.at - b.at).map((d) => d.item);
}

/** When the next change not announced yet happens, if any. */
export function nextApplicantEventAt(rt: SimRuntime): number | undefined {
  let next: number | undefined;
  for (const rec of rt.state.applicants.values()) {
    phasesOf(rt, rec).forEach((phase, i) => {
      if (i === 0 && !ANNOUNCE_CREATION.value) return;
      if (rec.announced.has(`${phase.at}:${phase.status}:${phase.reportStatus}`)) return;
      if (next === undefined || phase.at < next) next = phase.at;
    });
  }
  return next;
}
