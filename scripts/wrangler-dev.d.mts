/** Types of scripts/wrangler-dev.mjs for the tests that import it. */
import type { ChildProcess } from "node:child_process";

export declare const WRANGLER_ENV: Record<string, string>;
export declare function freePort(): Promise<number>;
export declare function spawnWranglerDev(options: {
  config: string;
  port: number;
  persistTo: string;
  vars?: Record<string, string>;
  detached?: boolean;
}): ChildProcess;
export declare function waitForHealth(url: string, child: ChildProcess, timeoutMs?: number): Promise<void>;
export declare function stopProcessGroup(child: ChildProcess): Promise<void>;
