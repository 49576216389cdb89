/**
 * Serves a simulator over real HTTP on Node (tests, benchmarks, `npm run simulator`).
 * Only this file and serve.ts use Node APIs; the app itself stays web-standard. In real time,
 * this file is where timers live: each status change is announced by webhook when it happens,
 * not when the next request arrives.
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
  // Served, webhooks reach a real receiver that compares `t` with its own clock.
  const hook = simulatorOptions.webhook;
  const simulator = createCertnSimulator(
    hook === undefined
      ? simulatorOptions
      : { ...simulatorOptions, webhook: { signatureTime: "wall", ...hook } },
  );
  const timers = webhookTimer(simulator, simulatorOptions.realTime === true);
  const server = createAdaptorServer({
    hostname,
    // Keep Node's global Request/Response untouched: tests share the process.
    overrideGlobalObjects: false,
    fetch: async (request: Request, env: HttpBindings | Http2Bindings) => {
      try {
        const response = await simulator.fetch(request);
        timers.rearm();
        return response;
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
  timers.rearm();
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
        timers.stop();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Longest single wait: a clock advanced by hand is noticed within a second. */
const MAX_WAIT_MS = 1_000;

/**
 * One timer for the next status change a webhook announces by itself: when it fires, the
 * simulator delivers what is due and the timer is armed for the change after. Only in real
 * time; on a simulated clock that stands still, `clock.advance()` delivers instead.
 */
function webhookTimer(simulator: CertnSimulator, realTime: boolean): { rearm(): void; stop(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const rearm = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const next = realTime && !stopped ? simulator.nextWebhookAt() : undefined;
    if (next === undefined) return;
    const wait = Math.min(Math.max(0, next - simulator.clock.now()), MAX_WAIT_MS);
    timer = setTimeout(() => {
      timer = undefined;
      // Advancing by nothing queues what is due now, as every advance does; deliveries run on.
      simulator.clock.advance(0);
      rearm();
    }, wait);
    // The server keeps the process alive; a pending timer alone should not.
    timer.unref();
  };
  return {
    rearm,
    stop: () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
