/**
 * Renders an applicant (and its application) as of a given simulated time, in the shapes of
 * certn-api.md §3.2, §3.3 and Appendix A. Rendering is pure: the same record and time always
 * give the same object.
 */
import {
  APPLICANT_TYPE,
  CHECK_STATUS,
  KNOWN_REQUEST_FLAGS,
  RESULT_KEY_BY_FLAG,
  RESULT_KEYS,
} from "../../assumptions/partner.ts";
import { isoTime } from "../../http.ts";
import { type Phase, phaseAt, submittedAt, timeline } from "../../lifecycle.ts";
import { deriveId } from "../../rng.ts";
import type { SimRuntime } from "../../runtime.ts";
import type { ApplicantRecord, JsonObject } from "../../state.ts";

const LABELS: Readonly<Record<string, string>> = {
  NONE: "None",
  CLEAR: "Clear",
  REVIEW: "Review",
  NOT_APPLICABLE: "Not Applicable",
};
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
  const app = rt.options.appUrl;
  return {
    application_url: `${app}welcome/${rec.id}/`,
    report_url: `${app}${rec.kind}/applications/${rec.id}/`,
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
  let result = "NONE";
  let status: string = CHECK_STATUS.pending;
  if (phase.reportStatus === "ACTION_REQUIRED") status = "ACTION_REQUIRED";
  if (returned) {
    status = phase.reportStatus === "CANCELLED" ? "CANCELLED" : CHECK_STATUS.returned;
    const anyCriminal = [...rec.flags, ...rec.upgrades.flatMap((u) => u.flags)].some((f) =>
      CRIMINAL_KEYS.has(RESULT_KEY_BY_FLAG[f] ?? ""),
    );
    result = phase.result === "REVIEW" && !criminal && anyCriminal ? "CLEAR" : phase.result;
  }
  const recordsFound = returned && result === "REVIEW" && criminal;
  const view: JsonObject = {
    id: deriveId(rec.id, 0x100 + index),
    status,
    status_label:
      status === "NONE" ? "None" : status.charAt(0) + status.slice(1).toLowerCase().replaceAll("_", " "),
    overall_score: result,
    overall_score_label: LABELS[result] ?? result,
    result,
    result_label: LABELS[result] ?? result,
    red_flags: recordsFound ? ["Criminal record found"] : [],
    green_flags: returned && result === "CLEAR" ? ["No records found"] : [],
  };
  if (criminal && returned) view.records = recordsFound ? criminalRecords(rec) : [];
  if (phase.reportStatus === "IN_DISPUTE" && result === "REVIEW") view.dispute = true;
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
  const score = (clear: string, review: string): string =>
    !returned ? "NONE" : phase.result === "REVIEW" ? review : clear;
  const out: JsonObject = {
    certn_score: returned ? (phase.result === "REVIEW" ? 45 : 85) : null,
    certn_score_label: score("PASS", "WARN"),
  };
  for (const key of ["late_rent_potential", "damage_to_property", "eviction_potential", "tenancy_length"]) {
    out[key] = returned ? score("LOW", "MEDIUM") : null;
    out[`${key}_label`] = score("Low", "Medium");
  }
  return out;
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
    const requested = [...flags].some((f) => RESULT_KEY_BY_FLAG[f] === key);
    results[key] = checkResult(rec, key, phase, requested);
  }
  const scores = rec.kind === "pm" ? pmScores(phase) : { certn_score: null, certn_score_label: "NONE" };
  return {
    id: rec.id,
    created: isoTime(rec.createdAt),
    modified,
    last_updated: modified,
    submitted_time: submitted === undefined ? null : isoTime(submitted),
    tag: rec.tag,
    is_submitted: submitted !== undefined,
    applicant_type: APPLICANT_TYPE[rec.mode],
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
    check_executions: [],
    adjudication_status: "NONE",
    adjudication_status_label: "None",
    activity_log: phases.map((p, i) => ({
      id: deriveId(rec.id, 0x200 + i),
      created: isoTime(p.at),
      status: p.reportStatus,
      status_label: p.reportStatus.charAt(0) + p.reportStatus.slice(1).toLowerCase().replaceAll("_", " "),
      date_label: new Date(p.at).toISOString().slice(0, 10),
      time_label: new Date(p.at).toISOString().slice(11, 16),
    })),
    can_upgrade: phase.status !== "Pending",
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
