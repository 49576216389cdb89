/** Exit codes of every command. */
export const EXIT = {
  /** Everything passed. */
  ok: 0,
  /** Something failed or errored. */
  failed: 1,
  /** Invalid input or usage. */
  usage: 2,
  /** Stopped by Ctrl-C (128 + SIGINT, as shells report it). */
  interrupted: 130,
  /** Stopped by SIGTERM (128 + 15): a CI job cancelled, `docker stop`, `kill`. */
  terminated: 143,
} as const;

/**
 * Invalid input or usage: an unknown flag, a missing file, a malformed data file. The CLI prints
 * the message (never a stack) and exits with {@link EXIT.usage}.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
  /** Extra lines printed after the message (for example validation issues). */
  readonly details: readonly string[];

  constructor(message: string, details: readonly string[] = []) {
    super(message);
    this.details = details;
  }
}
