/** What the Workflows engine says of a durable run's instance, read the same way everywhere. */
import type { DurableRunParams } from "./env.ts";

/** Engine statuses of an instance that will not write its run's record again. */
export const ENDED_ENGINE_STATUSES: ReadonlySet<string> = new Set(["errored", "terminated", "complete"]);

/**
 * What {@link instanceStatus} says when the engine has no instance of that id: for a run whose
 * instance must exist (a top-level run's is created right after its record), one that never came
 * (its start died between the two) and never will.
 */
export const NO_INSTANCE = "not-found";

/**
 * The engine status of run `runId`'s instance; {@link NO_INSTANCE} when the engine has none
 * (`instance.not_found`); "unknown" when the engine did not answer: never a reason to change a
 * record.
 * @example
 * if (ENDED_ENGINE_STATUSES.has(await instanceStatus(env.RUNS, runId))) markErrored(runId);
 */
export async function instanceStatus(runs: Workflow<DurableRunParams>, runId: string): Promise<string> {
  try {
    return (await (await runs.get(runId)).status()).status;
  } catch (error) {
    return error instanceof Error && error.message.includes("instance.not_found") ? NO_INSTANCE : "unknown";
  }
}
