/**
 * `limitBody` inside workerd, on its own route: a streamed body over the limit is refused with
 * 413 and never left half read. What is left of it is read to its end when that is within
 * MAX_DRAIN_BYTES, and cancelled past them or when it stalls for MAX_DRAIN_MS; a body within the
 * limit reaches the route whole. (The connection this keeps usable is shown under wrangler dev in
 * test/node/worker/wrangler-body-limit.test.ts.)
 */
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { limitBody, MAX_DRAIN_BYTES, MAX_DRAIN_MS } from "../../../src/worker/body.ts";

const LIMIT = 64 * 1024;
const CHUNK = 16 * 1024;

/** A body stream that records how much was pulled and whether it was cancelled. */
interface WatchedBody {
  stream: ReadableStream<Uint8Array>;
  pulled: () => number;
  cancelled: () => boolean;
}

/** `total` bytes in {@link CHUNK}-byte chunks; with `stallAfter`, no more after that many bytes, ever. */
function watchedBody(total: number, stallAfter = Number.POSITIVE_INFINITY): WatchedBody {
  let sent = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= stallAfter) return new Promise<void>(() => undefined);
      if (sent >= total) {
        controller.close();
        return;
      }
      const size = Math.min(CHUNK, total - sent);
      sent += size;
      controller.enqueue(new Uint8Array(size).fill(0x20));
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, pulled: () => sent, cancelled: () => cancelled };
}

/** A route behind `limitBody(LIMIT)` that answers the length of the body it was handed. */
function app(): Hono {
  const limited = new Hono();
  limited.post("/", limitBody(LIMIT), async (c) => c.text(String((await c.req.arrayBuffer()).byteLength)));
  return limited;
}

/** POSTs `body` with no Content-Length, as a chunked upload arrives. */
function post(body: ReadableStream<Uint8Array>): Promise<Response> {
  const init = { method: "POST", body, duplex: "half" } as RequestInit;
  return Promise.resolve(app().fetch(new Request("https://worker.test/", init)));
}

describe("limitBody on a streamed body", () => {
  it("hands a body within the limit to the route whole", async () => {
    const body = watchedBody(LIMIT);
    const response = await post(body.stream);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(String(LIMIT));
    expect(body.cancelled()).toBe(false);
  });

  it("refuses a body over the limit with 413, having read the rest to its end (within MAX_DRAIN_BYTES)", async () => {
    const total = 8 * LIMIT;
    const body = watchedBody(total);
    const response = await post(body.stream);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("BODY_TOO_LARGE");
    // Read to the end, not abandoned halfway: the connection can carry the next request.
    expect(body.pulled()).toBe(total);
    expect(body.cancelled()).toBe(false);
  });

  it("cancels a body that goes on past MAX_DRAIN_BYTES, having read no more than those", async () => {
    const total = LIMIT + MAX_DRAIN_BYTES + 64 * CHUNK;
    const body = watchedBody(total);
    const response = await post(body.stream);
    expect(response.status).toBe(413);
    expect(body.cancelled()).toBe(true);
    // The stream may have pulled a chunk or two ahead of the reader.
    expect(body.pulled()).toBeLessThanOrEqual(LIMIT + MAX_DRAIN_BYTES + 4 * CHUNK);
  });

  it("cancels a body that stalls past the limit, answering 413 once MAX_DRAIN_MS have passed", async () => {
    const body = watchedBody(Number.POSITIVE_INFINITY, 2 * LIMIT);
    const started = Date.now();
    const response = await post(body.stream);
    expect(response.status).toBe(413);
    expect(body.cancelled()).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(MAX_DRAIN_MS - 50);
    expect(Date.now() - started).toBeLessThan(MAX_DRAIN_MS + 5_000);
  });

  it("counts a body announced as empty in any spelling, and hands on an empty one as absent", async () => {
    for (const declared of ["0", "00", "+0", "0.0", ""]) {
      const body = watchedBody(LIMIT * 4);
      const init = {
        method: "POST",
        body: body.stream,
        duplex: "half",
        headers: { "content-length": declared },
      };
      const response = await app().fetch(new Request("https://worker.test/", init as RequestInit));
      expect(response.status, `Content-Length: "${declared}"`).toBe(413);
    }
    const empty = new Hono();
    empty.post("/", limitBody(LIMIT), (c) => c.text(String(c.req.raw.body === null)));
    const none = { method: "POST", body: watchedBody(0).stream, duplex: "half" } as RequestInit;
    expect(await (await empty.fetch(new Request("https://worker.test/", none))).text()).toBe("true");
  });
});
