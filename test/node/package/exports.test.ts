/**
 * The public API of every entry point, pinned: adding, removing or renaming a public name must be
 * a deliberate edit of the lists below (and of the documentation that lists it). Names are read
 * from the entry sources with the TypeScript checker (types and values apart); the values are
 * also checked against what the module really exports at run time. No entry uses `export *`,
 * which is how internals such as `createCentricResources` once leaked into the root entry.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import jsr from "../../../jsr.json" with { type: "json" };
import pkg from "../../../package.json" with { type: "json" };

const ROOT = join(import.meta.dirname, "../../..");

/** The public names of one entry point. */
interface PublicNames {
  /** Names with a run-time value (functions, classes, constants). */
  values: string[];
  /** Type-only names (interfaces, type aliases). */
  types: string[];
}

const EXPECTED: Record<string, PublicNames> = {
  ".": {
    values: [
      "CERTN_CENTRIC_AU_URL",
      "CERTN_CENTRIC_CA_URL",
      "CERTN_CENTRIC_SANDBOX_URL",
      "CERTN_CENTRIC_TERMINAL_CASE_STATUSES",
      "CERTN_CENTRIC_UK_URL",
      "CERTN_DEMO_URL",
      "CERTN_PRODUCTION_URL",
      "CertnAuthError",
      "CertnError",
      "CertnErrorCode",
      "CertnHttpError",
      "CertnNetworkError",
      "CertnResponseError",
      "CertnTimeoutError",
      "DEFAULT_RETRY_POLICY",
      "DEFAULT_TIMEOUT_MS",
      "MIN_REFRESH_MARGIN_MS",
      "createCertnClient",
      "createMemoryTokenStore",
      "isCertnAuthError",
      "isCertnCentricTerminalStatus",
      "isCertnError",
      "isCertnHttpError",
      "isCertnNetworkError",
      "isCertnResponseError",
      "isCertnTimeoutError",
      "verifyCertnCentricSignature",
      "verifyCertnSignature",
    ],
    types: [
      "ApiKeyCredentials",
      "ApiKeyScheme",
      "Applicant",
      "ApplicantAddress",
      "ApplicantInformation",
      "ApplicantStatus",
      "ApplicationsResource",
      "AttemptInfo",
      "CallOptions",
      "CentricListResource",
      "CertnCentricAddress",
      "CertnCentricCase",
      "CertnCentricCaseListParams",
      "CertnCentricCaseOrder",
      "CertnCentricCaseOrderFields",
      "CertnCentricCaseStatus",
      "CertnCentricCasesResource",
      "CertnCentricCheck",
      "CertnCentricCheckArguments",
      "CertnCentricCheckStatus",
      "CertnCentricCheckType",
      "CertnCentricChecks",
      "CertnCentricEmailInvite",
      "CertnCentricErrorItem",
      "CertnCentricEventType",
      "CertnCentricGenerateReportOptions",
      "CertnCentricGroup",
      "CertnCentricGroupListParams",
      "CertnCentricGroupsResource",
      "CertnCentricInputClaims",
      "CertnCentricLinkInvite",
      "CertnCentricLinkInviteCase",
      "CertnCentricName",
      "CertnCentricObjectType",
      "CertnCentricOneOrMany",
      "CertnCentricOrderFields",
      "CertnCentricOrderMode",
      "CertnCentricOrderedCase",
      "CertnCentricPackage",
      "CertnCentricPackageDefaultMode",
      "CertnCentricPackageListParams",
      "CertnCentricPackageOrder",
      "CertnCentricPackagesResource",
      "CertnCentricPage",
      "CertnCentricPageParams",
      "CertnCentricPagination",
      "CertnCentricPositionLocation",
      "CertnCentricQuickscreen",
      "CertnCentricReportFile",
      "CertnCentricReportFileStatus",
      "CertnCentricReportRequest",
      "CertnCentricResidence",
      "CertnCentricResources",
      "CertnCentricScore",
      "CertnCentricSignatureFailureReason",
      "CertnCentricSignatureResult",
      "CertnCentricSubScore",
      "CertnCentricTag",
      "CertnCentricTagListParams",
      "CertnCentricTagsResource",
      "CertnCentricUser",
      "CertnCentricUserListParams",
      "CertnCentricUsersResource",
      "CertnClient",
      "CertnClientCommonOptions",
      "CertnClientOptions",
      "CertnCredentials",
      "CertnErrorCodeValue",
      "CertnSignatureFailureReason",
      "CertnSignatureResult",
      "CheckResult",
      "ClientCredentials",
      "CountryCode",
      "CredentialKind",
      "FetchLike",
      "HrInviteResponse",
      "HrResource",
      "InviteRequest",
      "InvitedApplicant",
      "ListParams",
      "ListResource",
      "Page",
      "PartnerResources",
      "PhoneNumber",
      "PmInviteRequest",
      "PmInviteResponse",
      "PmResource",
      "PositionLocation",
      "ProductResource",
      "QueryParams",
      "QueryValue",
      "QuickScreenRequest",
      "RawBody",
      "ReportLink",
      "ReportStatus",
      "ReportsResource",
      "RequestOptions",
      "ResultValue",
      "RetryPolicy",
      "SendOptions",
      "Sleep",
      "StoredToken",
      "Superteam",
      "SuperteamInput",
      "SuperteamSummary",
      "SuperteamsResource",
      "Team",
      "TeamInput",
      "TeamType",
      "TeamsResource",
      "TokenProvider",
      "TokenProviderContext",
      "TokenProviderCredentials",
      "TokenStore",
      "Transport",
      "UpgradeRequest",
      "User",
      "UsersResource",
      "VerifyCertnCentricSignatureOptions",
      "VerifyCertnSignatureOptions",
    ],
  },
  "./runner": {
    values: [
      "CENTRIC_RATE_LIMIT",
      "CENTRIC_RATE_LIMITS",
      "DEFAULT_POLL_MAX_ATTEMPTS",
      "KEEP_ALL_ITEMS_UP_TO",
      "MAX_CONCURRENCY",
      "MAX_DEADLINE_MS",
      "MAX_HUB_EVENTS",
      "MAX_ITERATIONS",
      "MAX_JSONPATH_SHARED_VISITS",
      "MAX_JSONPATH_VISITS",
      "MAX_JSON_DEPTH",
      "MAX_KEPT_FAILURES",
      "MAX_RATE_LIMIT_REQUESTS",
      "MAX_RATE_LIMIT_WINDOWS",
      "MAX_RATE_LIMIT_WINDOW_MS",
      "MAX_SCHEMA_STEPS",
      "MAX_TOKEN_ACQUISITIONS",
      "PARTNER_RATE_LIMIT",
      "PARTNER_RATE_LIMITS",
      "RUN_INPUT_KEYS",
      "RateLimitWaitAborted",
      "RateWindows",
      "RunnerErrorCode",
      "collectionRateLimits",
      "createRateLimiter",
      "createWebhookHub",
      "defaultRateLimits",
      "describeEstimate",
      "estimateRequests",
      "eventMatches",
      "eventText",
      "importPostman",
      "importPostmanEnvironment",
      "isCentricCollection",
      "jsonDepthExceeds",
      "junitFrame",
      "junitTestcase",
      "maskPersonal",
      "parseCollection",
      "parseRateLimitText",
      "parseRunInputs",
      "resolveRunSettings",
      "runCollection",
      "secretTexts",
      "showsMasked",
      "toJUnit",
      "toNdjsonLine",
      "toText",
      "totalIterations",
    ],
    types: [
      "Assertion",
      "AssertionResult",
      "Collection",
      "CollectionIssue",
      "CollectionOptions",
      "DurableSteps",
      "EstimateOptions",
      "Folder",
      "HttpMethod",
      "Item",
      "ItemError",
      "ItemResult",
      "ItemStatus",
      "JsonValue",
      "KeepItems",
      "ParseCollectionResult",
      "ParseRunInputsOptions",
      "ParseRunInputsResult",
      "PollSpec",
      "PostmanEnvironmentImport",
      "PostmanImport",
      "RateBudget",
      "RateLimit",
      "RateLimiterOptions",
      "RateSlot",
      "RateTake",
      "RecordedAttempt",
      "RecordedExchange",
      "RequestItem",
      "RequestSpec",
      "ResolveSettingsResult",
      "RunEstimate",
      "RunEvent",
      "RunInputKey",
      "RunInputs",
      "RunOptions",
      "RunResult",
      "RunSettings",
      "RunSummary",
      "RunVariables",
      "StepOptions",
      "Transport",
      "VariableValue",
      "Variables",
      "WaitItem",
      "WaitSpec",
      "WebhookEventSource",
      "WebhookHub",
      "WebhookMatch",
      "WebhookSource",
      "WebhookWait",
    ],
  },
  "./webhooks": {
    values: [
      "CERTN_CENTRIC_SIGNATURE_HEADER",
      "CERTN_SIGNATURE_HEADER",
      "DEFAULT_SIGNATURE_TOLERANCE_SECONDS",
      "answerCertnCentricChallenge",
      "parseCertnCentricEvent",
      "verifyCertnCentricSignature",
      "verifyCertnSignature",
      "webhookEventId",
    ],
    types: [
      "CertnCentricCaseStatus",
      "CertnCentricEvent",
      "CertnCentricEventType",
      "CertnCentricObjectType",
      "CertnCentricSignatureFailureReason",
      "CertnCentricSignatureResult",
      "CertnSignatureFailureReason",
      "CertnSignatureResult",
      "RawBody",
      "VerifyCertnCentricSignatureOptions",
      "VerifyCertnSignatureOptions",
    ],
  },
  "./simulator": {
    values: [
      "DEMO_API_KEY",
      "DEMO_CENTRIC_API_KEY",
      "DEMO_CLIENT_ID",
      "DEMO_CLIENT_SECRET",
      "SCENARIO_KEYWORDS",
      "SimulatedDrop",
      "createCertnSimulator",
    ],
    types: [
      "CentricControls",
      "CentricOptions",
      "CentricWebhookOptions",
      "CentricWebhookState",
      "CertnSimulator",
      "CertnSimulatorOptions",
      "Fault",
      "FaultInjection",
      "FaultMatcher",
      "ProgressTimings",
      "RateLimitOptions",
      "Scenario",
      "SimClock",
      "SimulatorApiKey",
      "SimulatorClient",
      "SimulatorCredentials",
      "WebhookAttempt",
      "WebhookOptions",
    ],
  },
  "./simulator/node": {
    values: ["serveCertnSimulator"],
    types: ["ServeCertnSimulatorOptions", "ServedCertnSimulator"],
  },
};

/** The TypeScript source of each package.json export (as jsr.json maps it). */
const SOURCES = jsr.exports as Record<string, string>;

function entryNames(): Map<string, PublicNames> {
  const files = Object.fromEntries(
    Object.entries(SOURCES).map(([entry, source]) => [entry, join(ROOT, source)]),
  );
  const program = ts.createProgram(Object.values(files), {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    resolveJsonModule: true,
    noEmit: true,
    types: ["node"],
  });
  const checker = program.getTypeChecker();
  const names = new Map<string, PublicNames>();
  for (const [entry, file] of Object.entries(files)) {
    const source = program.getSourceFile(file);
    const module = source && checker.getSymbolAtLocation(source);
    if (module === undefined) throw new Error(`cannot read ${file}`);
    const found: PublicNames = { values: [], types: [] };
    for (const symbol of checker.getExportsOfModule(module)) {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      (target.flags & ts.SymbolFlags.Value ? found.values : found.types).push(symbol.name);
    }
    names.set(entry, { values: found.values.sort(), types: found.types.sort() });
  }
  return names;
}

describe("public API", () => {
  const actual = entryNames();

  it("covers every entry point of package.json and jsr.json", () => {
    const npmEntries = Object.keys(pkg.exports).filter((entry) => entry !== "./package.json");
    expect(Object.keys(EXPECTED).sort()).toEqual(npmEntries.sort());
    expect(Object.keys(SOURCES).sort()).toEqual(npmEntries.sort());
  });

  for (const [entry, expected] of Object.entries(EXPECTED)) {
    const name = entry === "." ? "certn-edge" : `certn-edge${entry.slice(1)}`;

    it(`${name} exports exactly the listed values and types`, () => {
      expect(actual.get(entry)).toEqual({
        values: [...expected.values].sort(),
        types: [...expected.types].sort(),
      });
    });

    it(`${name} exports the listed values at run time`, async () => {
      const module = (await import(join(ROOT, SOURCES[entry]!))) as Record<string, unknown>;
      expect(Object.keys(module).sort()).toEqual([...expected.values].sort());
    });

    it(`${name} lists its names (no export *)`, () => {
      const file = join(ROOT, SOURCES[entry]!);
      const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022);
      const star = source.statements.filter(
        (statement) => ts.isExportDeclaration(statement) && statement.exportClause === undefined,
      );
      expect(star.map((statement) => statement.getText(source))).toEqual([]);
    });
  }

  it("keeps client internals out of the root entry", () => {
    const root = actual.get(".");
    for (const internal of ["createCentricResources", "CentricRequester", "ResourceContext"]) {
      expect(root?.values).not.toContain(internal);
      expect(root?.types).not.toContain(internal);
    }
  });
});
