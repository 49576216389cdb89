/** Renders a case as of a simulated time (certncentric-api.md §3.5; field list from [CODE] readers). */
import { CHECK_STATUSES, INVITE_LINK_BASE } from "../../assumptions/centric-cases.ts";
import { isoTime } from "../../http.ts";
import type { SimRuntime } from "../../runtime.ts";
import type { JsonObject } from "../../state.ts";
import {
  type CaseStep,
  caseTimeline,
  checkStatus,
  decisiveCheck,
  overallScore,
  stepAt,
} from "./case-lifecycle.ts";
import type { CaseRecord } from "./state.ts";

/** Every status step of the case. */
export function stepsOf(rt: SimRuntime, rec: CaseRecord): CaseStep[] {
  return caseTimeline(rec, rt.options.timings);
}

/** The case's `overall_status` at `at`. */
export function statusAt(rt: SimRuntime, rec: CaseRecord, at: number): string {
  return stepAt(stepsOf(rt, rec), at).status;
}

function outputClaims(type: string, score: string | null): JsonObject {
  if (score === null) return {};
  if (type.includes("CREDIT")) return { credit_score: score === "CLEAR" ? 742 : 561 };
  if (type.includes("CRIMINAL")) {
    return {
      records:
        score === "CLEAR"
          ? []
          : [
              {
                offence: "Theft under $5000 (simulated record)",
                disposition: "Convicted",
                date: "2015-06-01",
              },
            ],
    };
  }
  if (/IDENTITY|ONE_ID|DIGI/.test(type)) return { identity_verified: score === "CLEAR" };
  return {};
}

/** The check objects of a case whose status is `caseStatus`. */
export function renderChecks(rec: CaseRecord, caseStatus: string): JsonObject[] {
  return Object.entries(rec.checkTypes).map(([type, args]) => {
    const status = checkStatus(rec, type, caseStatus);
    const complete = status === CHECK_STATUSES.value.done;
    const score = !complete ? null : type === decisiveCheck(rec) ? overallScore(rec, "COMPLETE") : "CLEAR";
    const identity = /IDENTITY|ONE_ID|DIGI/.test(type);
    const id = rec.checkIds[type] ?? "";
    return {
      id,
      short_id: `CK_${id.replaceAll("-", "").slice(0, 12).toUpperCase()}`,
      type,
      status,
      score,
      sub_score: complete && identity ? (score === "CLEAR" ? "VERIFIED" : "NOT_VERIFIED") : null,
      adjudication_score: null,
      adjudication_sub_score: null,
      arguments: args,
      output_claims: outputClaims(type, score),
    };
  });
}

/** The case object at `at`. */
export function renderCase(rt: SimRuntime, rec: CaseRecord, at: number): JsonObject {
  const step = stepAt(stepsOf(rt, rec), at);
  return {
    id: rec.id,
    short_id: rec.shortId,
    created: isoTime(rec.createdAt),
    modified: isoTime(Math.max(rec.createdAt, step.at)),
    overall_status: step.status,
    overall_score: overallScore(rec, step.status),
    email_address: rec.emailAddress,
    invite_link: rec.inviteToken === null ? null : `${INVITE_LINK_BASE.value}${rec.inviteToken}/`,
    group: rec.group,
    ordered_by: rec.orderedBy,
    package: rec.packageId,
    permissible_purpose: rec.permissiblePurpose,
    tags: rec.tags,
    input_claims: rec.inputClaims ?? {},
    check_types_with_arguments: rec.checkTypes,
    checks: renderChecks(rec, step.status),
  };
}
