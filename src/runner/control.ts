/**
 * What may still start in a run: the bail flag, the deadline and the caller's abort. One abort
 * signal, owned by the run, reaches every attempt in flight and every wait.
 */
import type { Clock } from "./clock.ts";
import { RunnerErrorCode, RunStopped } from "./errors.ts";

/** Stop conditions of one run. */
export class RunControl {
  readonly #controller = new AbortController();
  readonly #finished = new AbortController();
  readonly #clock: Clock;
  readonly #deadlineAt: number | undefined;
  readonly #detach: () => void;
  #bailed = false;
  #stopped: RunStopped | undefined;

  constructor(clock: Clock, deadlineMs: number | undefined, callerSignal: AbortSignal | undefined) {
    this.#clock = clock;
    this.#deadlineAt = deadlineMs === undefined ? undefined : clock.now() + deadlineMs;
    if (deadlineMs !== undefined) {
      clock.sleep(deadlineMs, this.#finished.signal).then(
        () => {
          if (!this.#finished.signal.aborted) this.stopForDeadline();
        },
        () => undefined,
      );
    }
    const onAbort = (): void =>
      this.#stop(new RunStopped(RunnerErrorCode.ABORTED, "the run was aborted by its caller"));
    if (callerSignal?.aborted) onAbort();
    else callerSignal?.addEventListener("abort", onAbort, { once: true });
    this.#detach = () => callerSignal?.removeEventListener("abort", onAbort);
  }

  /** Aborted when the run stops (deadline or caller); its reason is the {@link RunStopped}. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Why the run stopped, if it did. */
  get stopped(): RunStopped | undefined {
    return this.#stopped;
  }

  /** Records a failed or errored item under `bail`: nothing new starts. */
  bail(): void {
    this.#bailed = true;
  }

  /** Why a new item may not start, or undefined when it may. */
  skipReason(): string | undefined {
    if (this.#stopped === undefined && this.remainingMs() === 0) this.stopForDeadline();
    if (this.#stopped) {
      return this.#stopped.code === RunnerErrorCode.DEADLINE
        ? "the run deadline passed before this item started"
        : "the run was aborted before this item started";
    }
    if (this.#bailed) return "an earlier item failed and bail is on";
    return undefined;
  }

  /** Milliseconds left before the deadline (0 once passed), or undefined without a deadline. */
  remainingMs(): number | undefined {
    if (this.#deadlineAt === undefined) return undefined;
    return Math.max(0, this.#deadlineAt - this.#clock.now());
  }

  /** Stops the run because its deadline passed: attempts in flight are aborted. */
  stopForDeadline(): void {
    this.#stop(
      new RunStopped(RunnerErrorCode.DEADLINE, "the run deadline passed; the attempt in flight was aborted"),
    );
  }

  /** Releases the deadline timer and the caller's signal; call once the run is over. */
  finish(): void {
    this.#finished.abort();
    this.#detach();
  }

  #stop(reason: RunStopped): void {
    if (this.#stopped) return;
    this.#stopped = reason;
    this.#controller.abort(reason);
  }
}
