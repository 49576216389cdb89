/**
 * `npm run simulator` (src/simulator/serve.ts) on a bad start says what is wrong in one line, never
 * a stack: a taken port names `--port`, an unknown flag is named (a real process on 127.0.0.1).
 */
import { spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../../..");
const tsx = join(root, "node_modules", ".bin", "tsx");

function serve(args: string[]): { status: number | null; stderr: string } {
  const outcome = spawnSync(tsx, ["src/simulator/serve.ts", ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: outcome.status, stderr: outcome.stderr };
}

describe("npm run simulator", () => {
  it("names the taken port and --port, without a stack", async () => {
    const holder = createServer();
    await new Promise<void>((listening) => holder.listen(0, "127.0.0.1", listening));
    const address = holder.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    try {
      const { status, stderr } = serve(["--port", String(port)]);
      expect(status).toBe(1);
      expect(stderr.trim()).toBe(
        `certn simulator: 127.0.0.1:${port} is already in use; choose another port with --port N (0 picks a free one)`,
      );
    } finally {
      await new Promise((closed) => holder.close(closed));
    }
  });

  it("names an unknown flag, without a stack", () => {
    const { status, stderr } = serve(["--bogus"]);
    expect(status).toBe(2);
    expect(stderr.trim()).toBe("certn simulator: Unknown option '--bogus'");
  });
});
