/**
 * `certn-edge run` with client credentials gets its access token before the first item: a token
 * endpoint that cannot be reached or refuses the credentials ends the command at once with exit 1
 * and one line naming the cause, and no item runs. Every server here listens on 127.0.0.1.
 */
import { createServer as createHttpServer, type Server } from "node:http";
import {
  type AddressInfo,
  createServer as createNetServer,
  type Server as NetServer,
  type Socket,
} from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ServedCertnSimulator, serveCertnSimulator } from "../../../src/simulator/node.ts";
import { runCli, useBuiltCli } from "./helpers/built-cli.ts";

const cli = useBuiltCli("certn-cli-token-");
const SECRET = "token-check-secret-4711";
const CREDENTIALS = { CERTN_CLIENT_ID: "someone", CERTN_CLIENT_SECRET: SECRET };
let served: ServedCertnSimulator;

beforeAll(async () => {
  served = await serveCertnSimulator({ port: 0, rateLimit: false });
});

afterAll(() => served.close());

beforeEach(() => served.simulator.reset());

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP server on 127.0.0.1 whose connections get `onConnection`; closed with its sockets. */
async function listen(
  onConnection: (socket: Socket) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: NetServer = createNetServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Runs certn-smoke against `baseUrl` with client credentials; checks what holds for every failure. */
async function runUnreachable(baseUrl: string, extra: string[] = [], env: Record<string, string> = {}) {
  const started = Date.now();
  const result = await runCli(cli.main, ["run", "certn-smoke", "--base-url", baseUrl, ...extra], {
    env: { ...CREDENTIALS, ...env },
  });
  const elapsedMs = Date.now() - started;
  expect(result.code).toBe(1);
  const lines = result.stderr.split("\n").filter((line) => line !== "");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(
    /^certn-edge: no Certn access token, so nothing was run: POST \S+\/token\/(: | -> )/,
  );
  // No item ran: no item lines, no summary, no "unknown variable" echoes of the same failure.
  expect(result.stdout).not.toMatch(/ERROR|PASS|FAIL|SKIP|items:|CERTN_UNKNOWN_VARIABLE/);
  expect(result.stdout + result.stderr).not.toContain(SECRET);
  expect(result.stdout + result.stderr).not.toMatch(/Basic /);
  return { line: lines[0] ?? "", stdout: result.stdout, elapsedMs };
}

describe("certn-edge run: no access token, nothing run, one line", () => {
  it("connection refused", async () => {
    const port = await closedPort();
    const { line, stdout } = await runUnreachable(`http://127.0.0.1:${port}`);
    expect(line).toContain(
      `POST http://127.0.0.1:${port}/token/: connection refused (nothing listens on that host and port) [ECONNREFUSED]`,
    );
    expect(stdout).toContain(`Target: http://127.0.0.1:${port}`);
  });

  it("a port fetch refuses (the issue's --base-url http://127.0.0.1:1)", async () => {
    const { line, elapsedMs } = await runUnreachable("http://127.0.0.1:1");
    expect(line).toContain("POST http://127.0.0.1:1/token/: fetch refuses to connect to this port");
    // Once, not once per item (five items took 3.7 s before).
    expect(elapsedMs).toBeLessThan(30_000);
  });

  it("TLS: https:// to a server that does not speak TLS", async () => {
    const plain = await listen((socket) => {
      socket.on("data", () => socket.end("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"));
    });
    try {
      const { line } = await runUnreachable(`https://${plain.url}`);
      expect(line).toContain("TLS failed: the server does not speak TLS on that port (try http://)");
      expect(line).toMatch(/\[ERR_SSL_[A-Z_]+\]$/);
    } finally {
      await plain.close();
    }
  });

  it("timeout: a server that never answers, with --timeout", async () => {
    const silent = await listen(() => undefined);
    try {
      const { line } = await runUnreachable(`http://${silent.url}`, ["--timeout", "200"]);
      expect(line).toContain(`POST http://${silent.url}/token/: no complete response within 200 ms`);
      expect(line).toContain("--timeout");
    } finally {
      await silent.close();
    }
  });

  it("the connection closed before an answer", async () => {
    const rude = await listen((socket) => socket.on("data", () => socket.destroy()));
    try {
      const { line } = await runUnreachable(`http://${rude.url}`);
      expect(line).toMatch(/the server closed the connection before answering \[UND_ERR_SOCKET\]|ECONNRESET/);
    } finally {
      await rude.close();
    }
  });

  it("401 invalid_client from Certn: one token request, no API request, no secret", async () => {
    const { line } = await runUnreachable(served.url);
    expect(line).toContain(`POST ${served.url}/token/ -> 401`);
    expect(line).toContain("invalid_client");
    expect(line).toContain("check CERTN_CLIENT_ID/CERTN_CLIENT_SECRET");
    // Refused credentials are not retried, and no item was sent.
    expect(served.simulator.tokenRequests).toBe(1);
    expect(Object.keys(served.simulator.requests)).toEqual(["POST /token/"]);
  });

  it("names the proxy variable (never its value) when the token request went through a proxy", async () => {
    const proxy: Server = createHttpServer((_request, response) => response.end());
    proxy.on("connect", (_request, socket: Socket) => socket.end("HTTP/1.1 403 Forbidden\r\n\r\n"));
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const { port } = proxy.address() as AddressInfo;
    try {
      const proxyUrl = `http://user:proxy-password-99@127.0.0.1:${port}`;
      const { line } = await runUnreachable("https://demo-api.certn.co", [], { HTTPS_PROXY: proxyUrl });
      expect(line).toContain("POST https://demo-api.certn.co/token/:");
      expect(line).toContain("(through the proxy of HTTPS_PROXY)");
      expect(line).not.toContain("proxy-password-99");
    } finally {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });
});

describe("certn-edge run: when the token is not fetched first", () => {
  it("a dry run sends nothing, not even a token request, and passes", async () => {
    const port = await closedPort();
    const { code, stderr } = await runCli(
      cli.main,
      ["run", "certn-smoke", "--base-url", `http://127.0.0.1:${port}`, "--dry-run"],
      { env: CREDENTIALS },
    );
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });

  it("with good credentials the token fetched first is the one the run uses", async () => {
    const { clientId, clientSecret } = served.simulator.credentials;
    const { code, stdout } = await runCli(cli.main, ["run", "certn-smoke", "--base-url", served.url], {
      env: { CERTN_CLIENT_ID: clientId, CERTN_CLIENT_SECRET: clientSecret },
    });
    expect(code).toBe(0);
    expect(stdout).toContain("5 items: 5 passed");
    expect(served.simulator.tokenRequests).toBe(1);
  });
});
