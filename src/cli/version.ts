/** The package version, read from the package.json shipped beside `dist/` (and `src/`). */
import { join } from "node:path";
import type { Runtime } from "./runtime.ts";

/** `certn-edge 0.1.0`. */
export async function readVersion(runtime: Runtime): Promise<string> {
  const text = await runtime.readText(join(runtime.packageRoot, "package.json"));
  const version = (JSON.parse(text) as { version?: unknown }).version;
  return `certn-edge ${typeof version === "string" ? version : "(unknown version)"}`;
}
