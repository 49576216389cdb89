/**
 * Everything `certn-edge run` reads and checks before it sends anything: the env file, the
 * collections, the variables and data files, the run inputs (with the runner's schema) and the
 * connection. Any problem is a UsageError (exit 2), and nothing has been sent.
 */

import type { Collection } from "../../collection/model.ts";
import { issueLine } from "../../core/json.ts";
import { printable } from "../../core/printable.ts";
import type { RunInputs } from "../../runner/index.ts";
import { type CollectionFile, resolveCollectionFiles } from "../collection-files.ts";
import { type Connection, connect } from "../connection.ts";
import { parseDataRows } from "../data-file.ts";
import { parseEnvFile } from "../env-file.ts";
import { type Runtime, readFailure, writeFailure } from "../runtime.ts";
import { selectItems } from "../select.ts";
import { UsageError } from "../usage-error.ts";
import { readVariablesFile } from "../vars-file.ts";
import { WEBHOOK_SECRET_VARIABLES, type WebhookSecrets, webhookSecretsFrom } from "../webhook-receiver.ts";
import {
  buildRunInputs,
  describeInputIssue,
  inputsError,
  type RunFiles,
  type RunFlags,
} from "./run-options.ts";

/** The runner's entry, loaded on demand. */
type Runner = typeof import("../../runner/index.ts");

/** A collection ready to run, with the file it came from. */
export interface LoadedCollection {
  file: CollectionFile;
  collection: Collection;
}

/** A checked run, ready to start. */
export interface RunPlan {
  collections: LoadedCollection[];
  /** The run inputs of every collection, except the deadline, which covers the whole command. */
  inputs: Omit<RunInputs, "deadlineMs">;
  /** The whole command's limit (`--deadline`), in ms. */
  deadlineMs: number | undefined;
  connection: Connection;
  /** `--webhook-port`: where to listen and the secrets of the live routes. */
  receiver: { port: number; secrets: WebhookSecrets } | undefined;
}

/** Reads a file a flag names. @throws UsageError naming the flag and the file */
async function readInput(runtime: Runtime, path: string, flag: string): Promise<string> {
  try {
    return await runtime.readText(path);
  } catch (error) {
    throw new UsageError(`${flag} ${path}: ${readFailure(error)}`);
  }
}

/**
 * `--out` and `--export-captures`, checked before anything is sent: a run of paid checks must not
 * end unable to write what it found. The `--out` folder is made now (with its parents) and a file
 * made in it and removed, the `--export-captures` file likewise: the one sure check that they can
 * be written (a read-only folder, a file where a folder must go). @throws UsageError naming the
 * flag and the path
 */
async function checkOutputs(flags: RunFlags, runtime: Runtime): Promise<void> {
  if (flags.out !== undefined) {
    const out = flags.out;
    if ((await runtime.kind(out)) === "file") {
      throw new UsageError(`--out ${out}: a file is there; --out names a folder (made when missing)`);
    }
    await runtime.checkWritable(out, "folder").catch((error: unknown) => {
      throw new UsageError(`--out ${out}: the reports cannot be written there${writeFailure(error)}`);
    });
  }
  const captures = flags.exportCaptures;
  if (captures === undefined) return;
  if ((await runtime.kind(captures)) === "directory") {
    throw new UsageError(`--export-captures ${captures}: a folder is there; it names the file to write`);
  }
  await runtime.checkWritable(captures, "file").catch((error: unknown) => {
    throw new UsageError(`--export-captures ${captures}: the file cannot be written${writeFailure(error)}`);
  });
}

/** The process environment, with `--env-file` on top. */
async function loadEnv(
  flags: RunFlags,
  runtime: Runtime,
): Promise<Readonly<Record<string, string | undefined>>> {
  if (flags.envFile === undefined) return runtime.env;
  const fileEnv = parseEnvFile(await readInput(runtime, flags.envFile, "--env-file"), flags.envFile);
  return { ...runtime.env, ...fileEnv };
}

/** Reads, validates and narrows every collection; all issues of all files are reported together. */
async function loadCollections(
  flags: RunFlags,
  runtime: Runtime,
  runner: Runner,
): Promise<LoadedCollection[]> {
  const files = await resolveCollectionFiles(flags.collections, runtime);
  const loaded: LoadedCollection[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const parsed = runner.parseCollection(await readInput(runtime, file.path, "collection"));
    if (!parsed.ok) {
      problems.push(`${file.shown}: ${parsed.issues.length} issue${parsed.issues.length === 1 ? "" : "s"}`);
      for (const issue of parsed.issues) problems.push(`  ${issueLine(issue)}`);
      continue;
    }
    const selected = selectItems(parsed.collection, { folders: flags.folders, grep: flags.grep }, file.shown);
    loaded.push({ file, collection: selected });
  }
  if (problems.length > 0) throw new UsageError("invalid collection (nothing was run)", problems);
  return loaded;
}

/** Reads `--vars-file` and `--data`; their values are checked later, as run inputs. */
async function loadFiles(flags: RunFlags, runtime: Runtime): Promise<RunFiles> {
  const files: RunFiles = { variables: {}, secrets: {}, data: undefined };
  if (flags.varsFile !== undefined) {
    const text = await readInput(runtime, flags.varsFile, "--vars-file");
    const file = await readVariablesFile(text, flags.varsFile);
    files.variables = file.variables;
    files.secrets = file.secrets;
    for (const warning of file.warnings) {
      runtime.stderr.write(`certn-edge: ${flags.varsFile}: ${printable(warning)}\n`);
    }
  }
  if (flags.dataFile !== undefined) {
    files.data = parseDataRows(await readInput(runtime, flags.dataFile, "--data"), flags.dataFile);
  }
  return files;
}

/**
 * Checks the inputs against each collection's own options (its `options.iterations` times the
 * data rows must stay within the limit), so no collection is refused after another already ran.
 */
function checkSettings(
  collections: readonly LoadedCollection[],
  inputs: RunInputs,
  flags: RunFlags,
  runner: Runner,
): void {
  const lines: string[] = [];
  for (const { file, collection } of collections) {
    const resolved = runner.resolveRunSettings(collection, inputs);
    if (resolved.ok) continue;
    for (const issue of resolved.issues) {
      lines.push(
        issue.path.startsWith("/options/")
          ? `${file.shown}: ${issue.path}: ${issue.message}`
          : describeInputIssue(issue, flags),
      );
    }
  }
  if (lines.length > 0) throw inputsError([...new Set(lines)]);
}

/**
 * The webhook secrets `--webhook-port` checks signatures with.
 * @throws UsageError when neither is set
 */
function receiverSecrets(env: Readonly<Record<string, string | undefined>>): WebhookSecrets {
  const secrets = webhookSecretsFrom(env);
  if (secrets.certn === undefined && secrets.certncentric === undefined) {
    throw new UsageError(
      `--webhook-port needs a webhook signing secret: set ${WEBHOOK_SECRET_VARIABLES.certn} (partner API webhooks) and/or ${WEBHOOK_SECRET_VARIABLES.certncentric} (CertnCentric webhooks) in the environment or --env-file`,
    );
  }
  return secrets;
}

/**
 * Reads and checks everything a run needs, in the order a user fixes things: files, collections,
 * inputs, webhook secrets, then credentials.
 * @throws UsageError for anything invalid (nothing is sent)
 */
export async function prepareRun(flags: RunFlags, runtime: Runtime): Promise<RunPlan> {
  const runner = await import("../../runner/index.ts");
  const env = await loadEnv(flags, runtime);
  const collections = await loadCollections(flags, runtime, runner);
  const { deadlineMs, ...inputs } = buildRunInputs(
    flags,
    await loadFiles(flags, runtime),
    runner.parseRunInputs,
  );
  checkSettings(collections, inputs, flags, runner);
  await checkOutputs(flags, runtime);
  const receiver =
    flags.webhookPort === undefined ? undefined : { port: flags.webhookPort, secrets: receiverSecrets(env) };
  const connection = await connect({
    simulator: flags.simulator,
    baseUrl: flags.baseUrl,
    dryRun: flags.dryRun,
    env,
    timeoutMs: flags.timeoutMs,
  });
  return { collections, inputs, deadlineMs, connection, receiver };
}
