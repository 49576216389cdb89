/**
 * `certn-edge run` with webhook waits, as users run it (the built CLI): with `--simulator` the
 * simulator's signed webhooks reach `wait` items in-process; against a simulator served on
 * 127.0.0.1 a wait has no source of events (CERTN_WAIT_UNSUPPORTED) unless `--webhook-port`
 * receives them, where a forged signature is refused (401) and delivers nothing.
 */
import { type ChildProcessByStdio, spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunResult } from "../../../src/results/result.ts";
import { type ServedCertnSimulator, serveCertnSimulator } from "../../../src/simulator/node.ts";
import { cleanEnv, ROOT, runCli, useBuiltCli } from "./helpers/built-cli.ts";

const cli = useBuiltCli("certn-cli-webhooks-");
let served: ServedCertnSimulator;

beforeAll(async () => {
  served = await serveCertnSimulator({ port: 0, rateLimit: false });
});

afterAll(() => served.close());

beforeEach(() => served.simulator.reset());

/** A CertnCentric quickscreen order, as the bundled centric-quickscreen collection sends it. */
const centricOrder = {
  name: "Order a quickscreen",
  request: {
    method: "POST",
    url: "/api/public/cases/order/",
    json: {
      email_address: "testy.mctestface@example.com",
      check_types_with_arguments: { IDENTITY_VERIFICATION_1: {} },
      permissible_purpose: "EMPLOYMENT",
      input_claims: {
        name: { given_name: "Testy", family_name: "McTestface", type: "LEGAL" },
        date_of_birth: "1990-01-15",
        email_address: "testy.mctestface@example.com",
        residences: [
          {
            address: {
              street_address: "123 Fake Street",
              locality: "Vancouver",
              administrative_division_1: "BC",
              postal_code: "V6B 1A1",
              country: "CA",
            },
            start_date: "2020-01-01",
          },
        ],
        position_location: { country: "CA", type: "REMOTE" },
        are_consents_and_disclosures_accepted: true,
        is_general_authorization_accepted: true,
        is_quickscreen_general_authorization_accepted: true,
      },
    },
  },
  retry: { retries: 0 },
  capture: { caseId: "$.id" },
  assert: [{ that: "status", equals: 201 }],
};

/** Writes a collection of `items` to the scratch folder and returns its path. */
function collectionFile(name: string, items: unknown[]): string {
  const path = join(cli.work, `${name}.json`);
  writeFileSync(path, JSON.stringify({ formatVersion: 1, name, items }, null, 2));
  return path;
}

/** Order a CertnCentric case, then wait for the webhook that says it is COMPLETE. */
function orderThenWaitForComplete(): string {
  return collectionFile("centric-order-wait", [
    centricOrder,
    {
      name: "Case complete",
      wait: {
        webhook: "certncentric",
        match: {
          "$.object_id": "{{caseId}}",
          "$.event_type": "CASE_STATUS_CHANGED",
          "$.case_status": "COMPLETE",
        },
        timeoutMs: 86_400_000,
      },
      capture: { eventId: "$.id", eventStatus: "$.case_status", eventCase: "$.object_id" },
      assert: [
        { that: "status", equals: 200 },
        { that: "$.object_type", equals: "CASE" },
        { that: "$.object_id", equals: "{{caseId}}" },
      ],
    },
  ]);
}

function parseReport(stdout: string): RunResult {
  return JSON.parse(stdout) as RunResult;
}

const centricEnv = () => ({
  CERTN_API_KEY: served.simulator.centric.apiKeys[0] ?? "",
  CERTN_API_KEY_SCHEME: "Api-Key",
  CERTN_BASE_URL: served.url,
});

describe("--simulator delivers the simulator's webhooks to wait items", () => {
  it("a CertnCentric case's COMPLETE event ends the wait; its body is the response", async () => {
    const file = orderThenWaitForComplete();
    const { code, stdout, stderr } = await runCli(cli.main, [
      "run",
      file,
      "--simulator",
      "--reporter",
      "json",
    ]);
    expect(stderr).toContain("PASS  Case complete");
    expect(code).toBe(0);
    const result = parseReport(stdout);
    const [order, wait] = result.items;
    expect(order?.status).toBe("passed");
    expect(wait?.status).toBe("passed");
    expect(wait?.attempts).toBe(0);
    // The capture came from the webhook body: the case's id, its status, and an event id of its own.
    const caseId = order?.captures?.caseId;
    expect(caseId).toMatch(/^[0-9a-f-]{36}$/);
    expect(wait?.captures?.eventCase).toBe(caseId);
    expect(wait?.captures?.eventStatus).toBe("COMPLETE");
    expect(wait?.captures?.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(wait?.captures?.eventId).not.toBe(caseId);
    // The wait ended at the event, in simulated time (a quick screen takes seconds, not the day).
    expect(wait?.response?.durationMs).toBeGreaterThan(0);
    expect(wait?.response?.durationMs).toBeLessThan(3_600_000);
    expect(result.summary.requests).toBe(1);
  });

  it("a partner API applicant's webhook (Certn-Signature, wall-clock t) ends a certn wait", async () => {
    const hr = JSON.parse(readFileSync(join(ROOT, "collections/hr-quick-screen.json"), "utf8")) as {
      variables: Record<string, string>;
      items: unknown[];
    };
    const path = join(cli.work, "partner-wait.json");
    const items = [
      ...hr.items.slice(0, 2),
      {
        name: "Report complete",
        wait: {
          webhook: "certn",
          match: { "$.id": "{{applicantId}}", "$.report_status": "COMPLETE" },
          timeoutMs: 3_600_000,
        },
        capture: { webhookStatus: "$.status" },
        assert: [{ that: "$.application.id", equals: "{{applicationId}}" }],
      },
    ];
    writeFileSync(
      path,
      JSON.stringify({ formatVersion: 1, name: "Partner wait", variables: hr.variables, items }),
    );
    const { code, stdout } = await runCli(cli.main, ["run", path, "--simulator", "--reporter", "json"]);
    const result = parseReport(stdout);
    expect(result.items.map((item) => item.status)).toEqual(["passed", "passed", "passed"]);
    expect(result.items[2]?.captures?.webhookStatus).toBe("Returned");
    expect(code).toBe(0);
  });
});

describe("against a served simulator", () => {
  it("without a source of events, the wait errors with CERTN_WAIT_UNSUPPORTED (exit 1)", async () => {
    const file = orderThenWaitForComplete();
    const { code, stdout } = await runCli(cli.main, ["run", file, "--reporter", "json"], {
      env: centricEnv(),
    });
    expect(code).toBe(1);
    const result = parseReport(stdout);
    expect(result.items[0]?.status).toBe("passed");
    expect(result.items[1]?.status).toBe("errored");
    expect(result.items[1]?.error?.code).toBe("CERTN_WAIT_UNSUPPORTED");
    expect(result.items[1]?.error?.message).toContain("--webhook-port");
    expect(served.simulator.requests["POST /api/public/cases/order/"]).toBe(1);
  });
});

/** A CLI process whose stderr is watched while it runs. */
interface LiveCli {
  child: ChildProcessByStdio<null, Readable, Readable>;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stderr. */
  waitForStderr(pattern: RegExp): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

function startCli(args: readonly string[], env: Record<string, string>): LiveCli {
  const child = spawn(process.execPath, [cli.main, ...args], {
    cwd: ROOT,
    env: cleanEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  const watchers: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    err += chunk;
    for (const watcher of [...watchers]) {
      const match = err.match(watcher.pattern);
      if (match) {
        watchers.splice(watchers.indexOf(watcher), 1);
        watcher.resolve(match);
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitForStderr: (pattern) =>
      new Promise((resolve, reject) => {
        const match = err.match(pattern);
        if (match) return resolve(match);
        watchers.push({ pattern, resolve });
        void exited.then(() => reject(new Error(`the CLI exited before printing ${pattern}:\n${err}`)));
      }),
    exited,
  };
}

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const hexHmac = (secret: string, body: string) => createHmac("sha256", secret).update(body).digest("hex");

describe("--webhook-port receives signed webhooks for the run", () => {
  const secret = "whsec-cli-test-0123456789abcdef";

  /** A run that orders a case and waits for its webhook, and its receiver's address once it listens. */
  async function startWaitingRun(): Promise<{ run: LiveCli; url: string }> {
    const run = startCli(["run", orderThenWaitForComplete(), "--webhook-port", "0", "--reporter", "json"], {
      ...centricEnv(),
      CERTN_CENTRIC_WEBHOOK_SECRET: secret,
    });
    const [, url = ""] = await run.waitForStderr(/Receiving webhooks at (http:\/\/127\.0\.0\.1:\d+)/);
    return { run, url };
  }

  it("a correctly signed CertnCentric event completes the wait; a forged one is 401 and does not", async () => {
    const { run, url } = await startWaitingRun();
    try {
      expect(run.stderr()).toMatch(
        /\/webhooks\/certncentric: live \(signatures checked with CERTN_CENTRIC_WEBHOOK_SECRET\)/,
      );
      expect(run.stderr()).toMatch(/\/webhooks\/certn: off, answers 503 \(CERTN_WEBHOOK_SECRET is not set\)/);
      // The case the CLI ordered, read back from the simulator.
      await until(() => served.simulator.requests["POST /api/public/cases/order/"] === 1, "the order");
      const listed = await served.simulator.fetch("/api/public/cases/", {
        headers: { authorization: `Api-Key ${centricEnv().CERTN_API_KEY}` },
      });
      const caseId = ((await listed.json()) as { results: { id: string }[] }).results[0]?.id ?? "";
      expect(caseId).toMatch(/^[0-9a-f-]{36}$/);
      const event = (id: string) =>
        JSON.stringify({
          id,
          event_type: "CASE_STATUS_CHANGED",
          object_id: caseId,
          object_type: "CASE",
          case_status: "COMPLETE",
        });
      const endpoint = `${url}/webhooks/certncentric`;

      // CertnCentric's endpoint check is answered as the library's helper does.
      const challenge = await fetch(`${endpoint}?challenge=abc123`);
      expect(challenge.status).toBe(200);
      expect(await challenge.text()).toBe("abc123");

      // Forged (another secret), unsigned, and the route without a secret: refused, nothing delivered.
      const forgedBody = event("evt-forged");
      const forged = await fetch(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json", "x-signature": hexHmac("not-the-secret", forgedBody) },
        body: forgedBody,
      });
      expect(forged.status).toBe(401);
      expect(await forged.text()).toContain("signature-mismatch");
      const unsigned = await fetch(endpoint, { method: "POST", body: forgedBody });
      expect(unsigned.status).toBe(401);
      const partner = await fetch(`${url}/webhooks/certn`, { method: "POST", body: forgedBody });
      expect(partner.status).toBe(503);
      const tooBig = await fetch(endpoint, { method: "POST", body: "x".repeat(1024 * 1024 + 1) });
      expect(tooBig.status).toBe(413);
      expect((await fetch(`${url}/elsewhere`, { method: "POST", body: "{}" })).status).toBe(404);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(run.child.exitCode).toBeNull();

      const goodBody = event("evt-good");
      const good = await fetch(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json", "x-signature": hexHmac(secret, goodBody) },
        body: goodBody,
      });
      expect(good.status).toBe(200);

      expect(await run.exited).toBe(0);
      const result = parseReport(run.stdout());
      expect(result.items[1]?.status).toBe("passed");
      // The wait took the signed event, not the forged one that came first.
      expect(result.items[1]?.captures?.eventId).toBe("evt-good");
      expect(result.items[1]?.captures?.eventCase).toBe(caseId);
      // Never a secret, a signature or a body in the output.
      const output = run.stdout() + run.stderr();
      expect(output).not.toContain(secret);
      expect(output).not.toContain(hexHmac(secret, goodBody));
      expect(run.stderr()).not.toContain("evt-good");
      // The listener is closed with the run.
      await expect(fetch(endpoint, { method: "POST", body: goodBody })).rejects.toThrow();
    } finally {
      if (run.child.exitCode === null) run.child.kill();
    }
  });

  it("a partner event signed with Certn-Signature is delivered to a certn wait", async () => {
    const file = collectionFile("partner-event-wait", [
      {
        name: "Applicant event",
        wait: { webhook: "certn", match: { "$.id": "{{applicantId}}" }, timeoutMs: 60_000 },
        capture: { reportStatus: "$.report_status" },
      },
    ]);
    const partnerSecret = "whsec-partner-test-fedcba9876543210";
    const { clientId, clientSecret } = served.simulator.credentials;
    const run = startCli(
      ["run", file, "--webhook-port", "0", "--var", "applicantId=app-42", "--reporter", "json"],
      {
        CERTN_CLIENT_ID: clientId,
        CERTN_CLIENT_SECRET: clientSecret,
        CERTN_BASE_URL: served.url,
        CERTN_WEBHOOK_SECRET: partnerSecret,
      },
    );
    try {
      const [, url = ""] = await run.waitForStderr(/Receiving webhooks at (http:\/\/127\.0\.0\.1:\d+)/);
      const body = JSON.stringify({ id: "app-42", report_status: "COMPLETE" });
      const t = Math.floor(Date.now() / 1000);
      const stale = t - 3600;
      const old = await fetch(`${url}/webhooks/certn`, {
        method: "POST",
        headers: { "certn-signature": `t=${stale},v1=${hexHmac(partnerSecret, `${stale}.${body}`)}` },
        body,
      });
      expect(old.status).toBe(401);
      expect(await old.text()).toContain("timestamp-out-of-tolerance");
      const fresh = await fetch(`${url}/webhooks/certn`, {
        method: "POST",
        headers: { "certn-signature": `t=${t},v1=${hexHmac(partnerSecret, `${t}.${body}`)}` },
        body,
      });
      expect(fresh.status).toBe(200);
      expect(await run.exited).toBe(0);
      expect(parseReport(run.stdout()).items[0]?.captures?.reportStatus).toBe("COMPLETE");
    } finally {
      if (run.child.exitCode === null) run.child.kill();
    }
  });

  it("a delivery posted twice satisfies one wait: the repeat is answered and not handed on", async () => {
    const file = collectionFile("two-waits", [
      {
        name: "First change",
        wait: { webhook: "certncentric", match: { "$.object_id": "{{caseId}}" }, timeoutMs: 60_000 },
      },
      {
        name: "Second change",
        wait: { webhook: "certncentric", match: { "$.object_id": "{{caseId}}" }, timeoutMs: 2_000 },
      },
    ]);
    const run = startCli(
      ["run", file, "--webhook-port", "0", "--var", "caseId=case-twice", "--reporter", "json"],
      { ...centricEnv(), CERTN_CENTRIC_WEBHOOK_SECRET: secret },
    );
    try {
      const [, url = ""] = await run.waitForStderr(/Receiving webhooks at (http:\/\/127\.0\.0\.1:\d+)/);
      const body = JSON.stringify({
        id: "evt-twice",
        event_type: "CASE_STATUS_CHANGED",
        object_id: "case-twice",
        object_type: "CASE",
      });
      const post = () =>
        fetch(`${url}/webhooks/certncentric`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-signature": hexHmac(secret, body) },
          body,
        });
      const first = await post();
      expect([first.status, (await first.text()).trim()]).toEqual([200, "ok"]);
      const repeat = await post();
      expect([repeat.status, (await repeat.text()).trim()]).toEqual([200, "duplicate"]);
      expect(await run.exited).toBe(1);
      const result = parseReport(run.stdout());
      // The second wait times out: it fails (collection format: "a wait fails with CERTN_WAIT_TIMEOUT").
      expect(result.items.map((item) => item.status)).toEqual(["passed", "failed"]);
      expect(result.items[1]?.error?.code).toBe("CERTN_WAIT_TIMEOUT");
    } finally {
      if (run.child.exitCode === null) run.child.kill();
    }
  });

  // SIGTERM is what a cancelled CI job, `docker stop` or `kill` sends: the same graceful stop.
  for (const [signal, code, who] of [
    ["SIGINT", 130, "Ctrl-C"],
    ["SIGTERM", 143, "SIGTERM"],
  ] as const) {
    it(`${who} stops a waiting run, reports it and closes the listener (exit ${code})`, async () => {
      const { run, url } = await startWaitingRun();
      try {
        await until(() => served.simulator.requests["POST /api/public/cases/order/"] === 1, "the order");
        run.child.kill(signal);
        expect(await run.exited).toBe(code);
        // Reported, not lost: the order that went out is in the report, the wait is aborted.
        const report = parseReport(run.stdout());
        expect(report.items[0]?.status).toBe("passed");
        expect(report.items[1]?.error?.code).toBe("CERTN_ABORTED");
        expect(run.stderr()).not.toMatch(/Error:|at .*\.js:\d+/);
        await expect(fetch(`${url}/webhooks/certncentric?challenge=x`)).rejects.toThrow();
      } finally {
        if (run.child.exitCode === null) run.child.kill("SIGKILL");
      }
    });
  }

  it("needs at least one webhook secret (exit 2, naming both variables)", async () => {
    const file = orderThenWaitForComplete();
    const { code, stdout, stderr } = await runCli(cli.main, ["run", file, "--webhook-port", "0"], {
      env: centricEnv(),
    });
    expect(code).toBe(2);
    expect(stderr).toContain("CERTN_WEBHOOK_SECRET");
    expect(stderr).toContain("CERTN_CENTRIC_WEBHOOK_SECRET");
    expect(stdout).not.toContain("Running");
    expect(served.simulator.requests["POST /api/public/cases/order/"]).toBeUndefined();
  });

  it("cannot be combined with --simulator, and takes a port number (exit 2)", async () => {
    const file = orderThenWaitForComplete();
    const both = await runCli(cli.main, ["run", file, "--simulator", "--webhook-port", "0"], {
      env: { CERTN_CENTRIC_WEBHOOK_SECRET: secret },
    });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--webhook-port and --simulator cannot be used together");
    const bad = await runCli(cli.main, ["run", file, "--webhook-port", "70000"], {
      env: { ...centricEnv(), CERTN_CENTRIC_WEBHOOK_SECRET: secret },
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--webhook-port must be a port number");
  });

  it("is listed by run --help", async () => {
    const { code, stdout } = await runCli(cli.main, ["run", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("--webhook-port PORT");
    expect(stdout).toContain("--simulator");
    expect(stdout).toContain("CERTN_CENTRIC_WEBHOOK_SECRET");
  });
});
