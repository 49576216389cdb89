/** What the Workflows engine says of a durable run's instance, read the same way everywhere. */
import type { DurableRunParams } from "./env.ts";

/** Engine statuses of an instance that will not write its run's record again. */
export const ENDED_ENGINE_STATUSES: ReadonlySet<string> = new Set(["errored", "terminated", "complete"]);

/**
 * The engine status of run `runId`'s instance, or "unknown" when it cannot be read (no instance
 * yet, or the engine did not answer): never a reason to change a record.
 * @example
 * if (ENDED_ENGINE_STATUSES.has(await instanceStatus(env.RUNS, runId))) markErrored(runId);
 */
export async function instanceStatus(runs: Workflow<DurableRunParams>, runId: string): Promise<string> {
  try {
    return (await (await runs.get(runId)).status()).status;
  } catch {
    return "unknown";
  }
}
