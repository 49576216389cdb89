/**
 * JSON examples of the collection format: whole collections (objects with `items`), request items
 * and assertion lists (marked), checked with the published `parseCollection`, and collections run
 * against the embedded simulator the way `certn-edge run --simulator` runs them.
 */
import { createCertnClient } from "../../../dist/index.js";
import { type RunResult, runCollection } from "../../../dist/runner/index.js";
import { createCertnSimulator } from "../../../dist/simulator/index.js";
import { type DocBlock, markerOf } from "./markdown-blocks.ts";

/** The collection a JSON block stands for, or a reason it stands for none. */
export function collectionOf(block: DocBlock): { collection: unknown } | { problem: string } {
  if (markerOf(block, "assertions")) {
    const assert = block.code
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as unknown);
    return { collection: wrap({ name: "assertions", request: { method: "GET", url: "/" }, assert }) };
  }
  let value: unknown;
  try {
    value = JSON.parse(block.code);
  } catch (error) {
    return { problem: `not JSON (${(error as Error).message}); mark it if it is a fragment` };
  }
  if (markerOf(block, "item")) return { collection: wrap(value) };
  if (typeof value === "object" && value !== null && "items" in value) return { collection: value };
  return {
    problem: "a JSON block that is not a collection (no `items`): mark it (item, assertions or skip)",
  };
}

function wrap(item: unknown): unknown {
  return { formatVersion: 1, name: "documentation example", items: [item] };
}

/** True when every request of the collection goes to CertnCentric's `/api/public/`. */
function isCentric(value: unknown): boolean {
  const urls: string[] = [];
  const walk = (node: unknown): void => {
    if (typeof node !== "object" || node === null) return;
    const record = node as Record<string, unknown>;
    const request = record.request as { url?: unknown } | undefined;
    if (typeof request?.url === "string") urls.push(request.url);
    if (Array.isArray(record.items)) for (const child of record.items) walk(child);
  };
  walk(value);
  return urls.length > 0 && urls.every((url) => url.startsWith("/api/public/"));
}

/**
 * Runs a parsed collection against a fresh embedded simulator, as `--simulator` does: waits move
 * the simulator's clock instead of sleeping, and CertnCentric collections use its API key.
 */
export async function runOnSimulator(collection: Parameters<typeof runCollection>[0]): Promise<RunResult> {
  const simulator = createCertnSimulator({ realTime: true });
  const clock = {
    now: () => simulator.clock.now(),
    sleep: async (ms: number) => {
      if (ms > 0) simulator.clock.advance(ms);
    },
  };
  const shared = { fetch: simulator.fetch, now: clock.now, sleep: clock.sleep };
  const client = isCentric(collection)
    ? createCertnClient({ apiKey: simulator.centric.apiKeys[0] ?? "", apiKeyScheme: "Api-Key", ...shared })
    : createCertnClient({
        clientId: simulator.credentials.clientId,
        clientSecret: simulator.credentials.clientSecret,
        ...shared,
      });
  return runCollection(collection, { client, now: clock.now, sleep: clock.sleep });
}

/** One line per item that did not pass, for a failure message. */
export function describeFailures(result: RunResult): string {
  return result.items
    .filter((item) => item.status === "failed" || item.status === "errored")
    .map((item) => {
      const failed = item.assertions.filter((a) => !a.passed).map((a) => a.message ?? `${a.that} ${a.op}`);
      const reason = item.error ? `${item.error.code}: ${item.error.message}` : failed.join("; ");
      return `${item.path.join(" / ")}: ${item.status} (${reason})`;
    })
    .join("\n");
}
