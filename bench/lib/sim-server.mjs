// Child process: serves the Certn simulator (built dist/) on 127.0.0.1 and answers the parent's
// IPC questions (connection and request counts). Kept out of the measuring process so the
// server's CPU never counts against one contender more than another.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { distDir } from "./build.mjs";

const { serveCertnSimulator } = await import(pathToFileURL(join(distDir(), "simulator/node.js")).href);

const options = JSON.parse(process.argv[2] ?? "{}");
const served = await serveCertnSimulator({ port: 0, ...options });

function stats() {
  const requests = served.simulator.requests;
  const total = Object.values(requests).reduce((sum, n) => sum + n, 0);
  return {
    connections: served.connections,
    openConnections: served.openConnections,
    tokenRequests: served.simulator.tokenRequests,
    throttled: served.simulator.throttled,
    requests: total,
    byRoute: requests,
  };
}

process.on("message", async (message) => {
  if (message.type === "stats") process.send({ id: message.id, stats: stats() });
  else if (message.type === "close") {
    await served.close();
    process.send({ id: message.id, closed: true });
    process.disconnect();
  }
});
process.send({ type: "ready", url: served.url, credentials: served.simulator.credentials });
