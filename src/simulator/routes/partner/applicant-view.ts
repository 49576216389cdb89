/**
 * Renders an applicant (and its application) as of a given simulated time, in the shapes of
 * certn-api.md §3.2, §3.3 and Appendix A. Rendering is pure: the same record and time always
 * give the same object.
 */
import { fill } from "../../assumptions/label.ts";
import {
  ADJUDICATION_NONE,
  APPLICANT_LINKS,
  APPLICANT_TYPE_INVITE,
  APPLICANT_TYPE_QUICK,
  CAN_UPGRADE_STATUSES,
  CHECK_RESULT_PENDING,
  CHECK_RESULT_RETURNED,
  CRIMINAL_RECORDS_KEY,
  PM_SCORES,
  REPORT_STATUS,
  RESULT,
  RESULT_LABELS,
} from "../../assumptions/partner-applications.ts";
import {
  CHECK_EXECUTION_ID,
  CHECK_EXECUTION_LATER,
  CHECK_EXECUTION_NAMES,
  CHECK_EXECUTION_WAITING,
} from "../../assumptions/partner-flags.ts";
import { isoTime } from "../../http.ts";
import { type Phase, phaseAt, submittedAt, timeline } from "../../lifecycle.ts";
import { deriveId } from "../../rng.ts";
import type { SimRuntime } from "../../runtime.ts";
import type { ApplicantRecord, JsonObject } from "../../state.ts";
import { isCheckExecutionFlag, KNOWN_REQUEST_FLAGS, RESULT_KEYS, resultKeysOf } from "./flags.ts";

const LABELS = RESULT_LABELS.value;
const R = RESULT.value;
const CRIMINAL_KEYS = new Set([
  "rcmp_result",
  "us_criminal_record_check_result",
  "international_criminal_record_check_result",
]);

/** The applicant's phases (creation, submission, results, upgrades) on the simulated timeline. */
export function phasesOf(rt: SimRuntime, rec: ApplicantRecord): Phase[] {
  return timeline(
    {
      mode: rec.mode,
      createdAt: rec.createdAt,
      scenario: rec.scenario,
      upgrades: rec.upgrades.map((u) => u.at),
    },
    rt.options.timings,
  );
}

/** The applicant's state now. */
export function currentPhase(rt: SimRuntime, rec: ApplicantRecord, at: number): Phase {
  return phaseAt(phasesOf(rt, rec), at);
}

/** Request flags in force at `at` (creation flags plus earlier upgrades). */
export function flagsAt(rec: ApplicantRecord, at: number): Set<string> {
  const flags = new Set(rec.flags);
  for (const upgrade of rec.upgrades) if (upgrade.at <= at) for (const f of upgrade.flags) flags.add(f);
  return flags;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function phoneNumber(rec: ApplicantRecord): JsonObject {
  return { phone_type: "NONE", number: rec.phoneNumber, country: rec.phoneNumber === null ? null : "CA" };
}

function links(rt: SimRuntime, rec: ApplicantRecord): { application_url: string; report_url: string } {
  const values = { app: rt.options.appUrl, kind: rec.kind, id: rec.id };
  return {
    application_url: fill(APPLICANT_LINKS.value.application, values),
    report_url: fill(APPLICANT_LINKS.value.report, values),
  };
}

/** The short applicant summary used inside invites and applications. */
export function applicantSummary(rt: SimRuntime, rec: ApplicantRecord, at: number): JsonObject {
  return {
    id: rec.id,
    status: currentPhase(rt, rec, at).status,
    first_name: text(rec.information.first_name),
    last_name: text(rec.information.last_name),
    email: rec.email,
    phone_number: phoneNumber(rec),
    ...links(rt, rec),
  };
}

function ownerView(rt: SimRuntime, ownerId: string): JsonObject {
  const user = rt.state.users.get(ownerId);
  const team = user ? rt.state.teams.get(user.team_id) : undefined;
  const allowed = new Set(rt.options.clients[0]?.allowedRequestFlags ?? []);
  const settings: JsonObject = {};
  for (const flag of KNOWN_REQUEST_FLAGS) settings[flag] = flag === "request_softcheck" && allowed.has(flag);
  return {
    id: ownerId,
    email: user?.email ?? null,
    team: team
      ? {
          id: team.id,
          name: team.name,
          country: team.country,
          industry: team.industry,
          team_type: team.team_type,
          app_url: rt.options.appUrl,
          settings_config: {
            ...settings,
            us_criminal_record_check_years: 7,
            org_name: team.name,
            org_logo_link: null,
            org_primary_color: null,
            whitelabel_report: false,
            hide_sin_ssn: false,
            hide_date_of_birth: false,
          },
          billing_plan: { name: "Simulated partner plan", pre_pay: team.pre_pay ?? false },
        }
      : null,
  };
}

/** All applicants of one application, in creation order. */
function siblings(rt: SimRuntime, rec: ApplicantRecord): ApplicantRecord[] {
  return [...rt.state.applicants.values()].filter((a) => a.applicationId === rec.applicationId);
}

function applicationView(rt: SimRuntime, rec: ApplicantRecord, at: number): JsonObject {
  const base = { id: rec.applicationId, created: isoTime(rec.createdAt), modified: isoTime(rec.createdAt) };
  const owner = ownerView(rt, rec.ownerId);
  if (rec.kind === "hr") {
    return { ...base, owner, applicant: applicantSummary(rt, rec, at), is_active: true, is_selected: false };
  }
  const all = siblings(rt, rec);
  const complete = all.every((a) => currentPhase(rt, a, at).status !== "Pending");
  return {
    ...base,
    owner,
    listing: null,
    property: null,
    status: complete ? "Complete" : "Incomplete",
    applicants: all.map((a) => applicantSummary(rt, a, at)),
    is_active: true,
    is_selected: false,
  };
}

function checkResult(
  rec: ApplicantRecord,
  key: string,
  phase: Phase,
  flagsWithKey: boolean,
): JsonObject | null {
  if (!flagsWithKey) return null;
  const index = RESULT_KEYS.indexOf(key);
  const returned = phase.status === "Returned";
  const criminal = CRIMINAL_KEYS.has(key);
  const RS = REPORT_STATUS.value;
  let result = R.none;
  let status: string = CHECK_RESULT_PENDING.value;
  if (phase.reportStatus === RS.actionRequired) status = RS.actionRequired;
  if (returned) {
    status = phase.reportStatus === RS.cancelled ? RS.cancelled : CHECK_RESULT_RETURNED.value;
    const anyCriminal = [...rec.flags, ...rec.upgrades.flatMap((u) => u.flags)].some((f) =>
      resultKeysOf(f).some((k) => CRIMINAL_KEYS.has(k)),
    );
    // With a criminal check in the order, a REVIEW comes from it: the other checks are clear.
    result = phase.result === R.review && !criminal && anyCriminal ? R.clear : phase.result;
  }
  const recordsFound = returned && result === R.review && criminal;
  const view: JsonObject = {
    id: deriveId(rec.id, 0x100 + index),
    status,
    status_label: LABELS[status] ?? status.charAt(0) + status.slice(1).toLowerCase().replaceAll("_", " "),
    overall_score: result,
    overall_score_label: LABELS[result] ?? result,
    result,
    result_label: LABELS[result] ?? result,
    red_flags: recordsFound ? ["Criminal record found"] : [],
    green_flags: returned && result === R.clear ? ["No records found"] : [],
  };
  if (criminal && returned) view[CRIMINAL_RECORDS_KEY.value] = recordsFound ? criminalRecords(rec) : [];
  if (phase.reportStatus === RS.inDispute && result === R.review) view.dispute = true;
  return view;
}

function criminalRecords(rec: ApplicantRecord): unknown[] {
  const given = rec.information.convictions;
  if (Array.isArray(given) && given.length > 0) return given;
  return [
    {
      offense: "334",
      description: "Theft under $5000 (simulated record)",
      date_of_sentence: "2015-06-01",
      court_location: "Victoria, BC, Canada",
    },
  ];
}

function pmScores(phase: Phase): JsonObject {
  const returned = phase.status === "Returned";
  const { fields, clear, review } = PM_SCORES.value;
  const scores = phase.result === R.review ? review : clear;
  const out: JsonObject = {
    certn_score: returned ? scores.certn_score : null,
    certn_score_label: returned ? scores.label : R.none,
  };
  for (const key of fields) {
    out[key] = returned ? scores.level : null;
    out[`${key}_label`] = returned ? scores.levelLabel : R.none;
  }
  return out;
}

/** The `check_executions[]` entries of the flags that report there (certn-api.md §5.3, §6.1). */
function checkExecutions(rec: ApplicantRecord, flags: ReadonlySet<string>, phase: Phase): JsonObject[] {
  const { prefix, length, alphabet } = CHECK_EXECUTION_ID.value;
  const status =
    phase.status === "Returned"
      ? CHECK_EXECUTION_LATER.value.returned
      : phase.status === "Pending"
        ? CHECK_EXECUTION_WAITING.value
        : CHECK_EXECUTION_LATER.value.analyzing;
  return [...flags].filter(isCheckExecutionFlag).map((flag) => {
    // A stable id: the applicant id and the flag, spelled in the documented id's alphabet.
    const seed = `${rec.id}:${flag}`;
    let id = "";
    for (let i = 0; i < length; i++) {
      const code = seed.charCodeAt(i) + seed.charCodeAt(seed.length - 1 - i) * 31 + i;
      id += alphabet[code % alphabet.length];
    }
    const name = CHECK_EXECUTION_NAMES.value[flag] ?? flag.replace(/^request_/, "");
    return { id: `${prefix}${id}`, check_name: name, status };
  });
}

/** The full applicant object as of `at` (retrieve, list items, quick-screen response, webhooks). */
export function renderApplicant(rt: SimRuntime, rec: ApplicantRecord, at: number): JsonObject {
  const phases = phasesOf(rt, rec).filter((p, i) => i === 0 || p.at <= at);
  const phase = phaseAt(phases, at);
  const submitted = submittedAt(phases, at);
  const flags = flagsAt(rec, at);
  const modified = isoTime(Math.max(rec.createdAt, phase.at));
  const requestFlags: JsonObject = {};
  for (const flag of KNOWN_REQUEST_FLAGS) requestFlags[flag] = flags.has(flag);
  const results: JsonObject = {};
  for (const key of RESULT_KEYS) {
    const requested = [...flags].some((f) => resultKeysOf(f).includes(key));
    results[key] = checkResult(rec, key, phase, requested);
  }
  const scores = rec.kind === "pm" ? pmScores(phase) : { certn_score: null, certn_score_label: R.none };
  return {
    id: rec.id,
    created: isoTime(rec.createdAt),
    modified,
    last_updated: modified,
    submitted_time: submitted === undefined ? null : isoTime(submitted),
    tag: rec.tag,
    is_submitted: submitted !== undefined,
    applicant_type: rec.mode === "quick" ? APPLICANT_TYPE_QUICK.value : APPLICANT_TYPE_INVITE.value,
    status: phase.status,
    status_label: phase.status,
    report_status: phase.reportStatus,
    result: phase.result,
    result_label: LABELS[phase.result] ?? phase.result,
    ...scores,
    country: typeof rec.information.country === "string" ? rec.information.country : "CA",
    email: rec.email,
    phone_number: phoneNumber(rec),
    ...requestFlags,
    ...rec.extra,
    applicant_account: { id: deriveId(rec.id, 1), email: rec.email },
    application: applicationView(rt, rec, at),
    information: rec.information,
    report_summary: {
      report_status: phase.reportStatus,
      report_result: phase.result,
      rcmp_result: results.rcmp_result ?? null,
      equifax_result: results.equifax_result ?? null,
    },
    ...results,
    check_executions: checkExecutions(rec, flags, phase),
    adjudication_status: ADJUDICATION_NONE.value,
    adjudication_status_label: LABELS[ADJUDICATION_NONE.value] ?? ADJUDICATION_NONE.value,
    activity_log: phases.map((p, i) => ({
      id: deriveId(rec.id, 0x200 + i),
      created: isoTime(p.at),
      status: p.reportStatus,
      status_label: p.reportStatus.charAt(0) + p.reportStatus.slice(1).toLowerCase().replaceAll("_", " "),
      date_label: new Date(p.at).toISOString().slice(0, 10),
      time_label: new Date(p.at).toISOString().slice(11, 16),
    })),
    can_upgrade: CAN_UPGRADE_STATUSES.value.includes(phase.status),
    onboarding_link: rec.mode === "invite" ? links(rt, rec).application_url : null,
    comments: [],
    notes: null,
  };
}

/** The 201 body of an invite: application id on top, the applicant(s) nested (§3.2, §3.3, §7 #9). */
export function renderInvite(rt: SimRuntime, recs: readonly ApplicantRecord[], at: number): JsonObject {
  const first = recs[0];
  if (first === undefined) throw new Error("renderInvite: an invite has at least one applicant");
  const base = {
    id: first.applicationId,
    created: isoTime(first.createdAt),
    modified: isoTime(first.createdAt),
  };
  const summary = (rec: ApplicantRecord): JsonObject => {
    const { application_url: _a, report_url: _r, ...rest } = applicantSummary(rt, rec, at);
    return rest;
  };
  if (first.kind === "hr") return { ...base, applicant: summary(first) };
  return {
    ...base,
    owner: ownerView(rt, first.ownerId),
    listing: null,
    property: null,
    status: "Incomplete",
    is_active: true,
    is_selected: false,
    applicants: recs.map(summary),
  };
}
