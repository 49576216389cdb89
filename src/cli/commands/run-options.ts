/**
 * The `run` command's flags, their syntax, and the run inputs built from them and the files they
 * name, checked with the runner's one schema (`parseRunInputs`). Everything here is decided before
 * a single request, so bad input exits 2 without touching the network.
 */

import { issueLine } from "../../core/json.ts";
// From core, not the runner's index: flags are read before the runner loads.
import { parseRateLimitText } from "../../core/rate-limit-text.ts";
import type { RateLimit } from "../../core/rate-windows.ts";
import type { CollectionIssue, ParseRunInputsResult, RunInputs, RunVariables } from "../../runner/index.ts";
import type { FlagSpec, ParsedArgs } from "../args.ts";
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
    name: "webhook-port",
    kind: "string",
    value: "PORT",
    description: "receive webhooks on 127.0.0.1:PORT (0: any free port) for waits",
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
    value: "N/WINDOW[,...]|off",
    description: "requests per rolling window, e.g. 240/60s,14400/1d (default; a bare window is ms)",
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

/** A reporter name. */
export type ReporterName = "text" | "json" | "junit" | "html";
const REPORTERS: readonly ReporterName[] = ["text", "json", "junit", "html"];

/** The run flags, with their syntax checked (values are checked as run inputs). */
export interface RunFlags {
  collections: string[];
  envFile: string | undefined;
  varsFile: string | undefined;
  variables: [string, string][];
  secrets: [string, string][];
  baseUrl: string | undefined;
  simulator: boolean;
  /** `--webhook-port`: where to receive webhooks (0: any free port), or undefined for no receiver. */
  webhookPort: number | undefined;
  dataFile: string | undefined;
  iterations: number | undefined;
  concurrency: number | undefined;
  bail: boolean;
  folders: string[];
  grep: string | undefined;
  timeoutMs: number | undefined;
  delayMs: number | undefined;
  deadlineMs: number | undefined;
  rateLimit: RateLimit[] | false | undefined;
  reporters: ReporterName[];
  out: string | undefined;
  includeBodies: boolean;
  dryRun: boolean;
  allowOrders: boolean;
  exportCaptures: string | undefined;
}

/** A whole-number flag; its range is the run inputs' (see {@link buildRunInputs}). */
function wholeNumber(args: ParsedArgs, name: string): number | undefined {
  const raw = args.string(name);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw.trim())) throw new UsageError(`--${name} must be a whole number, got "${raw}"`);
  return Number(raw.trim());
}

/** `--webhook-port`: 0 (any free port) to 65535. */
function port(args: ParsedArgs): number | undefined {
  const raw = args.string("webhook-port");
  if (raw === undefined) return undefined;
  const value = /^\d{1,5}$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!(value <= 65_535)) {
    throw new UsageError(
      `--webhook-port must be a port number from 0 (any free port) to 65535, got "${raw}"`,
    );
  }
  return value;
}

function rateLimit(raw: string | undefined): RunFlags["rateLimit"] {
  if (raw === undefined) return undefined;
  if (raw.trim().toLowerCase() === "off") return false;
  try {
    return parseRateLimitText(raw.trim(), "--rate-limit");
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
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

function reportersOf(args: ParsedArgs): ReporterName[] {
  const reporters = args.list("reporter").flatMap((value) => value.split(","));
  for (const reporter of reporters) {
    if (!REPORTERS.includes(reporter as ReporterName)) {
      throw new UsageError(`--reporter must be one of ${REPORTERS.join(", ")}, got "${reporter}"`);
    }
  }
  const unique = [...new Set(reporters as ReporterName[])];
  const machine = unique.filter((name) => name !== "text");
  if (args.string("out") === undefined && machine.length > 1) {
    throw new UsageError(
      `--reporter ${machine.join(" and ")} both write to stdout; add --out DIR to write files`,
    );
  }
  return unique.length > 0 ? unique : ["text"];
}

/** Checks the syntax of the parsed flags of `run`. @throws UsageError naming the flag */
export function readRunFlags(args: ParsedArgs): RunFlags {
  const reporters = reportersOf(args);
  if (args.flag("simulator") && args.string("base-url") !== undefined) {
    throw new UsageError("--simulator and --base-url cannot be used together");
  }
  const webhookPort = port(args);
  if (webhookPort !== undefined && args.flag("simulator")) {
    throw new UsageError(
      "--webhook-port and --simulator cannot be used together (the simulator's webhooks are delivered in-process)",
    );
  }
  return {
    collections: args.positionals,
    envFile: args.string("env-file"),
    varsFile: args.string("vars-file"),
    variables: args.list("var").map((text) => assignment(text, "var")),
    secrets: args.list("secret").map((text) => assignment(text, "secret")),
    baseUrl: args.string("base-url"),
    simulator: args.flag("simulator"),
    webhookPort,
    dataFile: args.string("data"),
    iterations: wholeNumber(args, "iterations"),
    concurrency: wholeNumber(args, "concurrency"),
    bail: args.flag("bail"),
    folders: args.list("folder"),
    grep: args.string("grep"),
    timeoutMs: wholeNumber(args, "timeout"),
    delayMs: wholeNumber(args, "delay"),
    deadlineMs: wholeNumber(args, "deadline"),
    rateLimit: rateLimit(args.string("rate-limit")),
    reporters,
    out: args.string("out"),
    includeBodies: args.flag("include-bodies"),
    dryRun: args.flag("dry-run"),
    allowOrders: args.flag("allow-orders"),
    exportCaptures: args.string("export-captures"),
  };
}

/** What the files named by the flags hold, already read and parsed. */
export interface RunFiles {
  /** The variables of `--vars-file`. */
  variables: RunVariables;
  /** The secret values of `--vars-file` (a Postman environment's `secret` values). */
  secrets: RunVariables;
  /** The rows of `--data`. */
  data: unknown[] | undefined;
}

/** The runner's input check, passed in so this module does not load the runner. */
export type ParseRunInputs = (value: unknown) => ParseRunInputsResult;

/**
 * The run inputs of the flags and files, checked with the runner's schema, so the CLI accepts
 * exactly what `runCollection` and the Worker accept. `--var` wins over `--vars-file`, `--secret`
 * over both, and a secret's name is never also a variable.
 * @throws UsageError with one line per issue, each naming its flag or file
 */
export function buildRunInputs(flags: RunFlags, files: RunFiles, parse: ParseRunInputs): RunInputs {
  const variables: RunVariables = { ...files.variables, ...Object.fromEntries(flags.variables) };
  const secrets: RunVariables = { ...files.secrets, ...Object.fromEntries(flags.secrets) };
  for (const name of Object.keys(secrets)) delete variables[name];
  const candidate: Record<string, unknown> = { variables, secrets };
  const optional: [string, unknown][] = [
    ["data", files.data],
    ["iterations", flags.iterations],
    ["concurrency", flags.concurrency],
    ["timeoutMs", flags.timeoutMs],
    ["delayMs", flags.delayMs],
    ["deadlineMs", flags.deadlineMs],
    ["rateLimit", flags.rateLimit],
  ];
  for (const [key, value] of optional) if (value !== undefined) candidate[key] = value;
  for (const [key, on] of [
    ["bail", flags.bail],
    ["includeBodies", flags.includeBodies],
    ["dryRun", flags.dryRun],
    ["allowOrders", flags.allowOrders],
  ] as const) {
    if (on) candidate[key] = true;
  }
  const parsed = parse(candidate);
  if (parsed.ok) return parsed.inputs;
  throw inputsError(parsed.issues.map((issue) => describeInputIssue(issue, flags)));
}

/** One usage error for some issue lines: the first is the message, the rest follow it. */
export function inputsError(lines: readonly string[]): UsageError {
  const [first = "invalid run inputs", ...rest] = lines;
  return new UsageError(first, rest);
}

/** The flag of each numeric run input, by the label its messages start with. */
const INPUT_FLAGS: Readonly<Record<string, string>> = {
  iterations: "--iterations",
  concurrency: "--concurrency",
  timeoutMs: "--timeout",
  delayMs: "--delay",
  deadlineMs: "--deadline",
  rateLimit: "--rate-limit",
  "rateLimit.requests": "--rate-limit N",
  "rateLimit.perMs": "--rate-limit MS",
};

/** The segments of a JSON Pointer, unescaped. */
function pointerSegments(path: string): string[] {
  return path
    .split("/")
    .slice(1)
    .map((segment) => segment.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/**
 * An issue of the run inputs as the user gave them: the flag (or file) instead of the input's
 * name. A secret's value is never in an issue (the schema reports names and kinds only).
 */
export function describeInputIssue(issue: CollectionIssue, flags: RunFlags): string {
  const [field = "", name = "", ...inner] = pointerSegments(issue.path);
  const within = (segments: string[]) => (segments.length > 0 ? ` at /${segments.join("/")}` : "");
  switch (field) {
    case "variables":
    case "secrets": {
      const given = (field === "secrets" ? flags.secrets : flags.variables).some(([key]) => key === name);
      const source = given
        ? `--${field === "secrets" ? "secret" : "var"} ${name}`
        : `--vars-file ${flags.varsFile}`;
      return `${source}${within(given ? inner : [name, ...inner])}: ${issue.message}`;
    }
    case "data":
      return `--data ${flags.dataFile}${within(name === "" ? [] : [name, ...inner])}: ${issue.message}`;
    default: {
      const label = [field, name].filter(Boolean).join(".");
      const flag = INPUT_FLAGS[label] ?? INPUT_FLAGS[field];
      if (flag === undefined) return issueLine(issue);
      // "concurrency must be ..." reads "--concurrency must be ..."; other messages get the flag first.
      return issue.message.startsWith(`${label} `)
        ? `${flag} ${issue.message.slice(label.length + 1)}`
        : `${flag}: ${issue.message}`;
    }
  }
}
