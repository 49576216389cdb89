/**
 * `certn-edge run --export-captures` against an API on 127.0.0.1: a Set-Cookie value (a credential)
 * reaches no report and no exported variable, and every capture left out of the file is named on
 * stderr with the reason, objects and arrays that hold a secret included.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunResult } from "../../../src/results/result.ts";
import { LOCAL_API_KEY, type LocalApi, startLocalApi } from "../runner/local-api.ts";
import { runCli, useBuiltCli } from "./helpers/built-cli.ts";

const SESSION = "SESSIONSECRET123";
const SECRET = "hunter2";

const cli = useBuiltCli("certn-cli-export-captures-");
let api: LocalApi;

beforeAll(async () => {
  api = await startLocalApi({
    "/cookie": () => ({ headers: { "set-cookie": [`sid=${SESSION}; Path=/`, "b=2"] }, body: { id: "a-1" } }),
    "/echo": (request) => ({
      body: { query: Object.fromEntries(new URL(request.url, api.origin).searchParams) },
    }),
  });
});

afterAll(() => api.close());

function collectionFile(name: string, items: unknown[]): string {
  const path = join(cli.work, `${name}.json`);
  writeFileSync(path, JSON.stringify({ formatVersion: 1, name, items }));
  return path;
}

async function run(file: string, captures: string, extra: string[] = []) {
  const outcome = await runCli(
    cli.main,
    ["run", file, "--base-url", api.origin, "--reporter", "json", "--export-captures", captures, ...extra],
    { env: { CERTN_API_KEY: LOCAL_API_KEY } },
  );
  return { ...outcome, exported: JSON.parse(readFileSync(captures, "utf8")) as Record<string, unknown> };
}

describe("--export-captures", () => {
  it("leaves a Set-Cookie value out of the reports and the file, and names it", async () => {
    const file = collectionFile("cookie", [
      {
        name: "login",
        auth: "none",
        request: { method: "GET", url: "/cookie" },
        capture: { sid: "header set-cookie", id: "$.id" },
        assert: [{ that: "header set-cookie", equals: "x" }],
      },
      {
        name: "use session",
        auth: "none",
        request: { method: "GET", url: "/echo", query: { s: "{{sid}}" } },
      },
    ]);
    const { stdout, stderr, exported } = await run(file, join(cli.work, "cookie-captures.json"));
    expect(exported).toEqual({ id: "a-1" });
    expect(stderr).toMatch(/Left out of .*cookie-captures\.json \(a secret or personal value[^)]*\): sid\n/);
    const result = JSON.parse(stdout) as RunResult;
    expect(result.items[0]?.assertions[0]?.actual).toBe("[secret]");
    expect(stdout + stderr).not.toContain(SESSION);
  });

  it("names the captures it leaves out: objects and arrays holding a secret, and other objects", async () => {
    const file = collectionFile("objects", [
      {
        name: "echo",
        auth: "none",
        request: { method: "GET", url: "/echo", query: { x: "{{pw}}", y: "plain" } },
        capture: { holder: "$.query", list: "$.query.*", value: "$.query.x", plain: "$.query.y", both: "$" },
      },
      {
        name: "plain objects",
        auth: "none",
        request: { method: "GET", url: "/echo", query: { y: "plain" } },
        capture: { shape: "$.query" },
      },
    ]);
    const { stdout, stderr, exported } = await run(file, join(cli.work, "objects-captures.json"), [
      "--secret",
      `pw=${SECRET}`,
    ]);
    expect(exported).toEqual({ plain: "plain" });
    expect(stderr).toMatch(/\(a secret or personal value[^)]*\): value, holder, list, both\n/);
    expect(stderr).toMatch(/\(an object, array or null, which no variable holds\): shape\n/);
    expect(stdout + stderr).not.toContain(SECRET);
  });
});
