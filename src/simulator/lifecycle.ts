/**
 * Screening progress as a pure function of creation time, upgrades and the simulated clock
 * (certn-api.md §5.1). Nothing here runs on a timer: a status is computed whenever asked for.
 */
import {
  ANALYSIS_MS,
  INVITE_EXPIRY_MS,
  REPORT_STATUS,
  RESULT,
  SLOW_ANALYSIS_MS,
  SUBMIT_MS,
} from "./assumptions/partner-applications.ts";

/** Applicant `status` values (§5.1 [DOC]/[CODE]). */
export type ApplicantStatus = "Pending" | "Analyzing" | "Returned";

/** One state of an applicant from time `at` on. Enum strings per certn-api.md §7 #8 [INF]. */
export interface Phase {
  at: number;
  status: ApplicantStatus;
  reportStatus: string;
  result: string;
}

/** Outcomes that inputs select deterministically (documented in docs/simulator.md). */
export type Scenario =
  | "clear"
  | "records_found"
  | "in_dispute"
  | "cancelled"
  | "action_required"
  | "slow"
  | "unresponsive";

/** Simulated durations of each stage, in ms. */
export interface ProgressTimings {
  /** Invite: time from the invite until the applicant submits. Default 10 s. */
  submitMs: number;
  /** Time from submission (or a quick screen, or an upgrade) until results. Default 5 s. */
  analysisMs: number;
  /** Analysis time of the "Slow" scenario. Default 300 s (the slowest the docs mention). */
  slowAnalysisMs: number;
  /** Invite: time after which an applicant who never submits becomes UNRESPONSIVE. Default 7 days. */
  inviteExpiryMs: number;
}

/** The defaults of `ProgressTimings`. */
export const DEFAULT_TIMINGS: ProgressTimings = {
  submitMs: SUBMIT_MS.value,
  analysisMs: ANALYSIS_MS.value,
  slowAnalysisMs: SLOW_ANALYSIS_MS.value,
  inviteExpiryMs: INVITE_EXPIRY_MS.value,
};

const RS = REPORT_STATUS.value;
const R = RESULT.value;

/** Keyword (in `information.last_name`, or a part of the e-mail's local part) → scenario. */
export const SCENARIO_KEYWORDS: Readonly<Record<string, Scenario>> = {
  recordsfound: "records_found",
  dispute: "in_dispute",
  cancelled: "cancelled",
  actionrequired: "action_required",
  error: "action_required",
  slow: "slow",
  unresponsive: "unresponsive",
};

/**
 * Picks the scenario of a new applicant: the last name wins, then the e-mail's local part or any
 * of its `+` tags (`jane+recordsfound@example.com`). `unresponsive` only applies to invites.
 */
export function scenarioFor(
  input: { lastName?: unknown; email?: unknown },
  mode: "invite" | "quick",
): Scenario {
  const candidates: string[] = [];
  if (typeof input.lastName === "string") candidates.push(input.lastName.trim().toLowerCase());
  if (typeof input.email === "string") {
    const local = input.email.split("@")[0] ?? "";
    candidates.push(...local.toLowerCase().split("+"));
  }
  for (const candidate of candidates) {
    const scenario = SCENARIO_KEYWORDS[candidate];
    if (scenario === undefined) continue;
    if (scenario === "unresponsive" && mode === "quick") continue;
    return scenario;
  }
  return "clear";
}

/** What the timeline of one applicant depends on. */
export interface LifecycleInput {
  mode: "invite" | "quick";
  createdAt: number;
  scenario: Scenario;
  /** Times of accepted upgrades, ascending. */
  upgrades: readonly number[];
}

function finalPhase(at: number, scenario: Scenario): Phase {
  switch (scenario) {
    case "records_found":
      return { at, status: "Returned", reportStatus: RS.complete, result: R.review };
    case "in_dispute":
      return { at, status: "Returned", reportStatus: RS.inDispute, result: R.review };
    case "cancelled":
      return { at, status: "Returned", reportStatus: RS.cancelled, result: R.notApplicable };
    case "action_required":
      return { at, status: "Analyzing", reportStatus: RS.actionRequired, result: R.none };
    default:
      return { at, status: "Returned", reportStatus: RS.complete, result: R.clear };
  }
}

/** Every phase of an applicant, in time order (the first is its state at creation). */
export function timeline(input: LifecycleInput, timings: ProgressTimings): Phase[] {
  const analysis = input.scenario === "slow" ? timings.slowAnalysisMs : timings.analysisMs;
  const c = input.createdAt;
  let phases: Phase[];
  if (input.mode === "quick") {
    phases = [
      { at: c, status: "Analyzing", reportStatus: RS.inProgress, result: R.none },
      finalPhase(c + analysis, input.scenario),
    ];
  } else if (input.scenario === "unresponsive") {
    phases = [
      { at: c, status: "Pending", reportStatus: RS.waiting, result: R.none },
      { at: c + timings.inviteExpiryMs, status: "Pending", reportStatus: RS.unresponsive, result: R.none },
    ];
  } else {
    const submitted = c + timings.submitMs;
    phases = [
      { at: c, status: "Pending", reportStatus: RS.waiting, result: R.none },
      { at: submitted, status: "Analyzing", reportStatus: RS.inProgress, result: R.none },
      finalPhase(submitted + analysis, input.scenario),
    ];
  }
  // An upgrade sends the applicant back into analysis for the new checks (§5.1 [DOC]).
  for (const u of input.upgrades) {
    phases = phases.filter((p) => p.at <= u);
    phases.push({ at: u, status: "Analyzing", reportStatus: RS.inProgress, result: R.none });
    phases.push(finalPhase(u + analysis, input.scenario));
  }
  return phases;
}

/** The phase in force at time `t` (the first phase for times before creation). */
export function phaseAt(phases: readonly Phase[], t: number): Phase {
  let current = phases[0];
  if (current === undefined) throw new Error("phaseAt: an applicant always has at least one phase");
  for (const phase of phases) {
    if (phase.at <= t) current = phase;
  }
  return current;
}

/** When the applicant submitted (entered analysis for the first time), if by time `t`. */
export function submittedAt(phases: readonly Phase[], t: number): number | undefined {
  return phases.find((p) => p.status !== "Pending" && p.at <= t)?.at;
}
