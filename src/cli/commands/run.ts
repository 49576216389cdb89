/**
 * `certn-edge run`: loads and checks every input first (exit 2 on any problem, nothing sent),
 * gets the access token (exit 1 with one line when it cannot), then runs the collections one
 * after another with live progress, writes the reports and exits 0 (all passed), 1 (something
 * failed or errored, or the deadline passed), 2 (bad input), 130 (Ctrl-C) or 143 (SIGTERM). With
 * `--webhook-port` a webhook receiver listens for the runs' duration.
 */
import type { WebhookHub } from "../../runner/index.ts";
import { parseArgs } from "../args.ts";
import type { Connection } from "../connection.ts";
import { runPassed } from "../reports.ts";
import type { Output, Runtime } from "../runtime.ts";
import { EXIT } from "../usage-error.ts";
import { WEBHOOK_PATHS, WEBHOOK_SECRET_VARIABLES, type WebhookSecrets } from "../webhook-receiver.ts";
import { runHelp } from "./run-help.ts";
import { type RunOutcome, runCollections } from "./run-loop.ts";
import { RUN_FLAGS, type RunFlags, readRunFlags } from "./run-options.ts";
import { writeRunOutput } from "./run-output.ts";
import { prepareRun, type RunPlan } from "./run-plan.ts";

/** Runs `certn-edge run` and returns the exit code. */
export async function runCommand(argv: readonly string[], runtime: Runtime): Promise<number> {
  const args = parseArgs(argv, RUN_FLAGS, "certn-edge run");
  if (args.flag("help")) {
    runtime.stdout.write(runHelp());
    return EXIT.ok;
  }
  const flags = readRunFlags(args);
  const plan = await prepareRun(flags, runtime);
  const out = progressOutput(flags, runtime);
  announce(out, plan.connection, flags);
  await plan.connection.checkAccess();
  const receiver = await startReceiver(plan, runtime);
  let outcome: RunOutcome;
  try {
    outcome = await runCollections(plan, runtime, out, flags, receiver?.hub);
  } finally {
    // Also after Ctrl-C or a throw: the port is free again before the reports are written.
    await receiver?.close();
  }
  await writeRunOutput(flags, outcome.runs, runtime, out);
  return exitCode(outcome, plan.collections.length, flags, out);
}

/** The `--webhook-port` receiver, listening, or undefined without the flag. */
async function startReceiver(
  plan: RunPlan,
  runtime: Runtime,
): Promise<{ hub: WebhookHub; close(): Promise<void> } | undefined> {
  if (plan.receiver === undefined) return undefined;
  const { createWebhookHub } = await import("../../runner/index.ts");
  const { createWebhookHandler } = await import("../webhook-receiver.ts");
  const { startWebhookServer } = await import("../webhook-server.ts");
  const hub = createWebhookHub();
  const server = await startWebhookServer(
    plan.receiver.port,
    await createWebhookHandler(hub, plan.receiver.secrets),
  );
  runtime.stderr.write(receiverLines(server.url, plan.receiver.secrets));
  return { hub, close: () => server.close() };
}

/** Where the receiver listens and which routes are live (names of variables only, never values). */
function receiverLines(url: string, secrets: WebhookSecrets): string {
  const lines = [`Receiving webhooks at ${url} until the run ends:`];
  for (const source of ["certn", "certncentric"] as const) {
    const route = `POST ${url}${WEBHOOK_PATHS[source]}`;
    const variable = WEBHOOK_SECRET_VARIABLES[source];
    lines.push(
      secrets[source] === undefined
        ? `  ${route}: off, answers 503 (${variable} is not set)`
        : `  ${route}: live (signatures checked with ${variable})`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Progress goes to stdout, unless a machine-readable report is printed there. */
function progressOutput(flags: RunFlags, runtime: Runtime): Output {
  const machineToStdout = flags.out === undefined && flags.reporters.some((name) => name !== "text");
  return machineToStdout ? runtime.stderr : runtime.stdout;
}

/** The run header: where requests go, with which credentials, and the safety notes. */
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

/** The exit code: a run the deadline cut short or an interrupted one is no pass, whatever ran. */
function exitCode(outcome: RunOutcome, planned: number, flags: RunFlags, out: Output): number {
  if (outcome.deadlinePassed) {
    out.write(`The --deadline of ${flags.deadlineMs} ms passed before everything ran.\n`);
    return EXIT.failed;
  }
  if (outcome.interrupted) return outcome.interrupted === "SIGTERM" ? EXIT.terminated : EXIT.interrupted;
  const allRan = outcome.runs.length === planned;
  return allRan && outcome.runs.every(({ result }) => runPassed(result)) ? EXIT.ok : EXIT.failed;
}
