// Parent side of lib/inprocess-host.mjs.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";

const entry = fileURLToPath(new URL("./inprocess-host.mjs", import.meta.url));

/** Starts the in-process host; `run(params)` resolves with `{ ms, passed, requests, assertionsPassed }`. */
export async function startHost() {
  const child = fork(entry, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  let nextId = 1;
  const pending = new Map();
  let closing = false;
  await new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => {
      const error = `in-process host exited unexpectedly (code ${code})`;
      reject(new Error(error));
      if (!closing) for (const settle of pending.values()) settle({ error });
    });
    child.on("message", (message) => {
      if (message.type === "ready") resolve();
      else pending.get(message.id)?.(message);
    });
  });
  return {
    run: (params) =>
      new Promise((resolve, reject) => {
        if (child.exitCode !== null) {
          reject(new Error("in-process host is not running"));
          return;
        }
        const id = nextId++;
        pending.set(id, (message) => {
          pending.delete(id);
          if (message.error) reject(new Error(message.error));
          else resolve(message);
        });
        child.send({ id, type: "run", ...params });
      }),
    close: async () => {
      if (child.exitCode !== null) return;
      closing = true;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.send({ type: "exit" });
      await exited;
    },
  };
}
