/** CertnCentric data: groups, users, packages, tags, cases and report files. */
import { deriveId, type SeededRandom } from "../../rng.ts";

/** A group (replaces teams and superteams, certncentric-api.md §4.5). */
export interface CentricGroup {
  id: string;
  short_id: string;
  parent_id: string | null;
  name: string;
  is_active: boolean;
}

/** A user of the account. */
export interface CentricUser {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  is_active: boolean;
  role: string;
  group: string;
}

/** A saved package of checks. */
export interface CentricPackage {
  id: string;
  name: string;
  is_active: boolean;
  permissible_purposes: string[];
  check_types_with_arguments: Record<string, unknown>;
}

/** A tag. */
export interface CentricTag {
  id: string;
  name: string;
  is_active: boolean;
}

/** How a case was ordered (certncentric-api.md §3.3). */
export type OrderMode = "invite_email" | "invite_link" | "quickscreen";

/** A case as stored. */
export interface CaseRecord {
  id: string;
  shortId: string;
  createdAt: number;
  emailAddress: string;
  mode: OrderMode;
  inviteToken: string | null;
  checkTypes: Record<string, unknown>;
  checkIds: Record<string, string>;
  inputClaims: Record<string, unknown> | null;
  group: string | null;
  orderedBy: string | null;
  packageId: string | null;
  tags: string[];
  permissiblePurpose: string | null;
  scenario: CentricScenario;
  cancelledAt: number | null;
}

/** A requested report file. */
export interface ReportFileRecord {
  id: string;
  caseId: string;
  createdAt: number;
  language: string;
  failed: boolean;
}

/** Outcomes that inputs select (documented in docs/simulator.md). */
export type CentricScenario =
  | "clear"
  | "review"
  | "reject"
  | "restricted"
  | "cancelled"
  | "expired"
  | "undeliverable"
  | "client_action"
  | "applicant_action"
  | "dispute"
  | "slow"
  | "report_failed";

/** One event of the log (`GET /api/public/events/`) and of the webhooks (certncentric-api.md §5.2). */
export interface CentricEvent {
  id: string;
  at: number;
  eventType: string;
  caseId: string;
  caseStatus: string;
}

/** A questionnaire (certncentric-api.md §3.1: path only). */
export interface CentricQuestionnaire {
  id: string;
  name: string;
  is_active: boolean;
  created: number;
}

/** All CertnCentric state of one simulator. */
export interface CentricState {
  groups: Map<string, CentricGroup>;
  users: Map<string, CentricUser>;
  packages: Map<string, CentricPackage>;
  tags: Map<string, CentricTag>;
  cases: Map<string, CaseRecord>;
  reportFiles: Map<string, ReportFileRecord>;
  questionnaires: Map<string, CentricQuestionnaire>;
  /** Every event that has happened, in the order it happened (append-only). */
  eventLog: CentricEvent[];
  /** Ids in `eventLog`. */
  loggedEventIds: Set<string>;
  /** How many log entries went to the webhook queue. */
  eventsQueued: number;
  /** Signs report download links. */
  linkSecret: string;
}

const SHORT = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** A short id like `CG_CA_QA2B6GDX525G` (certncentric-api.md §3.8). */
export function shortId(rng: SeededRandom, prefix: string): string {
  return `${prefix}_CA_${rng.string(12, SHORT)}`;
}

/** Seeds three groups, three users, two packages, three tags and three questionnaires. */
export function seedCentric(rng: SeededRandom, now: number): CentricState {
  const groups = new Map<string, CentricGroup>();
  const root = rng.uuid();
  groups.set(root, {
    id: root,
    short_id: shortId(rng, "CG"),
    parent_id: null,
    name: "Simulated Company - HR",
    is_active: true,
  });
  for (const name of ["Simulated Company - Drivers", "Simulated Company - Contractors"]) {
    const id = rng.uuid();
    groups.set(id, {
      id,
      short_id: shortId(rng, "CG"),
      parent_id: root,
      name,
      is_active: name.endsWith("Drivers"),
    });
  }
  const users = new Map<string, CentricUser>();
  for (const [email, first, last, role] of [
    ["admin@example.com", "Avery", "Admin", "ADMIN"],
    ["hr@example.com", "Harper", "Hiring", "MEMBER"],
    ["former@example.com", "Frankie", "Former", "MEMBER"],
  ] as const) {
    const id = rng.uuid();
    users.set(id, {
      id,
      email,
      first_name: first,
      last_name: last,
      is_active: email !== "former@example.com",
      role,
      group: root,
    });
  }
  const packages = new Map<string, CentricPackage>();
  for (const [name, checks] of [
    ["Identity only", { IDENTITY_VERIFICATION_1: {} }],
    [
      "Identity and criminal",
      {
        IDENTITY_VERIFICATION_1: {},
        CRIMINAL_RECORD_REPORT_1: {
          ordering_type: "EXPLICIT_ORDERING",
          explicit_check_type: ["BASIC_CANADIAN_CRIMINAL_RECORD_REPORT_1"],
        },
      },
    ],
  ] as const) {
    const id = rng.uuid();
    packages.set(id, {
      id,
      name,
      is_active: true,
      permissible_purposes: ["EMPLOYMENT"],
      check_types_with_arguments: checks,
    });
  }
  // Ids derived from the root group's, not drawn: every id drawn after them keeps its value.
  const questionnaires = new Map<string, CentricQuestionnaire>();
  (
    [
      ["Employment reference", true],
      ["Driver onboarding", true],
      ["Legacy screening questions", false],
    ] as const
  ).forEach(([name, active], i) => {
    const id = deriveId(root, 0x500 + i);
    questionnaires.set(id, { id, name, is_active: active, created: now });
  });
  const tags = new Map<string, CentricTag>();
  for (const name of ["urgent", "contractor", "archived-tag"]) {
    const id = rng.uuid();
    tags.set(id, { id, name, is_active: name !== "archived-tag" });
  }
  return {
    groups,
    users,
    packages,
    tags,
    cases: new Map(),
    reportFiles: new Map(),
    questionnaires,
    eventLog: [],
    loggedEventIds: new Set(),
    eventsQueued: 0,
    linkSecret: rng.string(32, SHORT),
  };
}
