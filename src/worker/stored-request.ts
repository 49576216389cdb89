/**
 * What a durable run's record keeps of its request (the `runs.request` column): the collection,
 * where it came from and the sealed inputs. A fan-out child keeps its collection by reference to
 * its parent's record, so the rows of a fan-out store the collection once, however many they are;
 * `getRunRequest` (store/runs.ts) puts it back in place when the child's Workflow reads its request.
 */
import type { Collection } from "../collection/model.ts";
import type { RunRequest } from "./run-execution.ts";

/** What a durable run's record keeps of its request; `inputs` is sealed (it may hold secrets). */
export interface StoredRunRequest {
  collection: Collection;
  collectionId: string | undefined;
  source: RunRequest["source"];
  inputs: string;
  /** A fan-out child's parent and the fan-out's concurrency (see fan-out.ts). */
  parent?: { runId: string; concurrency: number };
}

/**
 * A fan-out child's request as its record stores it: `collectionOf` names the run whose stored
 * request holds the collection (the parent's), instead of a copy of it. Records written before
 * children referred to their parent hold a {@link StoredRunRequest}, collection included; both
 * read back as a {@link StoredRunRequest}.
 */
export type StoredChildRequest = Omit<StoredRunRequest, "collection" | "parent"> & {
  collectionOf: string;
  parent: NonNullable<StoredRunRequest["parent"]>;
};

/** The sealing purpose of a durable run's inputs. */
export const INPUTS_PURPOSE = "inputs";
