/**
 * The published declarations are self-contained: a project that installs the packed tarball and
 * imports every entry point typechecks with `skipLibCheck: false` whether it sees Node's globals
 * only (`lib: ["ES2022"]`, `types: ["node"]`, no DOM), the browser's (`lib: ["ES2022", "DOM"]`) or
 * the Workers runtime's (`@cloudflare/workers-types`). So the .d.ts files may name only what all
 * three declare (`Request`, `Response`, `Headers`, `RequestInit`, `AbortSignal`...), never
 * DOM-only names such as `HeadersInit` or `RequestInfo`, nor a package that is not installed with
 * certn-edge (hono, valibot...).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installPacked, ROOT } from "./helpers/packed.ts";

let project: string;

/** Uses every entry point, with the types a caller would write. */
const CONSUMER = `
import * as root from "certn-edge";
import { type CertnClient, createCertnClient, type RequestOptions, type TokenStore } from "certn-edge";
import { parseCollection, runCollection, type RunResult } from "certn-edge/runner";
import { type CertnCentricEvent, parseCertnCentricEvent, verifyCertnSignature } from "certn-edge/webhooks";
import { type CertnSimulator, createCertnSimulator } from "certn-edge/simulator";
import { type ServedCertnSimulator, serveCertnSimulator } from "certn-edge/simulator/node";

const sim: CertnSimulator = createCertnSimulator();
const store: TokenStore = root.createMemoryTokenStore();
const client: CertnClient = createCertnClient({ ...sim.credentials, fetch: sim.fetch, tokenStore: store });
const options: RequestOptions = { headers: { accept: "application/json" }, query: { page: 1 } };
const withHeaders: RequestOptions = { headers: new Headers([["accept", "application/json"]]) };
const response: Promise<Response> = client.fetch(new Request("https://demo-api.certn.co/api/v1/teams/"));
const viaSim: Promise<Response> = sim.fetch("/api/v1/teams/", { method: "GET" });

export async function everything(body: string, header: string): Promise<RunResult | undefined> {
  const served: ServedCertnSimulator = await serveCertnSimulator({ port: 0 });
  await served.close();
  await client.request("GET", "/api/v1/teams/", options);
  await client.request("GET", "/api/v1/teams/", withHeaders);
  await response;
  await viaSim;
  const signature = await verifyCertnSignature({ header, body, secret: "s" });
  if (!signature.ok) return undefined;
  const event: CertnCentricEvent = parseCertnCentricEvent(body);
  if (event.eventType === "CASE_STATUS_CHANGED") throw new root.CertnError(root.CertnErrorCode.NETWORK, "x");
  const parsed = parseCollection(body);
  return parsed.ok ? runCollection(parsed.collection, { client }) : undefined;
}
`;

/** One consumer project's compiler options. */
const PROJECTS: Record<string, Record<string, unknown>> = {
  "Node without the DOM library": {
    lib: ["ES2022"],
    types: ["node"],
    module: "NodeNext",
    moduleResolution: "NodeNext",
  },
  "a browser project (ES2022 + DOM)": {
    lib: ["ES2022", "DOM"],
    types: [],
    module: "ESNext",
    moduleResolution: "Bundler",
  },
  "a Workers project (@cloudflare/workers-types)": {
    lib: ["ES2022"],
    types: ["@cloudflare/workers-types"],
    module: "ESNext",
    moduleResolution: "Bundler",
  },
};

beforeAll(() => {
  ({ project } = installPacked("certn-types-"));
  // The consumer's own type packages, as its package.json would bring them.
  mkdirSync(join(project, "node_modules/@types"), { recursive: true });
  mkdirSync(join(project, "node_modules/@cloudflare"), { recursive: true });
  for (const name of ["@types/node", "@cloudflare/workers-types"]) {
    symlinkSync(join(ROOT, "node_modules", name), join(project, "node_modules", name), "dir");
  }
  writeFileSync(join(project, "consumer.ts"), CONSUMER);
}, 300_000);

afterAll(() => rmSync(project, { recursive: true, force: true }));

describe("the published declarations typecheck with skipLibCheck: false in", () => {
  for (const [name, options] of Object.entries(PROJECTS)) {
    it(name, () => {
      const config = `tsconfig.${name.replace(/\W+/g, "-")}.json`;
      writeFileSync(
        join(project, config),
        JSON.stringify({
          compilerOptions: {
            target: "ES2022",
            strict: true,
            exactOptionalPropertyTypes: true,
            skipLibCheck: false,
            noEmit: true,
            ...options,
          },
          files: ["consumer.ts"],
        }),
      );
      const tsc = spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", config], {
        cwd: project,
        encoding: "utf8",
      });
      expect(`${tsc.stdout}${tsc.stderr}`.trim()).toBe("");
      expect(tsc.status).toBe(0);
    }, 120_000);
  }
});
