/**
 * Account resources: groups ([DOC] list; detail from public code) and, from public code only
 * (one provider module whose filters look copied from Certn's spec, certncentric-api.md §3.1),
 * users, packages and tags.
 */
import { CertnResponseError } from "../../core/errors.ts";
import { isRecord } from "../../core/json.ts";
import { type CallOptions, segment } from "../context.ts";
import { type CentricListResource, type CentricRequester, centricListResource } from "./pagination.ts";
import type {
  CertnCentricGroup,
  CertnCentricGroupListParams,
  CertnCentricPackage,
  CertnCentricPackageListParams,
  CertnCentricTag,
  CertnCentricTagListParams,
  CertnCentricUser,
  CertnCentricUserListParams,
} from "./types.ts";

/** `client.centric.groups`: groups replace the partner API's teams and superteams. */
export interface CertnCentricGroupsResource
  extends CentricListResource<CertnCentricGroup, CertnCentricGroupListParams> {
  /** One group (path from public code: `/api/public/groups/{id}/`). */
  get(id: string, options?: CallOptions): Promise<CertnCentricGroup>;
}

/** `client.centric.users`. Sourced from public code only, not from Certn's documentation. */
export type CertnCentricUsersResource = CentricListResource<CertnCentricUser, CertnCentricUserListParams>;

/** `client.centric.packages`. Sourced from public code only, not from Certn's documentation. */
export type CertnCentricPackagesResource = CentricListResource<
  CertnCentricPackage,
  CertnCentricPackageListParams
>;

/** `client.centric.tags`. Sourced from public code only, not from Certn's documentation. */
export type CertnCentricTagsResource = CentricListResource<CertnCentricTag, CertnCentricTagListParams>;

/** Builds `client.centric.groups`. */
export function createCentricGroups(ctx: CentricRequester): CertnCentricGroupsResource {
  const base = "/api/public/groups/";
  return {
    ...centricListResource<CertnCentricGroup, CertnCentricGroupListParams>(ctx, base),
    get: async (id, options) => {
      const path = `${base}${segment(id)}/`;
      const body = await ctx.request("GET", path, { ...options });
      if (!isRecord(body) || typeof body.id !== "string") {
        throw new CertnResponseError(`GET ${path}: group field "id" must be a string`);
      }
      return body as CertnCentricGroup;
    },
  };
}

/** Builds `client.centric.users` (public code only). */
export function createCentricUsers(ctx: CentricRequester): CertnCentricUsersResource {
  return centricListResource(ctx, "/api/public/users/");
}

/** Builds `client.centric.packages` (public code only). */
export function createCentricPackages(ctx: CentricRequester): CertnCentricPackagesResource {
  return centricListResource(ctx, "/api/public/packages/");
}

/** Builds `client.centric.tags` (public code only). */
export function createCentricTags(ctx: CentricRequester): CertnCentricTagsResource {
  return centricListResource(ctx, "/api/public/tags/");
}
