/**
 * A Certn stand-in on 127.0.0.1 whose answers each test scripts: every request is logged (method,
 * path with query, headers, body) before the handler answers it.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request the server received. */
export interface LoggedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Answers one request; `response` may also be left unanswered or its socket destroyed. */
export type ScriptedHandler = (request: LoggedRequest, response: ServerResponse) => void | Promise<void>;

/** A running scripted server. */
export interface ScriptedServer {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** Every request received, in order. */
  log: LoggedRequest[];
  /** The requests whose path starts with `prefix`. */
  requests(prefix: string): LoggedRequest[];
  close(): Promise<void>;
}

/** Sends `body` as JSON with `status` and `headers`. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

/** Starts a server on 127.0.0.1 with a free port; `handler` is read at each request. */
export async function startScriptedServer(handler: () => ScriptedHandler): Promise<ScriptedServer> {
  const log: LoggedRequest[] = [];
  const server = createServer(async (incoming, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const request: LoggedRequest = {
      method: incoming.method ?? "",
      url: incoming.url ?? "",
      headers: incoming.headers,
      body: Buffer.concat(chunks).toString("utf8"),
    };
    log.push(request);
    await handler()(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    requests: (prefix) => log.filter((request) => request.url.startsWith(prefix)),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
