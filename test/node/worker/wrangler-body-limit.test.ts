/**
 * Bodies over the cap sent to the webhook routes (no caller JWT needed, so anyone can send one) of
 * a real `wrangler dev`: refused with 413, after which the server answers the next request at
 * once, on the same keep-alive connection. A streamed (chunked) body the limiter stopped reading
 * halfway used to leave the next request hanging or answered 503 by wrangler's proxy; an announced
 * one, refused unread, never did, and must stay unread (cancelling it brought the 503 back).
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  freePort,
  spawnWranglerDev,
  stopProcessGroup,
  waitForHealth,
} from "../../../scripts/wrangler-dev.mjs";

const persistTo = mkdtempSync(join(tmpdir(), "certn-edge-body-limit-"));
let child: ChildProcess | undefined;
let port = 0;
let output = "";

/** Longest wait for an answer that should come at once. */
const PROMPT_MS = 5_000;

beforeAll(async () => {
  port = await freePort();
  child = spawnWranglerDev({ config: "wrangler.dev.toml", port, persistTo, detached: true });
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  await waitForHealth(`http://127.0.0.1:${port}`, child, 60_000).catch((error: Error) => {
    throw new Error(`${error.message}\n${output}`);
  });
}, 90_000);

afterAll(async () => {
  if (child) await stopProcessGroup(child);
  rmSync(persistTo, { recursive: true, force: true });
});

/** What a request got: its status and body, or the error that ended it. */
type Answer = { status: number; body: string } | { error: string };

/**
 * Sends `method path` through `agent`, with `body.chunks` 64 KiB chunks as its body: chunked, or
 * with a `Content-Length` when `body.announced`. The whole body is written, as a client that
 * does not watch for an early answer writes it. Settles within {@link PROMPT_MS}, with
 * `{ error: "timeout" }` if no answer came by then.
 */
function send(
  agent: Agent,
  method: string,
  path: string,
  body: { chunks: number; announced?: boolean } = { chunks: 0 },
): Promise<Answer> {
  return new Promise((resolveAnswer) => {
    let settled = false;
    const settle = (answer: Answer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolveAnswer(answer);
    };
    const timer = setTimeout(() => {
      settle({ error: "timeout" });
      outgoing.destroy();
    }, PROMPT_MS);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const headers: Record<string, string> = {};
    if (body.chunks > 0) headers["content-type"] = "application/json";
    // Without a Content-Length node sends Transfer-Encoding: chunked.
    if (body.announced === true) headers["content-length"] = String(body.chunks * chunk.byteLength);
    const outgoing = request({ host: "127.0.0.1", port, method, path, agent, headers }, (response) => {
      const parts: Buffer[] = [];
      response.on("data", (part: Buffer) => parts.push(part));
      response.on("end", () =>
        settle({ status: response.statusCode ?? 0, body: Buffer.concat(parts).toString("utf8") }),
      );
      response.on("error", (error) => settle({ error: error.message }));
    });
    outgoing.on("error", (error) => settle({ error: error.message }));
    let written = 0;
    const writeMore = (): void => {
      while (written < body.chunks) {
        written += 1;
        if (!outgoing.write(chunk)) {
          outgoing.once("drain", writeMore);
          return;
        }
      }
      outgoing.end();
    };
    writeMore();
  });
}

describe("a body over the cap, under wrangler dev", () => {
  // 4 MiB: far past the webhooks' cap (MAX_WEBHOOK_BYTES, 256 KiB; a Node test cannot import the
  // Worker's modules) and within what the limiter reads to the end (MAX_DRAIN_BYTES, 16 MiB).
  const chunks = 64;
  const health = { status: 200, body: '{"ok":true}' };

  it("streamed: is refused with 413, and the same connection then answers the next requests", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const refused = await send(agent, "POST", "/webhooks/certncentric", { chunks });
      expect(refused, output).toMatchObject({ status: 413 });
      expect((refused as { body: string }).body).toContain("BODY_TOO_LARGE");
      expect(await send(agent, "GET", "/health"), output).toEqual(health);
      expect(await send(agent, "GET", "/health"), output).toEqual(health);
    } finally {
      agent.destroy();
    }
  });

  it("streamed, again and again: each is refused with 413 and the server answers at once", async () => {
    for (let i = 0; i < 3; i++) {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        expect(await send(agent, "POST", "/webhooks/certn", { chunks }), output).toMatchObject({
          status: 413,
        });
        expect(await send(agent, "GET", "/health"), output).toEqual(health);
      } finally {
        agent.destroy();
      }
    }
  });

  it("announced by Content-Length: is refused unread with 413, and the server answers at once", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const refused = await send(agent, "POST", "/webhooks/certn", { chunks, announced: true });
      expect(refused, output).toMatchObject({ status: 413 });
      expect(await send(agent, "GET", "/health"), output).toEqual(health);
    } finally {
      agent.destroy();
    }
  });
});
