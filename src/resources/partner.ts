/** The documented partner-API resources, composed for `client.ts`. */
import { createHr, createPm, type HrResource, type PmResource } from "./applications.ts";
import type { ResourceContext } from "./context.ts";
import {
  createSuperteams,
  createTeams,
  createUsers,
  type SuperteamsResource,
  type TeamsResource,
  type UsersResource,
} from "./general.ts";

/** The partner-API resources on a client. */
export interface PartnerResources {
  superteams: SuperteamsResource;
  teams: TeamsResource;
  users: UsersResource;
  hr: HrResource;
  pm: PmResource;
}

/** Builds every partner-API resource on `ctx`. */
export function createPartnerResources(ctx: ResourceContext): PartnerResources {
  return {
    superteams: createSuperteams(ctx),
    teams: createTeams(ctx),
    users: createUsers(ctx),
    hr: createHr(ctx),
    pm: createPm(ctx),
  };
}
