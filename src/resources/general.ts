/** General partner resources: superteams, teams and users (`/api/v1/...`). */
import { type CallOptions, type ResourceContext, segment } from "./context.ts";
import { type ListResource, listResource } from "./pagination.ts";
import type { Superteam, SuperteamInput, SuperteamSummary, Team, TeamInput, User } from "./types.ts";

/** `client.superteams`. */
export interface SuperteamsResource extends ListResource<SuperteamSummary> {
  get(id: string, options?: CallOptions): Promise<Superteam>;
  create(body: SuperteamInput, options?: CallOptions): Promise<Superteam>;
  update(id: string, body: SuperteamInput, options?: CallOptions): Promise<Superteam>;
}

/** `client.teams`. */
export interface TeamsResource extends ListResource<Team> {
  get(id: string, options?: CallOptions): Promise<Team>;
  create(body: TeamInput, options?: CallOptions): Promise<Team>;
  update(id: string, body: TeamInput, options?: CallOptions): Promise<Team>;
}

/** `client.users`. */
export type UsersResource = ListResource<User>;

/** Builds `client.superteams`. */
export function createSuperteams(ctx: ResourceContext): SuperteamsResource {
  const base = "/api/v1/superteams/";
  return {
    ...listResource<SuperteamSummary>(ctx, base),
    get: async (id, options) => ctx.request<Superteam>("GET", `${base}${segment(id)}/`, { ...options }),
    create: async (body, options) => ctx.request<Superteam>("POST", base, { ...options, json: body }),
    update: async (id, body, options) =>
      ctx.request<Superteam>("PUT", `${base}${segment(id)}/`, { ...options, json: body }),
  };
}

/** Builds `client.teams`. */
export function createTeams(ctx: ResourceContext): TeamsResource {
  const base = "/api/v1/teams/";
  return {
    ...listResource<Team>(ctx, base),
    get: async (id, options) => ctx.request<Team>("GET", `${base}${segment(id)}/`, { ...options }),
    create: async (body, options) => ctx.request<Team>("POST", base, { ...options, json: body }),
    update: async (id, body, options) =>
      ctx.request<Team>("PUT", `${base}${segment(id)}/`, { ...options, json: body }),
  };
}

/** Builds `client.users`. */
export function createUsers(ctx: ResourceContext): UsersResource {
  return listResource<User>(ctx, "/api/v1/users/");
}
