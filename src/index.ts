/**
 * certn-edge: a fetch-only client for the Certn background-screening API.
 *
 * `createCertnClient` and its options and credential types; the token store; base URLs; errors,
 * their guards and codes; the types of the partner-API and CertnCentric resources (for callers'
 * annotations); and the two webhook signature checks (the other webhook helpers are in
 * `certn-edge/webhooks`).
 *
 * Every name is listed on purpose (no `export *`, which once leaked internals): this file is the
 * package's public contract, and test/node/package/exports.test.ts pins it, so adding or removing
 * a name is a deliberate change.
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
export { DEFAULT_RETRY_POLICY, DEFAULT_TIMEOUT_MS } from "./core/retry-policy.ts";
export type { Sleep } from "./core/sleep.ts";
export type { AttemptInfo, RetryPolicy, SendOptions, Transport } from "./core/transport-types.ts";

export type {
  ApplicationsResource,
  HrResource,
  PmResource,
  ProductResource,
  ReportsResource,
} from "./resources/applications.ts";
export type { CertnCentricCasesResource } from "./resources/centric/cases.ts";
export type {
  CertnCentricGroupsResource,
  CertnCentricPackagesResource,
  CertnCentricTagsResource,
  CertnCentricUsersResource,
} from "./resources/centric/directory.ts";
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
} from "./resources/centric/enums.ts";
export type { CertnCentricResources } from "./resources/centric/index.ts";
export type { CentricListResource } from "./resources/centric/pagination.ts";
export type {
  CertnCentricAddress,
  CertnCentricCase,
  CertnCentricCaseListParams,
  CertnCentricCaseOrder,
  CertnCentricCaseOrderFields,
  CertnCentricCheck,
  CertnCentricCheckArguments,
  CertnCentricChecks,
  CertnCentricEmailInvite,
  CertnCentricGenerateReportOptions,
  CertnCentricGroup,
  CertnCentricGroupListParams,
  CertnCentricInputClaims,
  CertnCentricLinkInvite,
  CertnCentricLinkInviteCase,
  CertnCentricName,
  CertnCentricOneOrMany,
  CertnCentricOrderedCase,
  CertnCentricOrderFields,
  CertnCentricOrderMode,
  CertnCentricPackage,
  CertnCentricPackageDefaultMode,
  CertnCentricPackageListParams,
  CertnCentricPackageOrder,
  CertnCentricPage,
  CertnCentricPageParams,
  CertnCentricPagination,
  CertnCentricPositionLocation,
  CertnCentricQuickscreen,
  CertnCentricReportFile,
  CertnCentricReportRequest,
  CertnCentricResidence,
  CertnCentricTag,
  CertnCentricTagListParams,
  CertnCentricUser,
  CertnCentricUserListParams,
} from "./resources/centric/types.ts";
export type { CallOptions } from "./resources/context.ts";
export type { SuperteamsResource, TeamsResource, UsersResource } from "./resources/general.ts";
export type { ListResource } from "./resources/pagination.ts";
export type { PartnerResources } from "./resources/partner.ts";
export type {
  Applicant,
  ApplicantAddress,
  ApplicantInformation,
  ApplicantStatus,
  CheckResult,
  CountryCode,
  HrInviteResponse,
  InvitedApplicant,
  InviteRequest,
  ListParams,
  Page,
  PhoneNumber,
  PmInviteRequest,
  PmInviteResponse,
  PositionLocation,
  QuickScreenRequest,
  ReportLink,
  ReportStatus,
  ResultValue,
  Superteam,
  SuperteamInput,
  SuperteamSummary,
  Team,
  TeamInput,
  TeamType,
  UpgradeRequest,
  User,
} from "./resources/types.ts";

export {
  type CertnCentricSignatureFailureReason,
  type CertnCentricSignatureResult,
  type CertnSignatureFailureReason,
  type CertnSignatureResult,
  type RawBody,
  type VerifyCertnCentricSignatureOptions,
  type VerifyCertnSignatureOptions,
  verifyCertnCentricSignature,
  verifyCertnSignature,
} from "./webhooks/index.ts";
