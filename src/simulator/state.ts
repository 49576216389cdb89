/** The simulator's in-memory state: one instance per simulator, nothing shared between them. */
import type { Scenario } from "./lifecycle.ts";
import type { SeededRandom } from "./rng.ts";
import { type CentricState, seedCentric } from "./routes/centric/state.ts";

/** A JSON object as stored and served. */
export type JsonObject = { [key: string]: unknown };

/** A user of the simulated account; `id` is what goes into `owner_id`. */
export interface UserRecord {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  is_active: boolean;
  team_id: string;
  created: number;
}

/** A package (a saved set of request flags). */
export interface PackageRecord {
  id: string;
  name: string;
  description: string;
  created: number;
  request_flags: string[];
}

/** An issued OAuth access token. */
export interface AccessTokenRecord {
  token: string;
  clientId: string;
  issuedAt: number;
  expiresAt: number;
}

/** A gen A session token (certn-api.md §2.3); `expiresAt` null never expires. */
export interface SessionRecord {
  token: string;
  userId: string;
  createdAt: number;
  expiresAt: number | null;
}

/** A classic PM property or listing (certn-api.md §3.3), as stored. */
export interface RentalRecord {
  id: string;
  ownerId: string;
  createdAt: number;
  fields: JsonObject;
}

/** One accepted upgrade: when and which flags it added. */
export interface UpgradeRecord {
  at: number;
  flags: string[];
}

/** One applicant (the retrievable object) and the application it belongs to. */
export interface ApplicantRecord {
  id: string;
  applicationId: string;
  kind: "hr" | "pm";
  mode: "invite" | "quick";
  createdAt: number;
  ownerId: string;
  email: string | null;
  phoneNumber: string | null;
  tag: string | null;
  information: JsonObject;
  /** Flags requested at creation. */
  flags: string[];
  /** Other accepted body fields (check settings, position_or_property_location...). */
  extra: JsonObject;
  scenario: Scenario;
  upgrades: UpgradeRecord[];
  /** Keys of phases already announced by webhook. */
  announced: Set<string>;
}

/** All simulated data of one simulator instance. */
export interface SimState {
  superteams: Map<string, JsonObject>;
  teams: Map<string, JsonObject>;
  users: Map<string, UserRecord>;
  packages: Map<string, PackageRecord>;
  applicants: Map<string, ApplicantRecord>;
  tokens: Map<string, AccessTokenRecord>;
  sessions: Map<string, SessionRecord>;
  properties: Map<string, RentalRecord>;
  listings: Map<string, RentalRecord>;
  ownerId: string;
  ownerTeamId: string;
  centric: CentricState;
}

const SEED_TEAMS: readonly { name: string; team_type: string; city: string; province_state: string }[] = [
  { name: "Simulated HR Team", team_type: "HR", city: "Victoria", province_state: "BC" },
  { name: "Simulated Property Team", team_type: "PM", city: "Vancouver", province_state: "BC" },
  { name: "Simulated Operations", team_type: "OT", city: "Calgary", province_state: "AB" },
  { name: "Simulated HR West", team_type: "HR", city: "Kelowna", province_state: "BC" },
  { name: "Simulated HR East", team_type: "HR", city: "Toronto", province_state: "ON" },
];

/** A team object with every field the reference lists (§3.1 [DOC]); `pre_pay` and `superteam` are [INF]. */
export function newTeam(id: string, superteamId: string, fields: JsonObject): JsonObject {
  const name = typeof fields.name === "string" ? fields.name : "";
  return {
    id,
    name,
    business_number: "",
    accounting_first_name: "",
    accounting_last_name: "",
    accounting_email: "",
    team_first_name: "",
    team_last_name: "",
    team_email: "",
    team_phone_number: "",
    street_address: "",
    city: "",
    province_state: "",
    country: "CA",
    postal_code: "",
    website: "",
    industry: "",
    internal_name: name,
    team_type: "HR",
    pre_pay: false,
    ...fields,
    superteam: superteamId,
  };
}

/** Builds the seed data: one superteam, five teams, three users (the first is the owner), three packages. */
export function seedState(rng: SeededRandom, now: number): SimState {
  const superteamId = rng.uuid();
  const superteams = new Map<string, JsonObject>([
    [
      superteamId,
      {
        id: superteamId,
        name: "Simulated Partner Superteam",
        is_secure_sms_enabled: false,
        is_report_id_enabled: true,
        street_address: "123 4 Main Street",
        city: "Victoria",
        postal_code: "V8A1B2",
        province_state: "BC",
        other_province_state: null,
        country: "CA",
      },
    ],
  ]);
  const teams = new Map<string, JsonObject>();
  for (const seed of SEED_TEAMS) {
    const id = rng.uuid();
    teams.set(
      id,
      newTeam(id, superteamId, {
        ...seed,
        team_email: `${seed.name.toLowerCase().replaceAll(" ", ".")}@example.com`,
        street_address: "100 Government Street",
        postal_code: "V8W1A1",
        industry: seed.team_type === "PM" ? "Property Management" : "Technology",
      }),
    );
  }
  const teamIds = [...teams.keys()];
  const ownerTeamId = teamIds[0] ?? superteamId;
  const users = new Map<string, UserRecord>();
  const people = [
    ["owner@example.com", "Olivia", "Owner", ownerTeamId],
    ["recruiter@example.com", "Riley", "Recruiter", ownerTeamId],
    ["manager@example.com", "Morgan", "Manager", teamIds[1] ?? ownerTeamId],
  ] as const;
  for (const [email, first, last, team] of people) {
    const id = rng.uuid();
    users.set(id, {
      id,
      email,
      first_name: first,
      last_name: last,
      is_active: true,
      team_id: team,
      created: now,
    });
  }
  const packages = new Map<string, PackageRecord>();
  const packageSeeds = [
    ["Basic", "Identity and softcheck", ["request_identity_verification", "request_softcheck"]],
    [
      "Standard",
      "Basic plus criminal record check",
      ["request_identity_verification", "request_softcheck", "request_criminal_record_check"],
    ],
    ["Tenant", "Credit and softcheck for rentals", ["request_equifax", "request_softcheck"]],
  ] as const;
  for (const [name, description, flags] of packageSeeds) {
    const id = rng.uuid();
    packages.set(id, { id, name, description, created: now, request_flags: [...flags] });
  }
  return {
    superteams,
    teams,
    users,
    packages,
    applicants: new Map(),
    tokens: new Map(),
    sessions: new Map(),
    properties: new Map(),
    listings: new Map(),
    ownerId: [...users.keys()][0] ?? "",
    ownerTeamId,
    centric: seedCentric(rng, now),
  };
}
