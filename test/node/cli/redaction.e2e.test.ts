/**
 * `certn-edge run` against a server on 127.0.0.1 that echoes the `Authorization` header in its
 * body and in a header: stdout, stderr, every report (text, JSON, JUnit, HTML) and the
 * `--export-captures` file hold neither the access tokens (the first one and the one a mid-run
 * refresh brings) nor the client secret or its Basic form, with and without `--include-bodies`.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuthorization } from "../../../src/auth/token-request.ts";
import { secretForms } from "../../../src/core/mask-secrets.ts";
import { runCli, useBuiltCli } from "./helpers/built-cli.ts";

const cli = useBuiltCli("certn-cli-redaction-");
const CLIENT_ID = "cli-echo-client";
const CLIENT_SECRET = "cli/echo+secret=42";

let server: Server;
let origin: string;
/** Tokens issued so far; a call to `/api/v1/rotate/` revokes them all, so the client refreshes. */
const issued: string[] = [];
const live = new Set<string>();
const paths: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      response.writeHead(status, { "content-type": "application/json", ...headers });
      response.end(JSON.stringify(body));
    };
    const authorization = request.headers.authorization ?? "";
    if (request.url === "/token/") {
      const token = `atk_${issued.length}_${crypto.randomUUID().replace(/-/g, "")}`;
      issued.push(token);
      live.add(token);
      reply(200, { access_token: token, token_type: "Bearer", expires_in: 3600 });
      return;
    }
    const token = authorization.replace(/^Bearer /, "");
    if (!live.has(token)) {
      reply(401, { detail: `${authorization} is not valid` });
      return;
    }
    paths.push(request.url ?? "");
    if (request.url === "/api/v1/rotate/") {
      live.clear();
      reply(200, { rotated: true });
      return;
    }
    reply(
      200,
      { authorization, token, note: `you sent ${authorization}` },
      { "x-echo-authorization": authorization },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const COLLECTION = {
  formatVersion: 1,
  name: "echo",
  items: [
    {
      name: "echo",
      request: { method: "GET", url: "/api/v1/echo/" },
      assert: [
        { that: "$.authorization", equals: "nope" },
        { that: "header x-echo-authorization", equals: "nope" },
        { that: "$.note", startsWith: "zzz" },
      ],
      capture: { auth: "$.authorization", tok: "$.token", hdr: "header x-echo-authorization" },
    },
    {
      name: "send the captured token back",
      request: {
        method: "POST",
        url: "/api/v1/echo/{{tok}}/",
        query: { t: "{{tok}}" },
        json: { auth: "{{auth}}", header: "{{hdr}}" },
      },
      assert: [{ that: "var tok", equals: "x" }],
    },
    { name: "rotate", request: { method: "POST", url: "/api/v1/rotate/" } },
    {
      name: "after the refresh",
      request: { method: "GET", url: "/api/v1/echo/" },
      assert: [{ that: "$.authorization", equals: "nope" }],
      capture: { tok2: "$.token", auth2: "header x-echo-authorization" },
    },
  ],
};

function filesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      out[path] = readFileSync(path, "utf8");
    }
  }
  return out;
}

describe("certn-edge run with a server echoing the Authorization header", () => {
  it.each([false, true])(
    "reports and exported captures hold no credential (--include-bodies %s)",
    async (bodies) => {
      const tag = bodies ? "bodies" : "plain";
      const collection = join(cli.work, `echo-${tag}.json`);
      writeFileSync(collection, JSON.stringify(COLLECTION));
      const out = join(cli.work, `out-${tag}`);
      const captures = join(cli.work, `captures-${tag}.json`);
      const firstToken = issued.length;
      const { code, stdout, stderr } = await runCli(
        cli.main,
        [
          "run",
          collection,
          "--reporter",
          "text,json,junit,html",
          "--out",
          out,
          "--export-captures",
          captures,
          ...(bodies ? ["--include-bodies"] : []),
        ],
        { env: { CERTN_CLIENT_ID: CLIENT_ID, CERTN_CLIENT_SECRET: CLIENT_SECRET, CERTN_BASE_URL: origin } },
      );
      const tokens = issued.slice(firstToken);
      // Two tokens: the mid-run refresh brought a new one. The captured token was sent as it is.
      expect(tokens).toHaveLength(2);
      expect(paths).toContain(`/api/v1/echo/${tokens[0]}/?t=${tokens[0]}`);
      expect(code).toBe(1);

      const outputs: Record<string, string> = { stdout, stderr, ...filesUnder(out) };
      outputs[captures] = readFileSync(captures, "utf8");
      expect(Object.keys(outputs)).toHaveLength(7);
      const basic = basicAuthorization(CLIENT_ID, CLIENT_SECRET).replace(/^Basic /, "");
      const credentials = [CLIENT_SECRET, `${CLIENT_ID}:${CLIENT_SECRET}`, basic, ...tokens];
      credentials.forEach((credential, index) => {
        for (const form of secretForms(credential)) {
          for (const [where, text] of Object.entries(outputs)) {
            // Named by position only, so a failure prints no part of the credential.
            expect(text.includes(form), `${where} holds a form of credential #${index}`).toBe(false);
          }
        }
      });
      for (const [where, text] of Object.entries(outputs)) {
        for (const token of tokens) expect(text, where).not.toContain(`Bearer ${token}`);
      }
      // A capture reported masked is not its value: written out, a later run would send
      // "Bearer [secret]" as one. It is left out, by name.
      expect(JSON.parse(outputs[captures] ?? "")).toEqual({});
      expect(`${stdout}${stderr}`).toContain(
        `Left out of ${captures} (a secret or personal value, which is never written): auth, tok, hdr, tok2, auth2`,
      );
    },
  );
});
