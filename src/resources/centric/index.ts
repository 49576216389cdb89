/**
 * CertnCentric resources (`/api/public/`, `Authorization: Api-Key`), wired into the client as
 * `client.centric`. Everything here goes through the client's `request`, so retries, timeouts,
 * the egress check and error envelopes behave as for the partner resources.
 */
import { type CertnCentricCasesResource, createCentricCases } from "./cases.ts";
import {
  type CertnCentricGroupsResource,
  type CertnCentricPackagesResource,
  type CertnCentricTagsResource,
  type CertnCentricUsersResource,
  createCentricGroups,
  createCentricPackages,
  createCentricTags,
  createCentricUsers,
} from "./directory.ts";
import type { CentricRequester } from "./pagination.ts";

/** `client.centric`. */
export interface CertnCentricResources {
  cases: CertnCentricCasesResource;
  groups: CertnCentricGroupsResource;
  /** Sourced from public code only, not from Certn's documentation. */
  users: CertnCentricUsersResource;
  /** Sourced from public code only, not from Certn's documentation. */
  packages: CertnCentricPackagesResource;
  /** Sourced from public code only, not from Certn's documentation. */
  tags: CertnCentricTagsResource;
}

/**
 * Builds `client.centric` from the client's JSON request function (`request(method, path,
 * { query, json })`, resolving to the parsed body or throwing `CertnHttpError`).
 */
export function createCentricResources(ctx: CentricRequester): CertnCentricResources {
  return {
    cases: createCentricCases(ctx),
    groups: createCentricGroups(ctx),
    users: createCentricUsers(ctx),
    packages: createCentricPackages(ctx),
    tags: createCentricTags(ctx),
  };
}

export type { CertnCentricCasesResource } from "./cases.ts";
export type {
  CertnCentricGroupsResource,
  CertnCentricPackagesResource,
  CertnCentricTagsResource,
  CertnCentricUsersResource,
} from "./directory.ts";
export {
  CERTN_CENTRIC_TERMINAL_CASE_STATUSES,
  type CertnCentricCaseStatus,
  type CertnCentricCheckStatus,
  type CertnCentricCheckType,
  type CertnCentricEventType,
  type CertnCentricObjectType,
  type CertnCentricReportFileStatus,
  type CertnCentricScore,
  type CertnCentricSubScore,
  isCertnCentricTerminalStatus,
} from "./enums.ts";
export type { CentricListResource, CentricRequester } from "./pagination.ts";
export type * from "./types.ts";
