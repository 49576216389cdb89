/**
 * The rules of monitors, inside workerd: schedules (croner, at most every 5 minutes, the tick's
 * window), where alerts may go and how their URL is shown, and when an alert is sent.
 */
import { describe, expect, it } from "vitest";
import { alertUrlProblem, redactAlertUrl } from "../../../src/worker/alert-url.ts";
import { alertMessage, shouldAlert } from "../../../src/worker/monitor-alert.ts";
import { dueSlot, nextFire, scheduleIssue } from "../../../src/worker/monitor-schedule.ts";

const NOW = Date.UTC(2031, 0, 7, 12, 0);
const at = (hours: number, minutes: number, seconds = 0, ms = 0) =>
  Date.UTC(2031, 0, 7, hours, minutes, seconds, ms);

describe("monitor schedules", () => {
  it("accept five-field UTC expressions and nicknames at most every 5 minutes", () => {
    for (const schedule of [
      "*/5 * * * *",
      "@hourly",
      "@daily",
      "0 3 * * 1-5",
      "0,30 * * * *",
      "55 23 31 12 *",
    ]) {
      expect(scheduleIssue(schedule, NOW), schedule).toBeUndefined();
    }
  });

  it("refuse, at /schedule, what does not parse, never fires or fires less than 5 minutes apart", () => {
    const cases: Array<[unknown, string]> = [
      [undefined, "required"],
      [5, "required"],
      ["   ", "required"],
      ["every day", "not a valid"],
      ["0 0 * * * *", "five fields"],
      ["61 * * * *", "minute"],
      ["0 0 30 2 *", "never fires"],
      ["*/4 * * * *", "4 minute(s) apart"],
      ["* * * * *", "1 minute(s) apart"],
      // Close only across midnight, once a day.
      ["0,59 0,23 * * *", "1 minute(s) apart"],
      // Close only across a month's end.
      ["0,58 0,23 1,31 * *", "2 minute(s) apart"],
      [`0 ${"1,".repeat(120)}2 * * *`, "at most 200"],
    ];
    for (const [schedule, words] of cases) {
      const issue = scheduleIssue(schedule, NOW);
      expect(issue?.path, String(schedule)).toBe("/schedule");
      expect(issue?.message, String(schedule)).toContain(words);
    }
  });

  it("are due at a tick when a fire time lies in the 5 minutes up to it, the earlier end excluded", () => {
    expect(dueSlot("0 * * * *", at(12, 0))).toBe(at(12, 0));
    expect(dueSlot("0 * * * *", at(12, 4, 59, 999))).toBe(at(12, 0));
    expect(dueSlot("0 * * * *", at(12, 5))).toBeUndefined();
    expect(dueSlot("0 * * * *", at(11, 59, 59))).toBeUndefined();
    expect(dueSlot("*/5 * * * *", at(12, 7))).toBe(at(12, 5));
    expect(dueSlot("*/5 * * * *", at(12, 5))).toBe(at(12, 5));
    expect(dueSlot("7 12 * * *", at(12, 10))).toBe(at(12, 7));
    expect(dueSlot("7 12 * * *", at(12, 5))).toBeUndefined();
  });

  it("tell their next fire time", () => {
    expect(nextFire("0 * * * *", at(12, 30))).toBe(at(13, 0));
    expect(nextFire("0 * * * *", at(12, 0))).toBe(at(13, 0));
    expect(nextFire("0 0 30 2 *", at(12, 0))).toBeUndefined();
    expect(nextFire("not a schedule", at(12, 0))).toBeUndefined();
  });
});

describe("alert URLs", () => {
  const production = { certnOrigin: "https://demo-api.certn.co", allowLoopback: false };

  it("take https: URLs on public hosts", () => {
    for (const url of [
      "https://hooks.slack.com/services/T000/B000/XXXX",
      "https://example.com:8443/hook?token=abc",
      "https://8.8.8.8/hook",
      "https://[2606:4700::1111]/hook",
    ]) {
      expect(alertUrlProblem(url, production), url).toBeUndefined();
    }
  });

  it("refuse http:, user info, special addresses, internal names and Certn, saying why", () => {
    const cases: Array<[string, string]> = [
      ["hooks.slack.com/x", "absolute URL"],
      ["http://hooks.slack.com/x", "https:"],
      ["ftp://example.com/x", "https:"],
      ["https://user:pass@example.com/x", "user info"],
      ["https://10.1.2.3/x", "private"],
      ["https://172.16.0.1/x", "private"],
      ["https://192.168.1.1/x", "private"],
      ["https://127.0.0.1/x", "loopback"],
      ["https://2130706433/x", "loopback"],
      ["https://0x7f.1/x", "loopback"],
      ["https://[::1]/x", "loopback"],
      ["https://[::ffff:192.168.0.1]/x", "private"],
      // IPv4-compatible IPv6 (::/96): WHATWG URL writes [::127.0.0.1] as [::7f00:1].
      ["https://[::127.0.0.1]/x", "ipv4Compatible"],
      ["https://[::a00:1]/x", "ipv4Compatible"],
      ["https://169.254.169.254/latest/meta-data", "linkLocal"],
      ["https://[fe80::1]/x", "linkLocal"],
      ["https://[fd12::1]/x", "uniqueLocal"],
      ["https://100.64.1.1/x", "carrierGradeNat"],
      ["https://0.0.0.0/x", "unspecified"],
      ["https://localhost/x", "inside a network"],
      ["https://LOCALHOST./x", "inside a network"],
      ["https://printer.local/x", "inside a network"],
      ["https://metadata.google.internal/x", "inside a network"],
      ["https://intranet/x", "single label"],
      ["https://api.certn.co/x", "Certn"],
      ["https://API.Certn.co./x", "Certn"],
      ["https://demo-api.certn.co/x", "Certn"],
      [`https://example.com/${"a".repeat(2100)}`, "at most 2048"],
    ];
    for (const [url, words] of cases) {
      expect(alertUrlProblem(url, production), url.slice(0, 60)).toContain(words);
    }
    expect(
      alertUrlProblem("https://certn.example.org/hook", {
        certnOrigin: "https://certn.example.org",
        allowLoopback: false,
      }),
    ).toContain("Certn");
  });

  it("take http://127.0.0.1 only when the entry allows loopback, and nothing else private", () => {
    const local = { ...production, allowLoopback: true };
    expect(alertUrlProblem("http://127.0.0.1:9000/hook", production)).toContain("https:");
    expect(alertUrlProblem("http://127.0.0.1:9000/hook", local)).toBeUndefined();
    expect(alertUrlProblem("https://127.0.0.1:9000/hook", local)).toBeUndefined();
    expect(alertUrlProblem("http://10.0.0.1/hook", local)).toContain("https:");
    expect(alertUrlProblem("https://10.0.0.1/hook", local)).toContain("private");
    expect(alertUrlProblem("http://localhost:9000/hook", local)).toContain("https:");
  });

  it("are shown as their origin and a redacted path", () => {
    expect(redactAlertUrl("https://hooks.slack.com/services/T000/B000/secret")).toBe(
      "https://hooks.slack.com/***",
    );
    expect(redactAlertUrl("https://example.com:8443/?token=secret")).toBe("https://example.com:8443/***");
    expect(redactAlertUrl("https://example.com")).toBe("https://example.com/");
  });
});

describe("alert decisions", () => {
  it("follow on: failure, change (a first run counts from passing) and always", () => {
    const table: Array<[Parameters<typeof shouldAlert>, boolean]> = [
      [["failure", "failed", "passed"], true],
      [["failure", "errored", undefined], true],
      [["failure", "passed", "failed"], false],
      [["failure", "cancelled", "passed"], false],
      [["change", "failed", undefined], true],
      [["change", "passed", undefined], false],
      [["change", "failed", "passed"], true],
      [["change", "errored", "failed"], false],
      [["change", "passed", "failed"], true],
      [["change", "passed", "errored"], true],
      [["change", "passed", "passed"], false],
      [["change", "cancelled", "failed"], false],
      [["always", "passed", "passed"], true],
      [["always", "cancelled", undefined], true],
    ];
    for (const [args, expected] of table) expect(shouldAlert(...args), args.join(" ")).toBe(expected);
  });

  it("say what happened in a Slack text and structured fields, from ids and counts only", () => {
    const summary = { items: 3, done: 3, passed: 2, failed: 1, errored: 0, skipped: 0 };
    const message = alertMessage(
      { runId: "run-1", monitor: { owner: "alice@example.com", id: "nightly" }, status: "failed", summary },
      "certn-smoke",
      "passed",
    );
    expect(message).toEqual({
      text: 'certn-edge monitor "nightly" (certn-smoke): run failed, 2 passed, 1 failed, 0 errored, 0 skipped of 3 items; run run-1',
      monitor: "nightly",
      collection: "certn-smoke",
      runId: "run-1",
      status: "failed",
      previousStatus: "passed",
      summary: { items: 3, passed: 2, failed: 1, errored: 0, skipped: 0 },
    });
    // The owner (a JWT subject, often an email address) is never part of it.
    expect(JSON.stringify(message)).not.toContain("alice");
    const recovered = alertMessage(
      { runId: "run-2", monitor: { owner: "alice", id: "nightly" }, status: "passed", summary },
      "certn-smoke",
      "failed",
    );
    expect(recovered.text).toContain("run passed (recovered)");
  });
});
