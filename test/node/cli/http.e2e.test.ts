/**
 * `certn-edge run` against Certn-shaped servers over real HTTP on 127.0.0.1: the simulator served
 * with serveCertnSimulator, credentials from env files in either naming, dry runs that send
 * nothing, the paid-order guard on the production origin, and HTTPS_PROXY / HTTP_PROXY.
 */
import { writeFileSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { connect as netConnect } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunResult } from "../../../src/results/result.ts";
import { type ServedCertnSimulator, serveCertnSimulator } from "../../../src/simulator/node.ts";
import { runCli, useBuiltCli } from "./helpers/built-cli.ts";

const FIXTURES = "test/fixtures/cli";
const cli = useBuiltCli("certn-cli-http-");
let served: ServedCertnSimulator;

beforeAll(async () => {
  served = await serveCertnSimulator({ port: 0, rateLimit: false });
});

afterAll(() => served.close());

beforeEach(() => served.simulator.reset());

function envFile(name: string, text: string): string {
  const path = join(cli.work, name);
  writeFileSync(path, text);
  return path;
}

describe("credentials from an env file", () => {
  it("CERTN_CLIENT_ID / CERTN_CLIENT_SECRET, quoted, with comments and export", async () => {
    const { clientId, clientSecret } = served.simulator.credentials;
    const file = envFile(
      "certn.env",
      `# demo\nexport CERTN_CLIENT_ID="${clientId}"\nCERTN_CLIENT_SECRET='${clientSecret}' # keep safe\n`,
    );
    const { code, stdout, stderr } = await runCli(cli.main, [
      "run",
      "certn-smoke",
      "--env-file",
      file,
      "--base-url",
      served.url,
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain(`Target: ${served.url} (credentials from CERTN_CLIENT_ID/CERTN_CLIENT_SECRET)`);
    expect(served.simulator.tokenRequests).toBe(1);
    expect(served.simulator.requests["GET /api/v1/users/"]).toBe(1);
    expect(stdout + stderr).not.toContain(clientSecret);
  });

  it("CLIENT_ID / CLIENT_SECRET (Certn's getting-started names) and CERTN_BASE_URL from the file", async () => {
    const { clientId, clientSecret } = served.simulator.credentials;
    const file = envFile(
      "generic.env",
      `CLIENT_ID=${clientId}\nCLIENT_SECRET=${clientSecret}\nCERTN_BASE_URL=${served.url}\n`,
    );
    const { code, stdout } = await runCli(cli.main, ["run", "certn-smoke", "--env-file", file]);
    expect(code).toBe(0);
    expect(stdout).toContain("(credentials from CLIENT_ID/CLIENT_SECRET)");
    expect(served.simulator.tokenRequests).toBe(1);
  });

  it("credentials from the process environment work the same way", async () => {
    const { clientId, clientSecret } = served.simulator.credentials;
    const { code } = await runCli(cli.main, ["run", `${FIXTURES}/passing.json`], {
      env: { CERTN_CLIENT_ID: clientId, CERTN_CLIENT_SECRET: clientSecret, CERTN_BASE_URL: served.url },
    });
    expect(code).toBe(0);
  });

  it("CERTN_API_KEY (Bearer, a v1.0 static key) sends no token request", async () => {
    const [apiKey] = served.simulator.credentials.apiKeys;
    const file = envFile("key.env", `CERTN_API_KEY=${apiKey}\nCERTN_BASE_URL=${served.url}\n`);
    // A v1.0 key reaches the gen B1 paths; the partner-only /api/v1/ ones answer it 403 (certn-api.md §2.5).
    const collection = envFile(
      "b1.json",
      JSON.stringify({
        formatVersion: 1,
        name: "B1 teams",
        items: [
          {
            name: "Teams",
            request: { method: "GET", url: "/api/v2/teams/" },
            assert: [{ that: "status", equals: 200 }],
          },
        ],
      }),
    );
    const { code, stdout, stderr } = await runCli(cli.main, ["run", collection, "--env-file", file]);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain("(credentials from CERTN_API_KEY)");
    expect(served.simulator.tokenRequests).toBe(0);
    expect(stdout + stderr).not.toContain(apiKey!);
  });

  it("CERTN_API_KEY with CERTN_API_KEY_SCHEME=Api-Key runs the CertnCentric collections", async () => {
    const [apiKey] = served.simulator.centric.apiKeys;
    const file = envFile("centric.env", `CERTN_API_KEY=${apiKey}\nCERTN_API_KEY_SCHEME=Api-Key\n`);
    const { code, stdout, stderr } = await runCli(cli.main, [
      "run",
      "centric-smoke",
      "centric-invite-link",
      "--env-file",
      file,
      "--base-url",
      served.url,
    ]);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain("2 collections: 2 passed, 0 failed");
    expect(served.simulator.requests["POST /api/public/cases/order/"]).toBe(1);
    expect(stdout + stderr).not.toContain(apiKey!);
  });

  it("refused credentials end the command before any item (exit 1, one line) without printing the secret", async () => {
    const file = envFile("wrong.env", "CERTN_CLIENT_ID=nobody\nCERTN_CLIENT_SECRET=wrong-secret-789\n");
    const { code, stdout, stderr } = await runCli(cli.main, [
      "run",
      "certn-smoke",
      "--env-file",
      file,
      "--base-url",
      served.url,
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^certn-edge: no Certn access token, so nothing was run: .*-> 401: .*\n$/);
    expect(stdout).not.toMatch(/ERROR|List superteams/);
    expect(stdout + stderr).not.toContain("wrong-secret-789");
  });

  it("env file values never become collection variables", async () => {
    const { clientId, clientSecret } = served.simulator.credentials;
    const file = envFile(
      "leak.env",
      `CERTN_CLIENT_ID=${clientId}\nCERTN_CLIENT_SECRET=${clientSecret}\napiToken=from-env-file\n`,
    );
    const { code, stdout } = await runCli(cli.main, [
      "run",
      `${FIXTURES}/env-leak.json`,
      "--env-file",
      file,
      "--base-url",
      served.url,
      "--reporter",
      "json",
    ]);
    expect(code).toBe(1);
    const result = JSON.parse(stdout) as RunResult;
    expect(result.items.map((item) => item.error?.code)).toEqual([
      "CERTN_UNKNOWN_VARIABLE",
      "CERTN_UNKNOWN_VARIABLE",
    ]);
    expect(stdout).not.toContain(clientSecret);
    expect(served.simulator.requests["GET /api/v1/users/"]).toBeUndefined();
  });

  it("a malformed env file exits 2 naming the line, not the value", async () => {
    const file = envFile("bad.env", 'CERTN_CLIENT_ID=x\nCERTN_CLIENT_SECRET "oops-secret"\n');
    const { code, stderr } = await runCli(cli.main, [
      "run",
      "certn-smoke",
      "--env-file",
      file,
      "--base-url",
      served.url,
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain("bad.env:2: expected KEY=value");
    expect(stderr).not.toContain("oops-secret");
  });
});

describe("where the reports go is checked before anything is sent (exit 2)", () => {
  const credentials = () => ({
    CERTN_CLIENT_ID: served.simulator.credentials.clientId,
    CERTN_CLIENT_SECRET: served.simulator.credentials.clientSecret,
    CERTN_BASE_URL: served.url,
  });

  it.each([
    ["--out naming a file", ["--reporter", "junit", "--out", "taken"], "--out PATH: a file is there"],
    [
      "--out under a file",
      ["--reporter", "junit", "--out", "taken/reports"],
      "--out PATH/reports: the reports cannot be written there (ENOTDIR)",
    ],
    [
      "--export-captures naming a folder",
      ["--export-captures", "."],
      "--export-captures .: a folder is there; it names the file to write",
    ],
    [
      // Found after the run before: the captures were lost, the exit code 1.
      "--export-captures under a file",
      ["--export-captures", "taken/captures.json"],
      "--export-captures PATH/captures.json: the file cannot be written (EEXIST)",
    ],
  ])("%s", async (_, flags, message) => {
    const taken = join(cli.work, "taken");
    writeFileSync(taken, "not a folder\n");
    const args = flags.map((flag) => (flag.startsWith("taken") ? join(cli.work, flag) : flag));
    const { code, stdout, stderr } = await runCli(cli.main, ["run", "certn-smoke", ...args], {
      env: credentials(),
    });
    expect(code).toBe(2);
    expect(stderr).toContain(message.replace("PATH", taken));
    expect(stdout).not.toContain("Running");
    expect(served.simulator.tokenRequests).toBe(0);
    expect(served.simulator.requests["GET /api/v1/users/"]).toBeUndefined();
  });

  it("a missing --out folder is made, with its parents, and the reports land in it", async () => {
    const out = join(cli.work, "made", "for", "reports");
    const { code, stdout } = await runCli(
      cli.main,
      ["run", "certn-smoke", "--reporter", "junit", "--out", out],
      {
        env: credentials(),
      },
    );
    expect(code).toBe(0);
    expect(stdout).toContain(`Reports: ${join(out, "certn-smoke.junit.xml")}`);
  });
});

describe("--deadline against an HTTP server (the runner keeps the deadline)", () => {
  it("items it kept from starting make the run incomplete: exit 1, and each says CERTN_DEADLINE", async () => {
    const { clientId, clientSecret } = served.simulator.credentials;
    // The pause before the second request outlasts the deadline, so the rest never starts.
    const { code, stdout, stderr } = await runCli(
      cli.main,
      [
        "run",
        "certn-smoke",
        "--base-url",
        served.url,
        "--delay",
        "2000",
        "--deadline",
        "500",
        "--reporter",
        "json",
      ],
      { env: { CERTN_CLIENT_ID: clientId, CERTN_CLIENT_SECRET: clientSecret } },
    );
    expect(code).toBe(1);
    expect(stderr).toContain("The --deadline of 500 ms passed before everything ran.");
    const result = JSON.parse(stdout) as RunResult;
    const stopped = result.items.filter((item) => item.status !== "passed");
    expect(stopped.length).toBeGreaterThan(0);
    expect(stopped.every((item) => item.error?.code === "CERTN_DEADLINE")).toBe(true);
    expect(result.summary.failed).toBe(0);
  });
});

describe("--dry-run", () => {
  it("sends nothing at all: no token request, no API request, no connection", async () => {
    const { clientId, clientSecret } = served.simulator.credentials;
    const file = envFile("dry.env", `CERTN_CLIENT_ID=${clientId}\nCERTN_CLIENT_SECRET=${clientSecret}\n`);
    const connectionsBefore = served.connections;
    const { code, stdout } = await runCli(cli.main, [
      "run",
      "hr-quick-screen",
      "hr-invite",
      "--env-file",
      file,
      "--base-url",
      served.url,
      "--dry-run",
      "--reporter",
      "json",
    ]);
    expect(code).toBe(0);
    const results = JSON.parse(stdout) as RunResult[];
    expect(results.map((result) => result.dryRun)).toEqual([true, true]);
    expect(
      results.flatMap((result) => result.items.filter((item) => item.wouldOrder).map((item) => item.name)),
    ).toEqual(["Order a quick screen (softcheck)", "Invite the applicant"]);
    expect(served.simulator.requests).toEqual({});
    expect(served.simulator.tokenRequests).toBe(0);
    expect(served.connections).toBe(connectionsBefore);
  });

  it("needs no credentials", async () => {
    const { code, stdout } = await runCli(cli.main, [
      "run",
      "certn-smoke",
      "--base-url",
      served.url,
      "--dry-run",
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain("Dry run: nothing will be sent.");
    expect(served.simulator.requests).toEqual({});
  });
});

/** A proxy that counts every connection and request; it forwards CONNECT tunnels and plain requests. */
async function startProxy(): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? "");
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("connect", (req, socket: Socket, head) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? "").split(":");
    // Only loopback is ever tunnelled; anything else is refused (and counted above).
    if (host !== "127.0.0.1") {
      socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
      return;
    }
    const upstream = netConnect(Number(port), host, () => {
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on("error", () => socket.destroy());
    socket.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe("proxies (Node)", () => {
  it("HTTP_PROXY routes every request through the proxy", async () => {
    const proxy = await startProxy();
    try {
      const { clientId, clientSecret } = served.simulator.credentials;
      const { code } = await runCli(cli.main, ["run", `${FIXTURES}/passing.json`, "--base-url", served.url], {
        env: { CERTN_CLIENT_ID: clientId, CERTN_CLIENT_SECRET: clientSecret, HTTP_PROXY: proxy.url },
      });
      expect(code).toBe(0);
      expect(proxy.seen.length).toBeGreaterThan(0);
      expect(proxy.seen.every((line) => line.includes(new URL(served.url).host))).toBe(true);
      expect(served.simulator.tokenRequests).toBe(1);
    } finally {
      await proxy.close();
    }
  });

  it("NO_PROXY lets a host bypass the proxy", async () => {
    const proxy = await startProxy();
    try {
      const { clientId, clientSecret } = served.simulator.credentials;
      const { code } = await runCli(cli.main, ["run", `${FIXTURES}/passing.json`, "--base-url", served.url], {
        env: {
          CERTN_CLIENT_ID: clientId,
          CERTN_CLIENT_SECRET: clientSecret,
          HTTP_PROXY: proxy.url,
          NO_PROXY: "127.0.0.1",
        },
      });
      expect(code).toBe(0);
      expect(proxy.seen).toEqual([]);
      expect(served.simulator.requests["GET /api/v1/users/"]).toBe(1);
    } finally {
      await proxy.close();
    }
  });
});

describe("paid orders on the production origin", () => {
  // An API key needs no token request, so the order guard is the first thing that can act; with
  // client credentials the token comes first (see the last test).
  it("are refused before anything is sent unless --allow-orders (CERTN_ORDER_GUARD)", async () => {
    // Every outgoing HTTPS request would have to pass this proxy, which reaches nothing but loopback.
    const trap = await startProxy();
    try {
      const { code, stdout, stderr } = await runCli(
        cli.main,
        [
          "run",
          `${FIXTURES}/order-only.json`,
          "--base-url",
          "https://api.certn.co",
          "--var",
          "ownerId=2d9d1745-d16b-4cb8-bfcd-4215a08b8e6c",
          "--reporter",
          "json",
        ],
        {
          env: {
            CERTN_API_KEY: "prod-key-never-sent",
            HTTPS_PROXY: trap.url,
            HTTP_PROXY: trap.url,
          },
        },
      );
      expect(code).toBe(1);
      const result = JSON.parse(stdout) as RunResult;
      expect(result.items[0]?.status).toBe("errored");
      expect(result.items[0]?.error?.code).toBe("CERTN_ORDER_GUARD");
      expect(result.summary.requests).toBe(0);
      expect(stderr).toContain("PRODUCTION API");
      expect(trap.seen).toEqual([]);
    } finally {
      await trap.close();
    }
  });

  it("announces every production origin, however it is spelled (a regional CertnCentric host, upper case, trailing dot)", async () => {
    const { code, stderr } = await runCli(
      cli.main,
      [
        "run",
        `${FIXTURES}/order-only.json`,
        "--base-url",
        "https://API.ca.certn.co.",
        "--var",
        "ownerId=x",
        "--dry-run",
        "--reporter",
        "json",
      ],
      { env: { CERTN_API_KEY: "prod-key-never-sent" } },
    );
    expect(code).toBe(0);
    expect(stderr).toContain("PRODUCTION API");
  });

  it("with --allow-orders the order is attempted (and here reaches only the trap)", async () => {
    const trap = await startProxy();
    try {
      const { code, stdout } = await runCli(
        cli.main,
        [
          "run",
          `${FIXTURES}/order-only.json`,
          "--base-url",
          "https://api.certn.co",
          "--allow-orders",
          "--var",
          "ownerId=x",
          "--timeout",
          "5000",
          "--reporter",
          "json",
        ],
        {
          env: {
            CERTN_API_KEY: "prod-key-never-sent",
            HTTPS_PROXY: trap.url,
          },
        },
      );
      expect(code).toBe(1);
      const result = JSON.parse(stdout) as RunResult;
      expect(result.items[0]?.error?.code).not.toBe("CERTN_ORDER_GUARD");
      expect(trap.seen).toContain("CONNECT api.certn.co:443");
      expect(stdout).not.toContain("prod-key-never-sent");
    } finally {
      await trap.close();
    }
  });

  it("with client credentials only the token request goes out first; when it fails nothing else does", async () => {
    const trap = await startProxy();
    try {
      const { code, stdout, stderr } = await runCli(
        cli.main,
        ["run", `${FIXTURES}/order-only.json`, "--base-url", "https://api.certn.co", "--var", "ownerId=x"],
        {
          env: {
            CERTN_CLIENT_ID: "prod-id",
            CERTN_CLIENT_SECRET: "prod-secret-never-sent",
            HTTPS_PROXY: trap.url,
          },
        },
      );
      expect(code).toBe(1);
      expect(stderr).toMatch(
        /^certn-edge: no Certn access token, so nothing was run: POST https:\/\/api\.certn\.co\/token\/: .*\(through the proxy of HTTPS_PROXY\)\n$/,
      );
      expect(stdout).toContain("PRODUCTION API");
      expect(stdout).not.toMatch(/ERROR|items:/);
      // The trap refuses every tunnel; the token request (and its retries) is all that was tried.
      expect(trap.seen.length).toBeGreaterThan(0);
      expect(new Set(trap.seen)).toEqual(new Set(["CONNECT api.certn.co:443"]));
      expect(stdout + stderr).not.toContain("prod-secret-never-sent");
    } finally {
      await trap.close();
    }
  });
});
