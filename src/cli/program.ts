/**
 * The command dispatcher. It imports each command only when it is asked for, so `--version` and
 * `--help` load nothing but this file, the help text and the runtime adapter.
 */
import { printable } from "../core/printable.ts";
import { CommandFailure } from "./command-failure.ts";
import { COMMANDS, mainHelp } from "./help.ts";
import type { Runtime } from "./runtime.ts";
import { EXIT, UsageError } from "./usage-error.ts";
import { readVersion } from "./version.ts";

/** Runs one command line and returns the exit code. */
export async function main(argv: readonly string[], runtime: Runtime): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined) {
      runtime.stderr.write(mainHelp());
      return EXIT.usage;
    }
    if (command === "--version" || command === "-V" || command === "version") {
      runtime.stdout.write(`${await readVersion(runtime)}\n`);
      return EXIT.ok;
    }
    if (command === "--help" || command === "-h" || command === "help") {
      const topic = rest[0];
      if (topic !== undefined && topic in COMMANDS) return main([topic, "--help"], runtime);
      runtime.stdout.write(mainHelp());
      return EXIT.ok;
    }
    switch (command) {
      case "run":
        return await (await import("./commands/run.ts")).runCommand(rest, runtime);
      case "validate":
        return await (await import("./commands/validate.ts")).validateCommand(rest, runtime);
      case "import-postman":
        return await (await import("./commands/import-postman.ts")).importPostmanCommand(rest, runtime);
      default:
        throw new UsageError(
          command.startsWith("-")
            ? `unknown option ${command} (see certn-edge --help)`
            : `unknown command "${command}"; commands: ${Object.keys(COMMANDS).join(", ")} (see certn-edge --help)`,
        );
    }
  } catch (error) {
    return reportError(error, runtime);
  }
}

/** Prints an error without a stack (usage errors exit 2, anything else 1). */
export function reportError(error: unknown, runtime: Runtime): number {
  if (error instanceof UsageError) {
    runtime.stderr.write(`certn-edge: ${printableLines(error.message)}\n`);
    for (const line of error.details) runtime.stderr.write(`${printable(line)}\n`);
    return EXIT.usage;
  }
  if (error instanceof CommandFailure) {
    runtime.stderr.write(`certn-edge: ${printableLines(error.message)}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  runtime.stderr.write(`certn-edge: unexpected error: ${printableLines(message)}\n`);
  return EXIT.failed;
}

/**
 * A message that may quote a collection or a file (an issue, a name), its lines kept and every
 * other control character escaped, so it cannot drive the terminal.
 */
function printableLines(message: string): string {
  return message.split("\n").map(printable).join("\n");
}
