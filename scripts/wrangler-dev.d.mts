/** Types of scripts/wrangler-dev.mjs for the tests that import it. */
import type { ChildProcess } from "node:child_process";

export declare const WRANGLER_ENV: Record<string, string>;
export declare function freePort(): Promise<number>;
export declare function writeSecretsFile(secrets: Record<string, string>): { path: string; remove(): void };
export declare function spawnWranglerDev(options: {
  config: string;
  port: number;
  persistTo: string;
  /** Plain settings, passed with `--var` (visible in the process list). */
  vars?: Record<string, string>;
  /** Secrets, passed in a private file with `--env-file` (never on the command line). */
  secrets?: Record<string, string>;
  detached?: boolean;
  /** Serve `/__scheduled?cron=...`, which fires the Cron Trigger (wrangler dev --test-scheduled). */
  testScheduled?: boolean;
}): ChildProcess;
/** Applies migrations/ to the local D1 database under `persistTo`; resolves with wrangler's output. */
export declare function applyLocalD1Migrations(options: {
  config: string;
  persistTo: string;
  /** The D1 binding (default "DB"). */
  database?: string;
}): Promise<string>;
export declare function waitForHealth(url: string, child: ChildProcess, timeoutMs?: number): Promise<void>;
export declare function stopProcessGroup(child: ChildProcess): Promise<void>;
