/**
 * A case's `overall_status` over simulated time (certncentric-api.md §4.1): before submission the
 * applicant's status, then derived from the checks. Pure functions of the record and the clock.
 */
import { CASE_STEP_TIMING, CHECK_AWAITING, CHECK_STATUSES } from "../../assumptions/centric-cases.ts";
import type { ProgressTimings } from "../../lifecycle.ts";
import type { CaseRecord, CentricScenario } from "./state.ts";

/** One case status from time `at` on. */
export interface CaseStep {
  at: number;
  status: string;
}

/** Keyword (in `input_claims.name.family_name`, or the e-mail's local part or a `+` tag) → scenario. */
export const CENTRIC_SCENARIO_KEYWORDS: Readonly<Record<string, CentricScenario>> = {
  review: "review",
  reject: "reject",
  restricted: "restricted",
  cancelled: "cancelled",
  expired: "expired",
  unresponsive: "expired",
  undeliverable: "undeliverable",
  bounce: "undeliverable",
  clientaction: "client_action",
  applicantaction: "applicant_action",
  dispute: "dispute",
  slow: "slow",
  reportfailed: "report_failed",
};

const INVITE_ONLY = new Set<CentricScenario>(["expired", "undeliverable"]);

/** Picks the scenario of a new case. */
export function centricScenarioFor(
  familyName: unknown,
  email: string,
  quickscreen: boolean,
): CentricScenario {
  const candidates: string[] = [];
  if (typeof familyName === "string") candidates.push(familyName.trim().toLowerCase());
  candidates.push(...(email.split("@")[0] ?? "").toLowerCase().split("+"));
  for (const candidate of candidates) {
    const scenario = CENTRIC_SCENARIO_KEYWORDS[candidate];
    if (scenario === undefined || (quickscreen && INVITE_ONLY.has(scenario))) continue;
    return scenario;
  }
  return "clear";
}

function finalStatus(scenario: CentricScenario): string {
  switch (scenario) {
    case "cancelled":
      return "CANCELLED";
    case "client_action":
      return "CLIENT_ACTION_REQUIRED";
    case "applicant_action":
      return "APPLICANT_ACTION_REQUIRED";
    case "dispute":
      return "IN_DISPUTE";
    default:
      return "COMPLETE";
  }
}

/** Every status of a case in time order; the first is its status at creation. */
export function caseTimeline(rec: CaseRecord, t: ProgressTimings): CaseStep[] {
  const c = rec.createdAt;
  const analysis = rec.scenario === "slow" ? t.slowAnalysisMs : t.analysisMs;
  const timing = CASE_STEP_TIMING.value;
  const invited = c + timing.invitedAfterMs;
  const steps: CaseStep[] = [{ at: c, status: "CASE_ORDERED" }];
  let submitted = c;
  if (rec.mode !== "quickscreen") {
    if (rec.scenario === "undeliverable") {
      steps.push({ at: invited, status: "INVITE_UNDELIVERABLE" });
      return cut(steps, rec.cancelledAt);
    }
    steps.push({ at: invited, status: "APPLICANT_INVITED" });
    if (rec.scenario === "expired") {
      steps.push({ at: c + t.inviteExpiryMs, status: "APPLICANT_EXPIRED" });
      return cut(steps, rec.cancelledAt);
    }
    submitted = c + Math.max(t.submitMs, timing.invitedAfterMs);
    steps.push({ at: c + Math.round(timing.openedAt * t.submitMs), status: "APPLICANT_OPENED" });
    steps.push({ at: c + Math.round(timing.startedAt * t.submitMs), status: "APPLICANT_STARTED" });
    steps.push({ at: submitted, status: "APPLICANT_SUBMITTED" });
  }
  steps.push({ at: submitted + Math.round(timing.inProgressAt * analysis), status: "IN_PROGRESS" });
  steps.push({ at: submitted + analysis, status: finalStatus(rec.scenario) });
  return cut(
    steps.sort((a, b) => a.at - b.at),
    rec.cancelledAt,
  );
}

function cut(steps: CaseStep[], cancelledAt: number | null): CaseStep[] {
  if (cancelledAt === null) return steps;
  return [...steps.filter((s) => s.at <= cancelledAt), { at: cancelledAt, status: "CANCELLED" }];
}

/** The step in force at `t`. */
export function stepAt(steps: readonly CaseStep[], t: number): CaseStep {
  let current = steps[0] ?? { at: 0, status: "CASE_ORDERED" };
  for (const step of steps) if (step.at <= t) current = step;
  return current;
}

const BEFORE_SUBMISSION = new Set([
  "CASE_ORDERED",
  "APPLICANT_INVITED",
  "APPLICANT_OPENED",
  "APPLICANT_STARTED",
]);
const ENDED = new Set(["CANCELLED", "APPLICANT_EXPIRED", "INVITE_UNDELIVERABLE"]);
const ACTION = new Set(["CLIENT_ACTION_REQUIRED", "APPLICANT_ACTION_REQUIRED", "IN_DISPUTE"]);

/** The case's final score (certncentric-api.md §4.2); null unless COMPLETE. */
export function overallScore(rec: CaseRecord, status: string): string | null {
  if (status !== "COMPLETE") return null;
  switch (rec.scenario) {
    case "review":
      return "REVIEW";
    case "reject":
      return "REJECT";
    case "restricted":
      return "RESTRICTED";
    default:
      return "CLEAR";
  }
}

/** The check that carries a non-clear outcome: the first criminal or credit check, else the first. */
export function decisiveCheck(rec: CaseRecord): string | undefined {
  const types = Object.keys(rec.checkTypes);
  return types.find((t) => /CRIMINAL|CREDIT/.test(t)) ?? types[0];
}

/** A check's status when the case is at `caseStatus`. */
export function checkStatus(rec: CaseRecord, type: string, caseStatus: string): string {
  const { running, done, ended } = CHECK_STATUSES.value;
  if (BEFORE_SUBMISSION.has(caseStatus)) return rec.mode === "quickscreen" ? running : CHECK_AWAITING.value;
  if (caseStatus === "APPLICANT_SUBMITTED" || caseStatus === "IN_PROGRESS") return running;
  if (ENDED.has(caseStatus)) return ended;
  if (ACTION.has(caseStatus)) return type === decisiveCheck(rec) ? caseStatus : done;
  return done;
}
