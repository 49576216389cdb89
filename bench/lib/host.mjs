// Parent side of lib/inprocess-host.mjs.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";

const entry = fileURLToPath(new URL("./inprocess-host.mjs", import.meta.url));

/** Starts the in-process host; `run(params)` resolves with `{ ms, passed, requests, assertionsPassed }`. */
export async function startHost() {
  const child = fork(entry, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  let nextId = 1;
  const pending = new Map();
  await new Promise((resolve, reject) => {
    child.once("error", reject);
    child.on("message", (message) => {
      if (message.type === "ready") resolve();
      else pending.get(message.id)?.(message);
    });
  });
  return {
    run: (params) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, (message) => {
          pending.delete(id);
          if (message.error) reject(new Error(message.error));
          else resolve(message);
        });
        child.send({ id, type: "run", ...params });
      }),
    close: async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.send({ type: "exit" });
      await exited;
    },
  };
}
