/** Superteams, teams, users and packages (certn-api.md §3.1). */
import {
  PACKAGES_PATH,
  SUPERTEAM_COUNTRIES,
  SUPERTEAM_CREATE,
  TEAM_REQUIRED_FIELDS,
  USER_FIELDS,
} from "../../assumptions/partner-resources.ts";
import { isoTime, json } from "../../http.ts";
import { type AuthedContext, type RouteDef, route } from "../../runtime.ts";
import { type JsonObject, newTeam } from "../../state.ts";
import { bool, choice, type FieldSpec, object, optional, required, str, uuid } from "../../validate.ts";
import { notFound, paginated, parseBody } from "./respond.ts";

const superteamShape = object({
  name: required(str()),
  street_address: required(str()),
  city: required(str()),
  province_state: required(str()),
  other_province_state: optional(str({ allowBlank: true })),
  country: required(choice(SUPERTEAM_COUNTRIES.value)),
  postal_code: required(str()),
  is_secure_sms_enabled: required(bool()),
  // Probably accepted too (SUPERTEAM_CREATE: §3.1 lists it in the detail, not in the create body).
  is_report_id_enabled: optional(bool(), false),
});

const teamFields: Record<string, FieldSpec> = {
  name: optional(str(), false),
  superteam: optional(uuid(), false),
  superteam_id: optional(uuid(), false),
  business_number: optional(str({ allowBlank: true }), false),
  accounting_first_name: optional(str({ allowBlank: true }), false),
  accounting_last_name: optional(str({ allowBlank: true }), false),
  accounting_email: optional(str({ allowBlank: true }), false),
  team_first_name: optional(str({ allowBlank: true }), false),
  team_last_name: optional(str({ allowBlank: true }), false),
  team_email: optional(str({ allowBlank: true }), false),
  team_phone_number: optional(str({ allowBlank: true }), false),
  street_address: optional(str({ allowBlank: true }), false),
  city: optional(str({ allowBlank: true }), false),
  province_state: optional(str({ allowBlank: true }), false),
  country: optional(choice(SUPERTEAM_COUNTRIES.value), false),
  postal_code: optional(str({ allowBlank: true }), false),
  website: optional(str({ allowBlank: true }), false),
  industry: optional(str({ allowBlank: true }), false),
  internal_name: optional(str({ allowBlank: true }), false),
  team_type: optional(choice(["HR", "PM", "OT"]), false),
  pre_pay: optional(bool(), false),
};
// The required list was not captured (§3.1): TEAM_REQUIRED_FIELDS names the simulator's.
for (const name of TEAM_REQUIRED_FIELDS.value) {
  const spec = teamFields[name];
  if (spec !== undefined) teamFields[name] = { ...spec, required: true };
}
const teamShape = object(teamFields);

async function saveSuperteam(ctx: AuthedContext, existingId: string | undefined): Promise<Response> {
  const parsed = await parseBody(ctx, superteamShape);
  if (!parsed.ok) return parsed.response;
  const fields = parsed.value;
  if (fields.province_state === "OT" && !fields.other_province_state) {
    return json({ other_province_state: ["This field is required."] }, 400);
  }
  const id = existingId ?? ctx.rt.rng.uuid();
  const superteam: JsonObject = {
    id,
    name: fields.name,
    is_secure_sms_enabled: fields.is_secure_sms_enabled,
    is_report_id_enabled: fields.is_report_id_enabled ?? false,
    street_address: fields.street_address,
    city: fields.city,
    postal_code: fields.postal_code,
    province_state: fields.province_state,
    other_province_state: fields.province_state === "OT" ? (fields.other_province_state ?? null) : null,
    country: fields.country,
  };
  ctx.rt.state.superteams.set(id, superteam);
  return json(superteam, existingId === undefined ? SUPERTEAM_CREATE.value.status : 200);
}

async function saveTeam(ctx: AuthedContext, existing: JsonObject | undefined): Promise<Response> {
  const parsed = await parseBody(ctx, teamShape);
  if (!parsed.ok) return parsed.response;
  const { superteam, superteam_id, ...fields } = parsed.value;
  const superteamRef =
    superteam ?? superteam_id ?? existing?.superteam ?? [...ctx.rt.state.superteams.keys()][0];
  if (typeof superteamRef !== "string" || !ctx.rt.state.superteams.has(superteamRef)) {
    return json({ superteam: [`Invalid pk "${String(superteamRef)}" - object does not exist.`] }, 400);
  }
  const id = typeof existing?.id === "string" ? existing.id : ctx.rt.rng.uuid();
  const team = newTeam(id, superteamRef, { ...(existing ?? {}), ...fields });
  ctx.rt.state.teams.set(id, team);
  return json(teamView(ctx, team), existing === undefined ? 201 : 200);
}

/** A team with its computed `active_user_count`. */
export function teamView(ctx: { rt: AuthedContext["rt"] }, team: JsonObject): JsonObject {
  const users = [...ctx.rt.state.users.values()].filter((u) => u.team_id === team.id && u.is_active);
  return { ...team, active_user_count: users.length };
}

function listSuperteams(ctx: AuthedContext): Response {
  // The list shows `{id, name}` items (§3.1 [DOC] example); the detail has every field.
  return paginated(ctx, [...ctx.rt.state.superteams.values()], (s) => ({ id: s.id, name: s.name }));
}

function getSuperteam(ctx: AuthedContext): Response {
  const superteam = ctx.rt.state.superteams.get(ctx.params.id ?? "");
  return superteam ? json(superteam) : notFound();
}

function listTeams(ctx: AuthedContext): Response {
  return paginated(ctx, [...ctx.rt.state.teams.values()], (t) => teamView(ctx, t));
}

function getTeam(ctx: AuthedContext): Response {
  const team = ctx.rt.state.teams.get(ctx.params.id ?? "");
  return team ? json(teamView(ctx, team)) : notFound();
}

function listUsers(ctx: AuthedContext): Response {
  // User fields beyond `id` are not documented (USER_FIELDS: the simulator's).
  return paginated(ctx, [...ctx.rt.state.users.values()], (u) => {
    const all: JsonObject = {
      id: u.id,
      email: u.email,
      first_name: u.first_name,
      last_name: u.last_name,
      is_active: u.is_active,
      created: isoTime(u.created),
      team: { id: u.team_id, name: ctx.rt.state.teams.get(u.team_id)?.name ?? null },
    };
    return Object.fromEntries(USER_FIELDS.value.map((key) => [key, all[key]]));
  });
}

function listPackages(ctx: AuthedContext): Response {
  // The packages path is second-hand and the shape the simulator's (PACKAGES_PATH).
  return paginated(ctx, [...ctx.rt.state.packages.values()], (p) => ({
    id: p.id,
    name: p.name,
    description: p.description,
    created: isoTime(p.created),
    request_flags: p.request_flags,
  }));
}

/** The general resources, with the gen B1 team aliases under /api/v2/ (§3.1). */
export const generalRoutes: RouteDef[] = [
  route.partner("GET", "/api/v1/superteams/", listSuperteams),
  route.partner("POST", "/api/v1/superteams/", (ctx) => saveSuperteam(ctx, undefined)),
  route.partner("GET", "/api/v1/superteams/:id/", getSuperteam),
  route.partner("PUT", "/api/v1/superteams/:id/", (ctx) => {
    const id = ctx.params.id ?? "";
    return ctx.rt.state.superteams.has(id) ? saveSuperteam(ctx, id) : notFound();
  }),
  route.partner("GET", "/api/v1/teams/", listTeams),
  route.partner("POST", "/api/v1/teams/", (ctx) => saveTeam(ctx, undefined)),
  route.partner("GET", "/api/v1/teams/:id/", getTeam),
  route.partner("PUT", "/api/v1/teams/:id/", (ctx) => {
    const existing = ctx.rt.state.teams.get(ctx.params.id ?? "");
    return existing ? saveTeam(ctx, existing) : notFound();
  }),
  route.partner("GET", "/api/v1/users/", listUsers),
  route.partner("GET", PACKAGES_PATH.value, listPackages),
  route.partner("GET", "/api/v2/teams/", listTeams),
  route.partner("GET", "/api/v2/teams/:id/", getTeam),
];
