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

/** `list`, `all`, `get`, `create` and `update` for the collection at `base`. */
function editableResource<T, TItem, TInput>(
  ctx: ResourceContext,
  base: string,
): ListResource<T> & {
  get(id: string, options?: CallOptions): Promise<TItem>;
  create(body: TInput, options?: CallOptions): Promise<TItem>;
  update(id: string, body: TInput, options?: CallOptions): Promise<TItem>;
} {
  const item = (id: string) => `${base}${segment(id)}/`;
  return {
    ...listResource<T>(ctx, base),
    get: async (id, options) => ctx.request<TItem>("GET", item(id), options),
    create: async (body, options) => ctx.request<TItem>("POST", base, { ...options, json: body }),
    update: async (id, body, options) => ctx.request<TItem>("PUT", item(id), { ...options, json: body }),
  };
}

/** Builds `client.superteams`. */
export function createSuperteams(ctx: ResourceContext): SuperteamsResource {
  return editableResource<SuperteamSummary, Superteam, SuperteamInput>(ctx, "/api/v1/superteams/");
}

/** Builds `client.teams`. */
export function createTeams(ctx: ResourceContext): TeamsResource {
  return editableResource<Team, Team, TeamInput>(ctx, "/api/v1/teams/");
}

/** Builds `client.users`. */
export function createUsers(ctx: ResourceContext): UsersResource {
  return listResource<User>(ctx, "/api/v1/users/");
}
