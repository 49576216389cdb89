/**
 * The `run` command's flags and their checks: everything here is decided before a single
 * request, so bad input exits 2 without touching the network.
 */
import { type FlagSpec, formatFlags, type ParsedArgs } from "../args.ts";
import { UsageError } from "../usage-error.ts";

/** Every flag `run` accepts. */
export const RUN_FLAGS: readonly FlagSpec[] = [
  {
    name: "env-file",
    kind: "string",
    value: "FILE",
    description: "read credentials (CERTN_*) from a dotenv file",
  },
  {
    name: "vars-file",
    kind: "string",
    value: "FILE",
    description: "variables: a JSON object or a Postman environment",
  },
  { name: "var", kind: "list", value: "NAME=VALUE", description: "set a variable" },
  {
    name: "secret",
    kind: "list",
    value: "NAME=VALUE",
    description: "set a secret variable (never shown in output)",
  },
  {
    name: "base-url",
    kind: "string",
    value: "URL",
    description: "Certn origin (default CERTN_BASE_URL, else the demo API)",
  },
  {
    name: "simulator",
    kind: "boolean",
    description: "run against the embedded Certn simulator (no credentials, no network)",
  },
  {
    name: "data",
    kind: "string",
    value: "FILE",
    description: "one iteration per row: a JSON array of objects or a CSV file",
  },
  {
    name: "iterations",
    kind: "string",
    value: "N",
    description: "repeat the run (with --data: repeat the data set)",
  },
  { name: "concurrency", kind: "string", value: "N", description: "iterations at once (1-6; default 1)" },
  { name: "bail", kind: "boolean", description: "stop at the first failed or errored item" },
  { name: "folder", kind: "list", value: "NAME", description: "run only the folder(s) with this name" },
  {
    name: "grep",
    kind: "string",
    value: "TEXT",
    description: "run only items whose name or folder contains TEXT",
  },
  { name: "timeout", kind: "string", value: "MS", description: "per-attempt timeout in ms (default 30000)" },
  { name: "delay", kind: "string", value: "MS", description: "pause between requests in ms" },
  {
    name: "deadline",
    kind: "string",
    value: "MS",
    description: "wall-clock limit of the whole command in ms",
  },
  {
    name: "rate-limit",
    kind: "string",
    value: "N/MS|off",
    description: "requests per window (default 240/60000)",
  },
  { name: "reporter", kind: "list", value: "NAME", description: "text (default), json, junit or html" },
  {
    name: "out",
    short: "o",
    kind: "string",
    value: "DIR",
    description: "write each report to DIR/<collection>.<ext>",
  },
  {
    name: "include-bodies",
    kind: "boolean",
    description: "put request/response bodies in reports (personal fields masked)",
  },
  {
    name: "dry-run",
    kind: "boolean",
    description: "resolve everything, send nothing, show what would be sent",
  },
  {
    name: "allow-orders",
    kind: "boolean",
    description: "allow requests that order paid checks on the production API",
  },
  {
    name: "export-captures",
    kind: "string",
    value: "FILE",
    description: "write captured variables as a JSON variables file",
  },
  { name: "help", short: "h", kind: "boolean", description: "show this help" },
];

/** The help text of `run`. */
export function runHelp(): string {
  return `Usage: certn-edge run <collection>... [options]

Runs collections one after another and exits 0 when every item passed, 1 when anything
failed or errored, 2 for invalid input. A collection is a file, a folder, a glob
("collections/*.json"), or the name of one bundled with the package:
  ${BUNDLED_NAMES.slice(0, 5).join(", ")},
  ${BUNDLED_NAMES.slice(5).join(", ")}.

Credentials come from the environment or --env-file: CERTN_CLIENT_ID and
CERTN_CLIENT_SECRET (or CLIENT_ID and CLIENT_SECRET), or CERTN_API_KEY (with
CERTN_API_KEY_SCHEME=Api-Key for CertnCentric); CERTN_BASE_URL picks the origin.
They never become collection variables.

Options:
${formatFlags(RUN_FLAGS)}

Examples:
  certn-edge run certn-smoke --simulator
  certn-edge run collections/certn-smoke.json --env-file .env
  certn-edge run hr-quick-screen --env-file .env --var firstName=Testy --reporter junit --out reports
  certn-edge run "collections/*.json" --simulator --reporter html --out reports
  certn-edge run my.json --data applicants.csv --secret apiToken=abc --dry-run
`;
}

/** Names of the bundled collections, for the help text (a test keeps it in step with collections/). */
export const BUNDLED_NAMES: readonly string[] = [
  "certn-smoke",
  "hr-quick-screen",
  "hr-invite",
  "pm-quick-screen",
  "general-resources",
  "reports",
  "centric-smoke",
  "centric-quickscreen",
  "centric-invite-link",
];

/** A reporter name. */
export type ReporterName = "text" | "json" | "junit" | "html";
const REPORTERS: readonly ReporterName[] = ["text", "json", "junit", "html"];

/** The run flags, checked and typed. */
export interface RunFlags {
  collections: string[];
  envFile: string | undefined;
  varsFile: string | undefined;
  variables: [string, string][];
  secrets: [string, string][];
  baseUrl: string | undefined;
  simulator: boolean;
  dataFile: string | undefined;
  iterations: number | undefined;
  concurrency: number | undefined;
  bail: boolean;
  folders: string[];
  grep: string | undefined;
  timeoutMs: number | undefined;
  delayMs: number | undefined;
  deadlineMs: number | undefined;
  rateLimit: { requests: number; perMs: number } | false | undefined;
  reporters: ReporterName[];
  out: string | undefined;
  includeBodies: boolean;
  dryRun: boolean;
  allowOrders: boolean;
  exportCaptures: string | undefined;
}

function integer(
  args: ParsedArgs,
  name: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  const raw = args.string(name);
  if (raw === undefined) return undefined;
  const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range =
      max === Number.MAX_SAFE_INTEGER ? `a whole number >= ${min}` : `a whole number from ${min} to ${max}`;
    throw new UsageError(`--${name} must be ${range}, got "${raw}"`);
  }
  return value;
}

function rateLimit(raw: string | undefined): RunFlags["rateLimit"] {
  if (raw === undefined) return undefined;
  if (raw.trim().toLowerCase() === "off") return false;
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  const requests = Number(match?.[1]);
  const perMs = Number(match?.[2]);
  if (!match || requests < 1 || perMs < 1) {
    throw new UsageError(`--rate-limit must be N/MS (for example 240/60000) or off, got "${raw}"`);
  }
  return { requests, perMs };
}

function assignment(text: string, flag: "var" | "secret"): [string, string] {
  const equals = text.indexOf("=");
  if (equals <= 0) {
    throw new UsageError(
      flag === "secret"
        ? "--secret expects NAME=VALUE (the value given is not shown)"
        : `--var expects NAME=VALUE, got "${text}"`,
    );
  }
  return [text.slice(0, equals), text.slice(equals + 1)];
}

/** Checks the parsed flags of `run`. @throws UsageError naming the flag */
export function readRunFlags(args: ParsedArgs): RunFlags {
  const reporters = args.list("reporter").flatMap((value) => value.split(","));
  for (const reporter of reporters) {
    if (!REPORTERS.includes(reporter as ReporterName)) {
      throw new UsageError(`--reporter must be one of ${REPORTERS.join(", ")}, got "${reporter}"`);
    }
  }
  const unique = [...new Set(reporters as ReporterName[])];
  const out = args.string("out");
  const machine = unique.filter((name) => name !== "text");
  if (out === undefined && machine.length > 1) {
    throw new UsageError(
      `--reporter ${machine.join(" and ")} both write to stdout; add --out DIR to write files`,
    );
  }
  if (args.flag("simulator") && args.string("base-url") !== undefined) {
    throw new UsageError("--simulator and --base-url cannot be used together");
  }
  return {
    collections: args.positionals,
    envFile: args.string("env-file"),
    varsFile: args.string("vars-file"),
    variables: args.list("var").map((text) => assignment(text, "var")),
    secrets: args.list("secret").map((text) => assignment(text, "secret")),
    baseUrl: args.string("base-url"),
    simulator: args.flag("simulator"),
    dataFile: args.string("data"),
    iterations: integer(args, "iterations", 1),
    concurrency: integer(args, "concurrency", 1, 6),
    bail: args.flag("bail"),
    folders: args.list("folder"),
    grep: args.string("grep"),
    timeoutMs: integer(args, "timeout", 1),
    delayMs: integer(args, "delay", 0),
    deadlineMs: integer(args, "deadline", 1),
    rateLimit: rateLimit(args.string("rate-limit")),
    reporters: unique.length > 0 ? unique : ["text"],
    out,
    includeBodies: args.flag("include-bodies"),
    dryRun: args.flag("dry-run"),
    allowOrders: args.flag("allow-orders"),
    exportCaptures: args.string("export-captures"),
  };
}
