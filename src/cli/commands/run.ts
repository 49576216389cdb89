/**
 * `certn-edge run`: loads and checks every input first (exit 2 on any problem, nothing sent),
 * then runs the collections one after another with live progress, writes the reports and exits
 * 0 (all passed), 1 (something failed or errored) or 2 (bad input).
 */
import type { Collection, Variables } from "../../collection/model.ts";
import type { RunResult } from "../../runner/index.ts";
import { parseArgs } from "../args.ts";
import { type CollectionFile, resolveCollectionFiles } from "../collection-files.ts";
import { type Connection, connect } from "../connection.ts";
import { parseDataRows } from "../data-file.ts";
import { parseEnvFile } from "../env-file.ts";
import { createProgress, progressOptions } from "../progress.ts";
import {
  type Reporters,
  renderCombined,
  renderReport,
  reportBaseNames,
  reportPath,
  runPassed,
  summaryLine,
} from "../reports.ts";
import type { Output, Runtime } from "../runtime.ts";
import { selectItems } from "../select.ts";
import { EXIT, UsageError } from "../usage-error.ts";
import { readVariablesFile } from "../vars-file.ts";
import { RUN_FLAGS, type RunFlags, readRunFlags, runHelp } from "./run-options.ts";

/** A collection ready to run. */
interface Loaded {
  file: CollectionFile;
  collection: Collection;
}

async function readInput(runtime: Runtime, path: string, flag: string): Promise<string> {
  try {
    return await runtime.readText(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new UsageError(`${flag} ${path}: ${code === "ENOENT" ? "no such file" : "cannot be read"}`);
  }
}

/** Reads, validates and narrows every collection; all issues of all files are reported together. */
async function loadCollections(flags: RunFlags, runtime: Runtime): Promise<Loaded[]> {
  const { parseCollection } = await import("../../runner/index.ts");
  const files = await resolveCollectionFiles(flags.collections, runtime);
  const loaded: Loaded[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const text = await readInput(runtime, file.path, "collection");
    const parsed = parseCollection(text);
    if (!parsed.ok) {
      problems.push(`${file.shown}: ${parsed.issues.length} issue${parsed.issues.length === 1 ? "" : "s"}`);
      for (const issue of parsed.issues) problems.push(`  ${issue.path || "/"}: ${issue.message}`);
      continue;
    }
    const selected = selectItems(parsed.collection, { folders: flags.folders, grep: flags.grep }, file.shown);
    loaded.push({ file, collection: selected });
  }
  if (problems.length > 0) throw new UsageError("invalid collection (nothing was run)", problems);
  return loaded;
}

async function loadVariables(
  flags: RunFlags,
  runtime: Runtime,
): Promise<{ variables: Variables; secrets: Variables }> {
  const variables: Variables = {};
  const secrets: Variables = {};
  if (flags.varsFile !== undefined) {
    const text = await readInput(runtime, flags.varsFile, "--vars-file");
    const file = await readVariablesFile(text, flags.varsFile);
    Object.assign(variables, file.variables);
    Object.assign(secrets, file.secrets);
    for (const warning of file.warnings) runtime.stderr.write(`certn-edge: ${flags.varsFile}: ${warning}\n`);
  }
  for (const [name, value] of flags.variables) variables[name] = value;
  for (const [name, value] of flags.secrets) {
    secrets[name] = value;
    delete variables[name];
  }
  return { variables, secrets };
}

/** Captured values that can be variables again (strings, numbers, booleans), last one wins. */
function capturedVariables(results: readonly RunResult[]): Variables {
  const captured: Variables = {};
  for (const result of results) {
    for (const item of result.items) {
      for (const [name, value] of Object.entries(item.captures ?? {})) {
        if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
          captured[name] = value;
        }
      }
    }
  }
  return captured;
}

/** Runs `certn-edge run` and returns the exit code. */
export async function runCommand(argv: readonly string[], runtime: Runtime): Promise<number> {
  const args = parseArgs(argv, RUN_FLAGS, "certn-edge run");
  if (args.flag("help")) {
    runtime.stdout.write(runHelp());
    return EXIT.ok;
  }
  const flags = readRunFlags(args);

  // Everything is read and checked before anything is sent.
  const fileEnv =
    flags.envFile === undefined
      ? {}
      : parseEnvFile(await readInput(runtime, flags.envFile, "--env-file"), flags.envFile);
  const env = { ...runtime.env, ...fileEnv };
  const loaded = await loadCollections(flags, runtime);
  const { variables, secrets } = await loadVariables(flags, runtime);
  const data =
    flags.dataFile === undefined
      ? undefined
      : parseDataRows(await readInput(runtime, flags.dataFile, "--data"), flags.dataFile);
  const connection = await connect({
    simulator: flags.simulator,
    baseUrl: flags.baseUrl,
    dryRun: flags.dryRun,
    env,
    timeoutMs: flags.timeoutMs,
  });

  const machineToStdout = flags.out === undefined && flags.reporters.some((name) => name !== "text");
  const progressOut: Output = machineToStdout ? runtime.stderr : runtime.stdout;
  const progress = createProgress(progressOut, progressOptions(progressOut, runtime.env));
  announce(progressOut, connection, flags);

  const runner = await import("../../runner/index.ts");
  const interrupt = new AbortController();
  let interrupted = false;
  const stopListening = runtime.onInterrupt(() => {
    interrupted = true;
    interrupt.abort();
  });
  const commandStart = Date.now();
  // On simulated time every wait of the runner passes at once, its deadline timer included; so
  // against the simulator the deadline is a real timer that stops the run like Ctrl-C.
  let deadlineHit = false;
  const deadlineTimer =
    flags.deadlineMs !== undefined && connection.clock
      ? setTimeout(() => {
          deadlineHit = true;
          interrupt.abort();
        }, flags.deadlineMs)
      : undefined;
  const runnerDeadline = flags.deadlineMs !== undefined && !connection.clock;
  const runs: { file: CollectionFile; result: RunResult }[] = [];
  let stoppedEarly = false;
  try {
    for (const [index, { file, collection }] of loaded.entries()) {
      const remaining =
        flags.deadlineMs === undefined ? undefined : flags.deadlineMs - (Date.now() - commandStart);
      if (remaining !== undefined && remaining <= 0) deadlineHit = true;
      if (interrupt.signal.aborted || deadlineHit || stoppedEarly) {
        const why = deadlineHit ? "deadline passed" : interrupted ? "interrupted" : "--bail";
        progressOut.write(`Not run: ${file.shown} (${why})\n`);
        continue;
      }
      if (index > 0) progressOut.write("\n");
      progressOut.write(`Running "${collection.name}" (${file.shown})\n`);
      const result = await startRun(() =>
        runner.runCollection(collection, {
          client: connection.clientFor(collection),
          variables,
          secrets,
          ...(data === undefined ? {} : { data }),
          ...(flags.iterations === undefined ? {} : { iterations: flags.iterations }),
          ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
          ...(flags.bail ? { bail: true } : {}),
          ...(flags.timeoutMs === undefined ? {} : { timeoutMs: flags.timeoutMs }),
          ...(flags.delayMs === undefined ? {} : { delayMs: flags.delayMs }),
          ...(runnerDeadline && remaining !== undefined ? { deadlineMs: remaining } : {}),
          ...(flags.rateLimit === undefined ? {} : { rateLimit: flags.rateLimit }),
          includeBodies: flags.includeBodies,
          dryRun: flags.dryRun,
          allowOrders: flags.allowOrders,
          signal: interrupt.signal,
          onEvent: (event) => progress.onEvent(event),
          ...(connection.clock ? { now: connection.clock.now, sleep: connection.clock.sleep } : {}),
        }),
      );
      progress.close();
      runs.push({ file, result });
      progressOut.write(`${summaryLine(result.summary, result.durationMs)}\n`);
      if (flags.bail && !runPassed(result)) stoppedEarly = true;
    }
  } finally {
    stopListening();
    if (deadlineTimer !== undefined) clearTimeout(deadlineTimer);
    progress.close();
  }

  const results = runs.map(({ result }) => result);
  if (results.length > 1) {
    const passed = results.filter(runPassed).length;
    progressOut.write(
      `\n${results.length} collections: ${passed} passed, ${results.length - passed} failed\n`,
    );
  }
  await writeReports(flags, runs, runtime, runner);
  if (flags.exportCaptures !== undefined) {
    await runtime.writeText(flags.exportCaptures, `${JSON.stringify(capturedVariables(results), null, 2)}\n`);
    progressOut.write(`Captured variables written to ${flags.exportCaptures}\n`);
  }
  // Items the deadline kept from running make the run incomplete, which is not a pass.
  if (
    deadlineHit ||
    results.some((result) => result.items.some((item) => /deadline/.test(item.skipReason ?? "")))
  ) {
    progressOut.write(`The --deadline of ${flags.deadlineMs} ms passed before everything ran.\n`);
    return EXIT.failed;
  }
  if (interrupted) return 130;
  const allRan = runs.length === loaded.length;
  return allRan && results.every(runPassed) ? EXIT.ok : EXIT.failed;
}

/**
 * The runner refuses impossible settings (too many iterations for the data set, for example) with a
 * TypeError before sending anything; for the CLI that is bad input.
 */
async function startRun(run: () => Promise<RunResult>): Promise<RunResult> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof TypeError)
      throw new UsageError(error.message.replace(/^runCollection: (options\.)?/, ""));
    throw error;
  }
}

function announce(out: Output, connection: Connection, flags: RunFlags): void {
  const lines = [
    `Target: ${connection.target}${connection.credentialSource ? ` (credentials from ${connection.credentialSource})` : ""}`,
  ];
  if (flags.dryRun) lines.push("Dry run: nothing will be sent.");
  if (connection.production) {
    lines.push(
      flags.allowOrders
        ? "PRODUCTION API with --allow-orders: order requests will be sent and cost money."
        : "PRODUCTION API: requests that order checks are refused (CERTN_ORDER_GUARD) unless --allow-orders is given.",
    );
  }
  out.write(`${lines.join("\n")}\n`);
}

async function writeReports(
  flags: RunFlags,
  runs: readonly { file: CollectionFile; result: RunResult }[],
  runtime: Runtime,
  reporters: Reporters,
): Promise<void> {
  const results = runs.map(({ result }) => result);
  if (flags.out === undefined) {
    // Even when nothing ran, a machine-readable stdout stays parseable (an empty list).
    for (const name of flags.reporters) {
      if (name !== "text") runtime.stdout.write(renderCombined(name, results, reporters));
    }
    return;
  }
  const out = flags.out;
  const names = reportBaseNames(runs.map(({ file }) => file.id));
  const written: string[] = [];
  for (const [index, result] of results.entries()) {
    for (const name of flags.reporters) {
      const path = reportPath(out, names[index]!, name);
      await runtime.writeText(path, renderReport(name, result, reporters));
      written.push(path);
    }
  }
  runtime.stdout.write(`Reports: ${written.join(", ")}\n`);
}
