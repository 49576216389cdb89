// Starts lib/sim-server.mjs as a child process and talks to it over IPC.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";

const entry = fileURLToPath(new URL("./sim-server.mjs", import.meta.url));

/**
 * A simulator served over HTTP from its own process.
 * @param {object} options simulator options (rateLimit, realTime, ...), JSON-serialisable
 * @returns {Promise<{url: string, credentials: {clientId: string, clientSecret: string}, pid: number,
 *   stats(): Promise<{connections: number, openConnections: number, tokenRequests: number, throttled: number, requests: number,
 *   byRoute: Record<string, number>}>, close(): Promise<void>}>}
 */
export async function startSimulator(options = {}) {
  const child = fork(entry, [JSON.stringify(options)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  let nextId = 1;
  const pending = new Map();
  let closing = false;
  const ready = new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => {
      const error = new Error(`simulator server exited unexpectedly (code ${code})`);
      reject(error);
      // A question asked of a dead server must fail, not hang the bench.
      if (!closing) for (const settle of pending.values()) settle({ error });
    });
    child.on("message", (message) => {
      if (message.type === "ready") resolve(message);
      else pending.get(message.id)?.(message);
    });
  });
  const { url, credentials } = await ready;
  const ask = (type) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, (message) => {
        pending.delete(id);
        if (message.error) reject(message.error);
        else resolve(message);
      });
      child.send({ id, type });
    });
  return {
    url,
    credentials: { clientId: credentials.clientId, clientSecret: credentials.clientSecret },
    pid: child.pid,
    stats: async () => (await ask("stats")).stats,
    close: async () => {
      if (child.exitCode !== null) return;
      closing = true;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      await ask("close");
      await exited;
    },
  };
}
