/**
 * A command that cannot go on for a reason outside the user's input (Certn's token endpoint cannot
 * be reached, or refuses the credentials): the CLI prints the message as one line, without a
 * stack, and exits with {@link EXIT.failed}.
 */
import { EXIT } from "./usage-error.ts";

/** Ends a command with one line and exit code 1. The message must be safe to print (no secret). */
export class CommandFailure extends Error {
  override readonly name = "CommandFailure";
  /** The exit code: something failed, the input itself was fine. */
  readonly exitCode = EXIT.failed;
}
