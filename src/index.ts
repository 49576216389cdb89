/**
 * certn-edge: a fetch-only client for the Certn background-screening API.
 * @packageDocumentation
 */

export type {
  ApiKeyCredentials,
  ApiKeyScheme,
  CertnCredentials,
  ClientCredentials,
  CredentialKind,
  TokenProvider,
  TokenProviderContext,
  TokenProviderCredentials,
} from "./auth/credentials.ts";
export { MIN_REFRESH_MARGIN_MS } from "./auth/token-lifetime.ts";
export { createMemoryTokenStore, type StoredToken, type TokenStore } from "./auth/token-store.ts";
export {
  type CertnClient,
  type CertnClientCommonOptions,
  type CertnClientOptions,
  createCertnClient,
  DEFAULT_TIMEOUT_MS,
} from "./client.ts";
export type { FetchLike } from "./core/attempt.ts";
export {
  CERTN_CENTRIC_AU_URL,
  CERTN_CENTRIC_CA_URL,
  CERTN_CENTRIC_SANDBOX_URL,
  CERTN_CENTRIC_UK_URL,
  CERTN_DEMO_URL,
  CERTN_PRODUCTION_URL,
} from "./core/base-urls.ts";
export type { QueryParams, QueryValue, RequestOptions } from "./core/call.ts";
export {
  CertnAuthError,
  type CertnCentricErrorItem,
  CertnError,
  CertnErrorCode,
  type CertnErrorCodeValue,
  CertnHttpError,
  CertnNetworkError,
  CertnResponseError,
  CertnTimeoutError,
  isCertnAuthError,
  isCertnError,
  isCertnHttpError,
  isCertnNetworkError,
  isCertnResponseError,
  isCertnTimeoutError,
} from "./core/errors.ts";
export { DEFAULT_RETRY_POLICY } from "./core/retry-policy.ts";
export type { Sleep } from "./core/sleep.ts";
export type { AttemptInfo, RetryPolicy, SendOptions, Transport } from "./core/transport-types.ts";
export type {
  ApplicationsResource,
  HrResource,
  PmResource,
  ProductResource,
  ReportsResource,
} from "./resources/applications.ts";
export * from "./resources/centric/index.ts";
export type { CallOptions } from "./resources/context.ts";
export type { SuperteamsResource, TeamsResource, UsersResource } from "./resources/general.ts";
export type { ListResource } from "./resources/pagination.ts";
export type { PartnerResources } from "./resources/partner.ts";
export type * from "./resources/types.ts";
export * from "./webhooks/index.ts";
