/**
 * Vitest global setup of the durable project: a real HTTP receiver of monitor alerts on
 * 127.0.0.1, so alerts cross a real socket. `POST /ok/<key>` answers 204, `POST /fail/<key>` 500,
 * `POST /flaky/<key>` 500 the first time and 204 after, `POST /gone/<key>` 410, and
 * `POST /redirect/<key>` 307 to `/ok/<key>-followed`; `GET /received/<key>` lists what each key
 * received (path, headers and body text), oldest first.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestProject } from "vitest/node";

/** One alert as the receiver got it. */
export interface ReceivedAlert {
  path: string;
  method: string;
  contentType: string | undefined;
  body: string;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

export default async function setup(project: TestProject) {
  const received = new Map<string, ReceivedAlert[]>();
  const server = createServer(async (request, response) => {
    const [, mode = "", key = ""] = (request.url ?? "/").split("/");
    if (request.method === "GET" && mode === "received") {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(received.get(key) ?? []));
      return;
    }
    const body = await readBody(request);
    const list = received.get(key) ?? [];
    list.push({
      path: request.url ?? "/",
      method: request.method ?? "",
      contentType: request.headers["content-type"],
      body,
    });
    received.set(key, list);
    if (mode === "redirect") {
      response.writeHead(307, { location: `/ok/${key}-followed` });
    } else if (mode === "gone") {
      response.writeHead(410);
    } else {
      const fails = mode === "fail" || (mode === "flaky" && list.length === 1);
      response.writeHead(fails ? 500 : 204);
    }
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  project.provide("alertReceiver", { baseUrl: `http://127.0.0.1:${port}` });
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
