/**
 * Sealing of what a durable run keeps outside the Worker: its inputs in D1 and every step output
 * in the Workflows engine (step outputs hold raw Certn responses, needed to replay assertions).
 * AES-256-GCM under a key derived by HKDF from the Certn secret (CERTN_CLIENT_SECRET, else
 * CERTN_API_KEY) with its own salt and info (never the token cache's key), bound to the run id.
 */
import type { CertnCredentials } from "./config.ts";
import { WorkerError } from "./errors.ts";
import { deriveAesKey, openText, sealText } from "./token-crypto.ts";

const SALT = new TextEncoder().encode("certn-edge/durable-runs");
const INFO = new TextEncoder().encode("certn-edge durable run state v1 aes-256-gcm");

/** The secret a durable run's state is sealed under; a run needs credentials to be durable. */
function sealingSecret(credentials: CertnCredentials): string {
  if (credentials.kind === "client-credentials") return credentials.clientSecret;
  if (credentials.kind === "api-key") return credentials.apiKey;
  throw new WorkerError(
    "CERTN_NOT_CONFIGURED",
    "a durable run needs Certn credentials (its state is sealed under them): set CERTN_CLIENT_ID and CERTN_CLIENT_SECRET, or CERTN_API_KEY",
  );
}

/** Seals and opens the state of one durable run. */
export interface RunSealer {
  seal(purpose: string, value: unknown): Promise<string>;
  /** The value sealed for this run and purpose; throws when it does not open (a rotated secret). */
  open<T>(purpose: string, sealed: string): Promise<T>;
}

/** The sealer of run `runId` under the credentials' secret. */
export async function runSealer(credentials: CertnCredentials, runId: string): Promise<RunSealer> {
  const key = await deriveAesKey(sealingSecret(credentials), SALT, INFO);
  return {
    seal: (purpose, value) => sealText(key, `${runId}\n${purpose}`, JSON.stringify(value)),
    async open<T>(purpose: string, sealed: string): Promise<T> {
      const text = await openText(key, `${runId}\n${purpose}`, sealed);
      if (text === undefined) {
        throw new Error("durable run state does not open: was the Certn secret rotated during the run?");
      }
      return JSON.parse(text) as T;
    },
  };
}

/**
 * The sealer of a monitor's stored inputs, bound to its owner and id (so a row copied to another
 * monitor does not open). Purposes are those of a run's state.
 * @example
 * const sealed = await (await monitorSealer(credentials, "alice", "nightly")).seal("inputs", inputs);
 */
export function monitorSealer(credentials: CertnCredentials, owner: string, id: string): Promise<RunSealer> {
  return runSealer(credentials, `monitor\n${JSON.stringify([owner, id])}`);
}
