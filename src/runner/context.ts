/** What every item of a run shares: the transport, clock, limiter, redactor, stop control, events. */
import type { Transport } from "../core/transport-types.ts";
import type { Redactor } from "../results/redact.ts";
import type { RunEvent } from "../results/result.ts";
import type { Clock } from "./clock.ts";
import type { RunControl } from "./control.ts";
import type { DurableSteps } from "./durable-steps.ts";
import type { RunSettings } from "./options.ts";
import type { RateBudget } from "./rate-limiter.ts";
import type { WebhookEventSource } from "./webhook-events.ts";

/** The state of one run, shared by its iterations. */
export interface RunContext {
  client: Transport;
  clock: Clock;
  limiter: RateBudget | undefined;
  /**
   * The run's redactor: declared secrets, the transport's credentials and tokens, personal-named
   * variables. Each iteration records through a fork of it (`IterationState.redactor`).
   */
  redactor: Redactor;
  secretNames: ReadonlySet<string>;
  /** Names some item captures into, so a dry run can stand in for them. */
  captureNames: ReadonlySet<string>;
  settings: RunSettings;
  control: RunControl;
  emit(event: RunEvent): void;
  /** Whether anyone listens to `emit`: without a listener, events are not even built. */
  listening: boolean;
  /** Counts one HTTP request sent to the API. */
  countRequest(): void;
  /** A durable engine's steps, when the run is durable (see `durable-steps.ts`). */
  steps: DurableSteps | undefined;
  /** Where webhook events come from, for `wakeOn` and `wait` items. */
  webhooks: WebhookEventSource | undefined;
}

/** Per-iteration state the items of one iteration share. */
export interface IterationState {
  iteration: number;
  /**
   * Whether a request was already sent in this iteration, or in an earlier one its worker ran
   * (for `delayMs`, which pauses between any two requests sent one after the other).
   */
  sentAny: boolean;
  /**
   * What every result of this iteration is recorded through: the run's redactor plus the personal
   * values this iteration's data row holds and its captures picked up, so a captured email sent
   * in a later URL is masked there too, without slowing other iterations down.
   */
  redactor: Redactor;
}
