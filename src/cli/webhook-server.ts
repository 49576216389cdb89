/**
 * `--webhook-port`: a node:http listener on 127.0.0.1 for the run's duration, in front of the
 * web-standard receiver (webhook-receiver.ts). Loaded only when the flag is given, and node:http
 * with it. Bodies are read up to 1 MB (413 beyond); nothing about a request is logged.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { UsageError } from "./usage-error.ts";
import { MAX_WEBHOOK_BODY_BYTES, type WebhookHandler } from "./webhook-receiver.ts";

/** The host the listener binds: loopback only (put a tunnel or proxy in front to receive from Certn). */
export const WEBHOOK_HOST = "127.0.0.1";

/** A listening receiver. */
export interface WebhookServer {
  /** `http://127.0.0.1:<port>`, the port the system picked for 0. */
  readonly url: string;
  /** Stops listening and ends every open connection. */
  close(): Promise<void>;
}

/** Reads the body, or undefined once it passes the limit. */
function readBody(incoming: IncomingMessage): Promise<Uint8Array<ArrayBuffer> | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(incoming.headers["content-length"] ?? "0");
    if (declared > MAX_WEBHOOK_BODY_BYTES) {
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    incoming.on("data", (chunk: Buffer) => {
      if (over) return;
      size += chunk.byteLength;
      if (size > MAX_WEBHOOK_BODY_BYTES) {
        over = true;
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    incoming.on("end", () => {
      if (over) return;
      const bytes = new Uint8Array(size);
      let offset = 0;
      for (const chunk of chunks) {
        bytes.set(chunk, offset);
        offset += chunk.byteLength;
      }
      resolve(bytes);
    });
    incoming.on("error", reject);
  });
}

function headersOf(incoming: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = incoming.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i];
    const value = raw[i + 1];
    if (name !== undefined && value !== undefined) headers.append(name, value);
  }
  return headers;
}

async function send(outgoing: ServerResponse, response: Response, close = false): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = Object.fromEntries(response.headers);
  if (close) headers.connection = "close";
  outgoing.writeHead(response.status, headers);
  outgoing.end(body);
}

async function serve(
  origin: string,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  handler: WebhookHandler,
): Promise<void> {
  const method = (incoming.method ?? "GET").toUpperCase();
  const body = method === "GET" || method === "HEAD" ? new Uint8Array() : await readBody(incoming);
  if (body === undefined) {
    // Over the limit: answer at once and drop the connection rather than read the rest.
    await send(outgoing, new Response(`body over ${MAX_WEBHOOK_BODY_BYTES} bytes\n`, { status: 413 }), true);
    outgoing.on("finish", () => incoming.destroy());
    return;
  }
  let request: Request;
  try {
    const target = new URL(incoming.url ?? "/", origin);
    if (target.origin !== origin) throw new TypeError("absolute-form request target");
    request = new Request(target, {
      method,
      headers: headersOf(incoming),
      ...(method === "GET" || method === "HEAD" ? {} : { body }),
    });
  } catch {
    await send(outgoing, new Response("bad request\n", { status: 400 }));
    return;
  }
  await send(outgoing, await handler(request));
}

/**
 * Listens on 127.0.0.1:`port` (0: any free port) and answers with `handler`.
 * @throws UsageError when the port cannot be listened on (in use, not allowed)
 */
export async function startWebhookServer(port: number, handler: WebhookHandler): Promise<WebhookServer> {
  const http = await import("node:http");
  let origin = "";
  let closing = false;
  let active = 0;
  const server = http.createServer((incoming, outgoing) => {
    active++;
    outgoing.on("close", () => {
      active--;
      // A response that was in flight when the run ended goes out whole, then its connection ends.
      if (closing) server.closeIdleConnections();
    });
    if (closing) outgoing.shouldKeepAlive = false;
    serve(origin, incoming, outgoing, handler).catch(() => {
      // Never echo what went wrong: it could hold a piece of the request.
      if (!outgoing.headersSent) outgoing.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      outgoing.end("internal error\n");
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      const why = error.code === "EADDRINUSE" ? "the port is in use" : (error.code ?? error.message);
      reject(new UsageError(`--webhook-port ${port}: cannot listen on ${WEBHOOK_HOST}:${port} (${why})`));
    };
    server.once("error", failed);
    server.listen(port, WEBHOOK_HOST, () => {
      server.off("error", failed);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  origin = `http://${WEBHOOK_HOST}:${address.port}`;
  let closed: Promise<void> | undefined;
  return {
    url: origin,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        // The delivery that ended the run may still be answering: give answers in flight a moment.
        const force = setTimeout(() => server.closeAllConnections(), active > 0 ? CLOSE_GRACE_MS : 0);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closed;
    },
  };
}

/** How long answers in flight may take to finish once the run ended, in ms. */
const CLOSE_GRACE_MS = 2_000;
