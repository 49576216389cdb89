/**
 * A small API on 127.0.0.1 for runner tests: each path answers as the test's routes say, and every
 * request is logged (method, URL with query, body). With a client on its origin, everything the
 * runner does goes over real HTTP.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createCertnClient } from "../../../src/index.ts";

/** A request the API received. */
export interface LoggedRequest {
  method: string;
  url: string;
  body: string;
}

/** What a route answers: status, headers (a list for repeated ones) and a body (JSON unless a string). */
export interface Answer {
  status?: number;
  headers?: Record<string, string | string[]>;
  body?: unknown;
}

/** Answers a request to one path (the path without its query). */
export type Route = (request: LoggedRequest, count: number) => Answer;

/** A running API. */
export interface LocalApi {
  origin: string;
  log: LoggedRequest[];
  /** A client of this API with an API key (which the runner must never show). */
  client(): ReturnType<typeof createCertnClient>;
  close(): Promise<void>;
}

/** The API key {@link LocalApi.client} sends. */
export const LOCAL_API_KEY = "local-api-key-0123456789";

function answer(response: ServerResponse, { status = 200, headers = {}, body = {} }: Answer): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const type = typeof body === "string" ? "text/plain" : "application/json";
  response.writeHead(status, { "content-type": type, ...headers });
  response.end(text);
}

/** Starts the API on a free port of 127.0.0.1; a path without a route answers 404. */
export async function startLocalApi(routes: Record<string, Route>): Promise<LocalApi> {
  const log: LoggedRequest[] = [];
  const counts = new Map<string, number>();
  const server = createServer(async (incoming: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const request = {
      method: incoming.method ?? "",
      url: incoming.url ?? "",
      body: Buffer.concat(chunks).toString("utf8"),
    };
    log.push(request);
    const path = new URL(request.url, "http://127.0.0.1").pathname;
    const count = (counts.get(path) ?? 0) + 1;
    counts.set(path, count);
    const route = routes[path];
    answer(response, route ? route(request, count) : { status: 404, body: { detail: "Not found." } });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    log,
    client: () => createCertnClient({ apiKey: LOCAL_API_KEY, baseUrl: origin }),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
