/**
 * Serves a simulator over real HTTP on Node (tests, benchmarks, `npm run simulator`).
 * Only this file and serve.ts use Node APIs; the app itself stays web-standard.
 */
import type { Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createAdaptorServer, type Http2Bindings, type HttpBindings } from "@hono/node-server";
import {
  type CertnSimulator,
  type CertnSimulatorOptions,
  createCertnSimulator,
  SimulatedDrop,
} from "./index.ts";

/** Options of `serveCertnSimulator`: where to listen, plus every simulator option. */
export interface ServeCertnSimulatorOptions extends CertnSimulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Listening address (default 127.0.0.1). */
  hostname?: string;
}

/** A simulator listening on a socket. */
export interface ServedCertnSimulator {
  /** Base URL, e.g. `http://127.0.0.1:40123` (no trailing slash). */
  url: string;
  simulator: CertnSimulator;
  /** TCP connections accepted so far (keep-alive makes this much smaller than the request count). */
  readonly connections: number;
  /** Connections open right now. */
  readonly openConnections: number;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/** Starts a simulator on `hostname:port` with keep-alive, counting TCP connections. */
export async function serveCertnSimulator(
  options: ServeCertnSimulatorOptions = {},
): Promise<ServedCertnSimulator> {
  const { port = 0, hostname = "127.0.0.1", ...simulatorOptions } = options;
  const simulator = createCertnSimulator(simulatorOptions);
  const server = createAdaptorServer({
    hostname,
    // Keep Node's global Request/Response untouched: tests share the process.
    overrideGlobalObjects: false,
    fetch: async (request: Request, env: HttpBindings | Http2Bindings) => {
      try {
        return await simulator.fetch(request);
      } catch (error) {
        if (error instanceof SimulatedDrop) {
          // An injected drop: reset the connection, as a crashed upstream would.
          env.incoming.socket.destroy();
          return new Response(null, { status: 500 });
        }
        throw error;
      }
    },
  }) as Server;
  server.keepAliveTimeout = 30_000;
  let connections = 0;
  const open = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    connections++;
    open.add(socket);
    socket.on("close", () => open.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    simulator,
    get connections() {
      return connections;
    },
    get openConnections() {
      return open.size;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
