/**
 * `npm start` end to end: the launcher applies the D1 migrations, starts wrangler's development
 * entry and prints three curl lines, each run as a user pasting it: the bundled smoke collection
 * passes against the embedded simulator; a durable run of centric-quickscreen answers 202 and,
 * read with the status line, ends passed (its poll woken by the simulator's webhooks, delivered
 * in-process to the Worker's own /webhooks/certncentric). Then the web console's one-click link:
 * its `#login=` code (in no server output) trades once for a console token that reads and edits
 * collections; a wrong or spent code is refused.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../../scripts/wrangler-dev.mjs";

const root = resolve(import.meta.dirname, "../../..");
const persistTo = mkdtempSync(join(tmpdir(), "certn-edge-start-"));
let child: ChildProcess | undefined;

/** Stops the launcher and everything it started (its own process group). */
async function stop(): Promise<void> {
  const running = child;
  if (running?.pid === undefined || running.exitCode !== null || running.signalCode !== null) return;
  const exited = new Promise((resolveExit) => running.once("exit", resolveExit));
  try {
    process.kill(-running.pid, "SIGTERM");
  } catch {
    // Already gone.
  }
  await exited;
}

/** Command lines (argv joined by spaces) of every live process in `pgid`'s process group. */
function groupCommandLines(pgid: number): string[] {
  const lines: string[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the command name (which may hold spaces) start after its closing parenthesis.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== pgid) continue;
      lines.push(readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" "));
    } catch {
      // The process ended while it was being read.
    }
  }
  return lines;
}

/** The claims of a JWT (not verified: the Worker does that). */
function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<
    string,
    unknown
  >;
}

afterAll(async () => {
  await stop();
  rmSync(persistTo, { recursive: true, force: true });
});

describe("npm start", () => {
  it("is the package's start script", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.start).toBe("node scripts/start.mjs");
  });

  it("prints curl lines that run a bundled collection, immediately and durably", {
    timeout: 180_000,
  }, async () => {
    const devVarsBefore = existsSync(join(root, ".dev.vars"));
    const port = await freePort();
    // What `npm start` runs, in its own process group so the whole tree can be stopped.
    child = spawn(process.execPath, ["scripts/start.mjs"], {
      cwd: root,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, CERTN_EDGE_PORT: String(port), CERTN_EDGE_PERSIST_TO: persistTo },
    });
    let output = "";
    const curlLines = await new Promise<string[]>((resolveLines, reject) => {
      const onData = (chunk: Buffer): void => {
        output += chunk.toString("utf8");
        // The last printed line: every curl line is out by then.
        if (!output.includes("Press Ctrl+C to stop.\n")) return;
        resolveLines(output.split("\n").filter((candidate) => candidate.startsWith("curl ")));
      };
      child?.stdout?.on("data", onData);
      child?.stderr?.on("data", onData);
      child?.once("exit", (code) =>
        reject(new Error(`npm start exited (${code}) before printing:\n${output}`)),
      );
    });

    // Three lines mention curl, each a whole command: run now, run durably, read a run.
    expect(output.split("\n").filter((line) => /curl/i.test(line))).toEqual(curlLines);
    expect(curlLines).toHaveLength(3);
    const [curlLine = "", durableLine = "", statusLine = ""] = curlLines;
    for (const line of curlLines) expect(line).not.toMatch(/\\$|\|/);
    expect(curlLine).toContain(`http://127.0.0.1:${port}/collections/certn-smoke/runs`);
    expect(durableLine).toContain('-H "Prefer: respond-async"');
    expect(durableLine).toContain(`http://127.0.0.1:${port}/collections/centric-quickscreen/runs`);
    expect(statusLine).toContain(`http://127.0.0.1:${port}/runs/RUN_ID`);

    // Run it exactly as a user pasting it into a shell would.
    const answer = execFileSync("sh", ["-c", curlLine], { encoding: "utf8", timeout: 60_000 });
    const result = JSON.parse(answer) as {
      summary: { items: number; passed: number; failed: number; errored: number };
    };
    expect(result.summary.items).toBeGreaterThan(0);
    expect(result.summary).toMatchObject({ failed: 0, errored: 0 });
    expect(result.summary.passed).toBe(result.summary.items);

    // The durable line answers 202 at once; the status line, with its runId, shows it end passed.
    const accepted = execFileSync(
      "sh",
      ["-c", durableLine.replace("curl -s ", "curl -s -w '\\n%{http_code}' ")],
      { encoding: "utf8", timeout: 60_000 },
    )
      .trim()
      .split("\n");
    expect(accepted.at(-1)).toBe("202");
    const started = JSON.parse(accepted.slice(0, -1).join("\n")) as { runId: string; status: string };
    expect(started.status).toBe("queued");
    expect(started.runId).toMatch(/^[0-9a-f-]{36}$/);
    const statusCommand = statusLine.replace("RUN_ID", started.runId);
    const seen = new Set<string>();
    let record: { status: string; mode: string; result?: { summary: Record<string, number> } } = {
      status: "",
      mode: "",
    };
    for (
      let tries = 0;
      tries < 120 && !["passed", "failed", "errored", "cancelled"].includes(record.status);
      tries++
    ) {
      if (tries > 0) await new Promise((resolveWait) => setTimeout(resolveWait, 500));
      record = JSON.parse(execFileSync("sh", ["-c", statusCommand], { encoding: "utf8", timeout: 30_000 }));
      seen.add(record.status);
    }
    expect(record).toMatchObject({ status: "passed", mode: "durable" });
    expect(record.result?.summary).toMatchObject({ items: 5, passed: 5, failed: 0, errored: 0 });
    expect(seen.has("waiting")).toBe(true);

    // The printed token names its scopes: exactly what the printed commands and the README's
    // (store a collection, then run it) need.
    const jwt = /Bearer ([\w-]+\.[\w-]+\.[\w-]+)/.exec(curlLine)?.[1] ?? "";
    expect(claimsOf(jwt).scope).toBe("runs:saved collections:write");
    const forbidden = await fetch(`http://127.0.0.1:${port}/collections`, {
      headers: { authorization: `Bearer ${jwt}` },
    });
    expect(forbidden.status).toBe(403);
    // The README's two commands, as written there.
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const readmeLines = (/curl -s -X PUT .*\n.*collections\/teams\/runs/.exec(readme)?.[0] ?? "").split("\n");
    expect(readmeLines).toHaveLength(2);
    const teams = join(mkdtempSync(join(tmpdir(), "certn-edge-readme-")), "teams.json");
    // The collection as the README has it saved.
    const saved = /<!-- example: file teams\.json -->\n```json\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(saved).toBeDefined();
    writeFileSync(teams, saved ?? "");
    for (const [index, line] of readmeLines.entries()) {
      const command = line
        .replaceAll("$JWT", jwt)
        .replaceAll("@teams.json", `@${teams}`)
        .replaceAll("127.0.0.1:8787", `127.0.0.1:${port}`)
        .replace("curl -s ", "curl -s -w '\\n%{http_code}' ");
      const answer = execFileSync("sh", ["-c", command], { encoding: "utf8", timeout: 60_000 })
        .trim()
        .split("\n");
      expect(Number(answer.at(-1)), `README line ${index + 1}: ${answer.join(" ")}`).toBeLessThan(300);
    }

    // The console: one link whose fragment holds a one-time code (a fragment never reaches a
    // server); the Worker trades the code once for a console token. No token is printed for it.
    const lines = output.split("\n");
    const linkLine = lines.find((line) => line.startsWith("Web console (one click, signs you in): ")) ?? "";
    const link = linkLine.slice("Web console (one click, signs you in): ".length);
    expect(link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/#login=[\\w-]{43}$`));
    const code = new URL(link).hash.slice("#login=".length);
    // 32 random bytes (256 bits), printed in that one line only: not in wrangler's output.
    expect(Buffer.from(code, "base64url")).toHaveLength(32);
    expect(output.split(code)).toHaveLength(2);
    const shell = await fetch(`http://127.0.0.1:${port}/`);
    expect(shell.status).toBe(200);
    expect(shell.headers.get("content-security-policy")).toContain("default-src 'self'");
    const login = (body: unknown): Promise<Response> =>
      fetch(`http://127.0.0.1:${port}/console/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const wrongCode = `${code.slice(0, -1)}${code.endsWith("A") ? "B" : "A"}`;
    const wrong = await login({ code: wrongCode });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("wrong");
    const traded = await login({ code });
    expect(traded.status).toBe(200);
    const consoleToken = ((await traded.json()) as { token: string }).token;
    expect(claimsOf(consoleToken)).toMatchObject({
      sub: "npm-start-console",
      scope: "collections:read collections:write runs:saved monitors:read monitors:write",
    });
    const spent = await login({ code });
    expect(spent.status).toBe(401);
    expect(await spent.text()).toContain("already used");
    const listed = await fetch(`http://127.0.0.1:${port}/collections`, {
      headers: { authorization: `Bearer ${consoleToken}` },
    });
    expect(listed.status).toBe(200);
    // The Monitors page works from it: list, create and delete a monitor.
    const monitors = `http://127.0.0.1:${port}/monitors`;
    const consoleAuth = { authorization: `Bearer ${consoleToken}` };
    expect((await fetch(monitors, { headers: consoleAuth })).status).toBe(200);
    const created = await fetch(`${monitors}/start-check`, {
      method: "PUT",
      headers: { ...consoleAuth, "content-type": "application/json" },
      body: JSON.stringify({ collection: "certn-smoke", schedule: "0 3 * * *" }),
    });
    expect(created.status, await created.text()).toBe(201);
    expect((await fetch(`${monitors}/start-check`, { method: "DELETE", headers: consoleAuth })).status).toBe(
      204,
    );

    // The session secret reached wrangler in a private file, never on a command line.
    const commandLines = groupCommandLines(child?.pid as number);
    const wrangler = commandLines.find((line) => line.includes("--env-file")) ?? "";
    const file = /--env-file (\S+)/.exec(wrangler)?.[1] ?? "";
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const secretsFile = readFileSync(file, "utf8");
    const secret = /^RUNNER_JWT_SECRET='([^']+)'$/m.exec(secretsFile)?.[1] ?? "";
    expect(secret.length).toBeGreaterThanOrEqual(32);
    for (const line of commandLines) expect(line).not.toContain(secret);
    expect(output).not.toContain(secret);
    // The Worker knows the console code by its SHA-256 only, from the same private file; neither
    // the code nor its hash is on a command line, and the code is not in the file.
    const codeHash = createHash("sha256").update(code).digest("hex");
    expect(secretsFile).toMatch(new RegExp(`^CONSOLE_LOGIN_CODE_SHA256='${codeHash}'$`, "m"));
    expect(secretsFile).not.toContain(code);
    // After the logins too, wrangler's request log never showed the code (or its hash).
    expect(output.split(code)).toHaveLength(2);
    expect(output).not.toContain(codeHash);
    for (const line of commandLines) {
      expect(line).not.toContain(codeHash);
      expect(line).not.toContain(code);
    }
    expect(existsSync(join(root, ".dev.vars"))).toBe(devVarsBefore);
    expect(output.split("\n").filter((line) => /curl/i.test(line))).toHaveLength(3);
    await stop();
    // Deleted once wrangler is gone.
    expect(existsSync(file)).toBe(false);
  });

  it("refuses a port another server holds, naming the knob, before anything is printed as ready", async () => {
    // Another server answering /health there (an earlier npm start): its answers must not be
    // taken for this start's.
    const other = createServer((_request, response) => response.end("ok"));
    await new Promise<void>((listening) => other.listen(0, "127.0.0.1", listening));
    const address = other.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    try {
      const outcome = spawnSync(process.execPath, ["scripts/start.mjs"], {
        cwd: root,
        encoding: "utf8",
        timeout: 60_000,
        env: { ...process.env, CERTN_EDGE_PORT: String(port), CERTN_EDGE_PERSIST_TO: persistTo },
      });
      expect(outcome.status).toBe(1);
      expect(outcome.stderr).toContain(`127.0.0.1:${port} is already in use`);
      expect(outcome.stderr).toContain("CERTN_EDGE_PORT=");
      expect(outcome.stdout).not.toContain("ready");
    } finally {
      await new Promise((closed) => other.close(closed));
    }
  });
});
