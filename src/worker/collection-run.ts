/**
 * The `CollectionRun` Workflow (binding `RUNS`): one instance per durable run, named by the run
 * id. Each entry exports a subclass that says how Certn is reached (the production entry: the
 * platform's fetch and the CERTN_* secrets; the development entry: the embedded simulator).
 */
import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import { type DurableRunDeps, executeDurableRun } from "./durable-run.ts";
import type { DurableRunParams, Env } from "./env.ts";

/** The Workflow class of durable runs; override {@link CollectionRunBase.deps} to change how Certn is reached. */
export class CollectionRunBase extends WorkflowEntrypoint<Env, DurableRunParams> {
  /** How this entry reaches Certn (default: the platform's fetch and the CERTN_* secrets). */
  protected deps(): DurableRunDeps {
    return {};
  }

  /**
   * The bindings a run reads, which must be those the entry's webhook receivers read (a wait's
   * secret match values are digested under a key from the webhook secret); default: `this.env`.
   */
  protected runEnv(): Env {
    return this.env;
  }

  override async run(event: Readonly<WorkflowEvent<DurableRunParams>>, step: WorkflowStep): Promise<unknown> {
    return executeDurableRun(this.runEnv(), event, step, this.deps());
  }
}
