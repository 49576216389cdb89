/**
 * The web console in a real browser: headless Chromium (scripts/browser.mjs, playwright-core)
 * against `wrangler dev` of the development entry (the Worker with the embedded simulator), as a
 * person uses it: a wrong token is refused and nothing else shows; with a right one the
 * collections are listed and opened, a stored collection is edited with an error (shown at its
 * line and JSON Pointer), fixed and saved, certn-smoke runs with every item passed, its details
 * open and its JUnit downloads; a durable run is followed to its end and another cancelled;
 * credentials added in front of the page (as Cloudflare Access adds them) need no paste; hostile
 * collection text is shown as text and nothing runs or loads; `npm start`'s one-click `#login=`
 * link signs in once (the code gone from the address and the history at once) and is refused
 * after; a monitor is created from its page
 * (a too-frequent schedule refused at its field first), the Cron Trigger fired, and its run shows
 * in the monitor's results table and duration chart (a failing monitor's as FAILED and a cross),
 * then it is edited and deleted. axe-core checks every page for WCAG
 * A/AA violations (run detail in the dark theme too), every page fits 320 px, and screenshots of
 * each page at 1280 and 390 px are taken: into docs/console/ with UPDATE_SCREENSHOTS=1 (the docs'
 * pictures), else into .tmp/ (a plain `npm test` leaves the working tree as it was).
 */
import type { ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SignJWT } from "jose";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { launchChromiumContext } from "../../../scripts/browser.mjs";
import { makeConsoleLogin } from "../../../scripts/console-login.mjs";
import {
  applyLocalD1Migrations,
  freePort,
  spawnWranglerDev,
  stopProcessGroup,
  waitForHealth,
} from "../../../scripts/wrangler-dev.mjs";

// wrangler, workerd and Chromium on a busy machine.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const root = resolve(import.meta.dirname, "../../..");
const screenshots =
  process.env.UPDATE_SCREENSHOTS === "1"
    ? join(root, "docs/console")
    : join(root, ".tmp/console-screenshots");
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const persistTo = mkdtempSync(join(tmpdir(), "certn-edge-console-"));
const callerSecret = `console-${crypto.randomUUID()}-${crypto.randomUUID()}`;
const HOSTILE_ID = "console-hostile";
const XSS = {
  script: "<script>window.__pwned = 1</script>",
  img: '<img src="/pwned.png" onerror="window.__pwned = 2">',
  link: "javascript:window.__pwned = 3",
};

let child: ChildProcess | undefined;
let output = "";
let base = "";
let token = "";
/** `npm start`'s one-click link for this wrangler, made as scripts/start.mjs makes it. */
let consoleLogin: ReturnType<typeof makeConsoleLogin>;
let browser: Awaited<ReturnType<typeof launchChromiumContext>> | undefined;
let context: BrowserContext;
let page: Page;
/** Every URL the page requested, and every CSP violation or page error it reported. */
const requests: string[] = [];
const pageErrors: string[] = [];

/** A caller JWT for this wrangler. */
async function callerJwt(scope: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sub: "console-test", scope, exp: now + 3600, iat: now })
    .setProtectedHeader({ alg: "HS256" })
    .sign(new TextEncoder().encode(callerSecret));
}

/** A stored collection whose every text is hostile markup; its one item fails, showing them. */
function hostileCollection(): Record<string, unknown> {
  return {
    formatVersion: 1,
    name: `Hostile ${XSS.script}`,
    description: `${XSS.img} ${XSS.link}`,
    items: [
      {
        name: `${XSS.img} users`,
        request: { method: "GET", url: "/api/v1/users/" },
        assert: [{ that: "status", equals: `${XSS.script} ${XSS.link}`, name: XSS.img }],
      },
    ],
  };
}

/** axe-core's WCAG 2.x A and AA rules on the current page: the violations, by rule id. */
async function axeViolations(): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern (as an extension would).
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            context: Document,
            options: unknown,
          ) => Promise<{ violations: { id: string; nodes: { target: unknown }[] }[]; passes: unknown[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    });
    // Rules that passed prove axe looked at the page (a failed load would pass nothing).
    if (result.passes.length === 0) return ["axe checked nothing"];
    return result.violations.map(
      (violation) => `${violation.id} ${JSON.stringify(violation.nodes.map((node) => node.target))}`,
    );
  });
}

/** Screenshots of the page as it is, 1280 and 390 px wide, into {@link screenshots}. */
async function screenshot(name: string): Promise<void> {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: join(screenshots, `${name}-${width}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Checks the page: no axe violation, nothing requested off this Worker, no CSP report, no error. */
async function checkPage(name: string): Promise<void> {
  expect(await axeViolations(), `axe on ${name}`).toEqual([]);
  expect(
    requests.filter((url) => !url.startsWith(`${base}/`)),
    `requests of ${name}`,
  ).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual(
    [],
  );
  expect(pageErrors).toEqual([]);
  // Readable at 320 px: nothing wider than the window forces a sideways scroll of the page.
  await page.setViewportSize({ width: 320, height: 900 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `horizontal overflow of ${name} at 320 px`).toBeLessThanOrEqual(0);
  await page.setViewportSize({ width: 1280, height: 900 });
}

beforeAll(async () => {
  const port = await freePort();
  await applyLocalD1Migrations({ config: "wrangler.dev.toml", persistTo });
  base = `http://127.0.0.1:${port}`;
  consoleLogin = makeConsoleLogin(base);
  child = spawnWranglerDev({
    config: "wrangler.dev.toml",
    port,
    persistTo,
    detached: true,
    secrets: { RUNNER_JWT_SECRET: callerSecret, ...consoleLogin.secrets },
    // /__scheduled?cron=... fires the Cron Trigger that starts due monitors.
    testScheduled: true,
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
  }
  await waitForHealth(base, child, 90_000).catch((error: Error) => {
    throw new Error(`${error.message}\n${output}`);
  });
  token = await callerJwt("collections:read collections:write runs:saved monitors:read monitors:write");
  const stored = await fetch(`${base}/collections/${HOSTILE_ID}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(hostileCollection(), null, 2),
  });
  expect(stored.status, await stored.text()).toBe(201);
  mkdirSync(screenshots, { recursive: true });
  browser = await launchChromiumContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  context = browser.context;
  // Runs before the page's own script, outside its CSP: records CSP reports and dialogs.
  await context.addInitScript(() => {
    const record: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = record;
    document.addEventListener("securitypolicyviolation", (event) =>
      record.push(`${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on("request", (request) => requests.push(request.url()));
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("dialog", (dialog) => {
    pageErrors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
});

afterAll(async () => {
  await browser?.close();
  if (child) await stopProcessGroup(child);
  rmSync(persistTo, { recursive: true, force: true });
});

describe("the web console in Chromium", () => {
  it("refuses a wrong token, says so, and shows nothing else", async () => {
    await page.goto(`${base}/`);
    await expect.poll(() => page.locator("h1").textContent()).toBe("Sign in");
    // Without a token (no Cloudflare Access in front) the sign-in form shows, with no complaint.
    expect(await page.locator('[role="alert"]').count()).toBe(0);
    await checkPage("sign-in");
    await screenshot("sign-in");
    await page.getByLabel("Caller token (JWT)").fill("not-a-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    const alert = page.locator('[role="alert"]');
    await expect.poll(() => alert.textContent()).toContain("The Worker refused the token");
    expect(await alert.textContent()).toContain("401");
    expect(await page.locator("h1").textContent()).toBe("Sign in");
    expect(await page.locator("#nav a").count()).toBe(0);
    expect(await page.locator("table").count()).toBe(0);
    // The refused token is forgotten, and was never put in the URL.
    expect(await page.evaluate(() => Object.keys(sessionStorage))).toEqual([]);
    expect(page.url()).not.toContain("not-a-token");
    await checkPage("refused token");
  });

  it("lists the collections and opens one with its items and assertions", async () => {
    // By keyboard: the field, then Enter submits the form.
    await page.getByLabel("Caller token (JWT)").fill(token);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("h1").textContent()).toBe("Collections");
    const smokeRow = page.locator('li[data-collection="certn-smoke"]');
    await smokeRow.waitFor();
    expect(await smokeRow.locator(".source").textContent()).toBe("bundled");
    expect(Number(await smokeRow.locator(".items-count").textContent())).toBeGreaterThan(0);
    expect(await page.locator(`li[data-collection="${HOSTILE_ID}"] .source`).textContent()).toBe("stored");
    // The token lives in sessionStorage only: no cookie, not in the URL.
    expect(await context.cookies()).toEqual([]);
    expect(page.url()).not.toContain(token);
    // This Worker has monitors: the navigation offers them.
    expect(await page.locator("#nav").textContent()).toContain("Monitors");
    await checkPage("collections");
    await screenshot("collections");

    await smokeRow.getByRole("link").first().click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("Collection certn-smoke");
    await page.locator("ol.items").waitFor();
    expect(await page.locator("ol.items > li").count()).toBeGreaterThan(0);
    expect(await page.locator("ol.items code").first().textContent()).toMatch(/^GET \//);
    expect(await page.locator("ul.assertions li").count()).toBeGreaterThan(0);
    expect(await page.locator("#collection-issues-heading").textContent()).toContain("No issue");
    await checkPage("collection");
    await screenshot("collection");

    // A malformed escape in the address names no page: "Not found", not the page before it.
    await page.evaluate(() => {
      location.hash = "#/collections/%E0";
    });
    await expect.poll(() => page.locator("h1").textContent()).toBe("Not found");
  });

  it("shows an edit's issues at their line and JSON Pointer, then saves the fixed collection", async () => {
    await page.goto(`${base}/#/collections/${HOSTILE_ID}`);
    const editor = page.getByLabel("JSON", { exact: true });
    await editor.waitFor();
    const original = await editor.inputValue();
    // A syntax error: one issue at the root, its message naming the line (the comma is missing at
    // the end of line 2, so line 3 is where the parser stops).
    await editor.fill(original.replace('"formatVersion": 1,', '"formatVersion": 1'));
    const syntax = page.locator('#collection-issues li[data-pointer=""]');
    await syntax.waitFor();
    expect(await syntax.textContent()).toContain("invalid JSON at line 3, column 3");
    const broken = original.replace('"method": "GET"', '"method": "FETCH"');
    expect(broken).not.toBe(original);
    await editor.fill(broken);
    const methodLine = broken.split("\n").findIndex((line) => line.includes('"method": "FETCH"')) + 1;
    const issue = page.locator('#collection-issues li[data-pointer="/items/0/request/method"]');
    await issue.waitFor();
    expect(await issue.getAttribute("data-line")).toBe(String(methodLine));
    expect(await issue.textContent()).toContain(`Line ${methodLine}`);
    expect(await page.locator("#collection-issues-heading").textContent()).toContain("issue(s) found");
    // The issue's button, pressed from the keyboard, selects the offending member in the editor.
    await issue.getByRole("button").focus();
    await page.keyboard.press("Enter");
    const selected = await editor.evaluate((node: HTMLTextAreaElement) =>
      node.value.slice(node.selectionStart, node.selectionEnd),
    );
    expect(selected).toBe('"method": "FETCH"');
    await page.getByRole("button", { name: "Save" }).click();
    expect(await page.locator(".save-status").textContent()).toContain("Not saved");
    await checkPage("collection editor with an issue");
    await screenshot("collection-edit");

    await editor.fill(
      original.replace('"method": "FETCH"', '"method": "GET"').replace("Hostile", "Edited hostile"),
    );
    await expect.poll(() => page.locator("#collection-issues-heading").textContent()).toContain("No issue");
    await page.getByRole("button", { name: "Save" }).click();
    await expect
      .poll(() => page.locator(".save-status").textContent())
      .toContain(`Saved (replaced) as ${HOSTILE_ID}`);
    const stored = (await (
      await fetch(`${base}/collections/${HOSTILE_ID}`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { name: string };
    expect(stored.name).toBe(`Edited hostile ${XSS.script}`);
  });

  it("runs certn-smoke with every item passed, opens its details and downloads its JUnit", async () => {
    await page.goto(`${base}/#/run/certn-smoke`);
    await page.getByRole("button", { name: "Run now" }).click();
    const status = page.locator(".run-output [role=status]");
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toContain("Finished:");
    const items = page.locator("ol.progress > li");
    const count = await items.count();
    expect(count).toBeGreaterThan(0);
    expect(await items.evaluateAll((nodes) => nodes.map((node) => node.getAttribute("data-status")))).toEqual(
      Array(count).fill("passed"),
    );
    // Each item is named once, by its folders and its own name.
    const smoke = JSON.parse(readFileSync(join(root, "collections/certn-smoke.json"), "utf8")) as {
      items: { name: string }[];
    };
    expect(await items.first().getAttribute("data-item")).toBe(smoke.items[0]?.name);
    // In words, not only in colour.
    expect(await items.locator(".status").allTextContents()).toEqual(Array(count).fill("PASSED"));
    expect(await status.textContent()).toContain(`${count} item(s): ${count} passed, 0 failed, 0 errored`);
    await checkPage("run");
    await screenshot("run");

    await page.getByRole("link", { name: "Open the run's details" }).click();
    await page.getByRole("button", { name: "Download JUnit" }).waitFor();
    expect(await page.locator("dl.overview").textContent()).toContain("PASSED");
    expect(await page.locator("details.item").count()).toBe(count);
    // Passed items stay closed; each opens to its assertions, expected beside actual.
    const first = page.locator("details.item").first();
    expect(await first.evaluate((node: HTMLDetailsElement) => node.open)).toBe(false);
    await first.locator("summary").click();
    expect(await first.locator("table.assertions th").allTextContents()).toEqual([
      "Result",
      "Assertion",
      "Expected",
      "Actual",
    ]);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download JUnit" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^run-[0-9a-f-]{36}\.junit\.xml$/);
    const junit = readFileSync((await download.path()) as string, "utf8");
    expect(junit).toContain("<testsuites");
    expect(junit).toContain(`tests="${count}"`);
    expect(junit).toContain('failures="0"');
    await checkPage("run detail");
    // The dark theme (the system's choice) passes too.
    await page.emulateMedia({ colorScheme: "dark" });
    expect(await axeViolations(), "axe on run detail, dark").toEqual([]);
    await page.emulateMedia({ colorScheme: "light" });
    await screenshot("run-detail");

    await page.goto(`${base}/#/runs?collection=certn-smoke`);
    const rows = page.locator("tbody tr");
    await rows.first().waitFor();
    expect(await rows.first().locator("td").first().textContent()).toBe("certn-smoke");
    expect(await rows.first().locator("td").nth(2).textContent()).toBe("PASSED");
    await checkPage("runs");
    await screenshot("runs");
    await page.getByLabel("Status").selectOption("failed");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect.poll(() => page.locator("main").textContent()).toContain("No run matches.");
    expect(page.url()).toContain("status=failed");
  });

  it("follows a durable run's timeline live until it passes", async () => {
    await page.goto(`${base}/#/run/centric-quickscreen`);
    await page.getByRole("button", { name: "Start durable run" }).click();
    await expect.poll(() => page.url()).toMatch(/#\/runs\/[0-9a-f-]{36}$/);
    const overview = page.locator("dl.overview");
    await expect
      .poll(() => overview.textContent(), { timeout: 120_000, interval: 1_000 })
      .toContain("PASSED");
    const events = await page
      .locator("ol.timeline > li")
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute("data-event")));
    expect(events).toContain("item-end");
    expect(await page.locator("ol.timeline").textContent()).toContain("Run ended: 5 item(s): 5 passed");
    expect(events.length).toBeGreaterThan(2);
    await checkPage("durable run detail");
    await screenshot("durable-run");
  });

  it("cancels a durable run from its page", async () => {
    await page.goto(`${base}/#/run/centric-quickscreen`);
    await page.getByRole("button", { name: "Start durable run" }).click();
    await page.getByRole("button", { name: "Cancel run" }).click();
    await expect
      .poll(() => page.locator(".actions [role=status]").textContent())
      .toContain("Cancel requested");
    const overview = page.locator("dl.overview");
    await expect
      .poll(() => overview.textContent(), { timeout: 120_000, interval: 1_000 })
      .toContain("CANCELLED");
    expect(pageErrors).toEqual([]);
  });

  it("creates a monitor (its schedule's issue at its field), fires the Cron Trigger and shows the run in the table and the chart", async () => {
    await page.goto(`${base}/#/monitors`);
    await expect.poll(() => page.locator("h1").textContent()).toBe("Monitors");
    const idField = page.getByLabel("Monitor id");
    await idField.waitFor();
    expect(await page.locator("main").textContent()).toContain("0 monitor(s)");
    await idField.fill("smoke-watch");
    await page.getByLabel("Collection", { exact: true }).selectOption("certn-smoke");
    const schedule = page.getByLabel("Schedule (UTC cron expression)");
    // Every minute: the Worker refuses it (monitors run at most every 5 minutes) at /schedule.
    await schedule.fill("* * * * *");
    await page.getByRole("button", { name: "Create monitor" }).click();
    const scheduleError = page.locator("#monitor-schedule-error");
    await expect.poll(() => scheduleError.textContent()).toContain("at most every 5 minutes");
    expect(await schedule.getAttribute("aria-invalid")).toBe("true");
    expect(await schedule.getAttribute("aria-describedby")).toContain("monitor-schedule-error");
    expect(await page.locator("#monitor-collection-error").textContent()).toBe("");
    expect(await page.locator('main [role="alert"]').textContent()).toContain("1 issue(s)");
    await checkPage("monitor form with an issue");
    await screenshot("monitor-new");

    await schedule.fill("*/5 * * * *");
    await page.getByRole("button", { name: "Create monitor" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("Monitor smoke-watch");
    await expect.poll(() => page.locator("dl.overview").textContent()).toContain("every 5 minutes");
    expect(await page.locator("main").textContent()).toContain("No run yet");

    // A second monitor, of the hostile collection whose one item fails, stored through the API.
    const hostileWatch = await fetch(`${base}/monitors/hostile-watch`, {
      method: "PUT",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ collection: HOSTILE_ID, schedule: "*/5 * * * *" }),
    });
    expect(hostileWatch.status, await hostileWatch.text()).toBe(201);

    // wrangler dev --test-scheduled: the Cron Trigger's tick, which starts the due monitors (every
    // 5 minutes: due at any tick, whatever the time).
    const fired = await fetch(`${base}/__scheduled?cron=${encodeURIComponent("*/5 * * * *")}`);
    expect(fired.status).toBe(200);
    await page.getByRole("button", { name: "Refresh" }).click();
    // The page reads the monitor again while its run is going, until the run ends.
    const rows = page.locator("table.results tbody tr");
    await expect
      .poll(() => rows.first().getAttribute("data-status"), { timeout: 120_000, interval: 1_000 })
      .toBe("passed");
    expect(await rows.count()).toBe(1);
    expect(await rows.first().locator(".status").textContent()).toBe("PASSED");
    const runId = (await rows.first().getAttribute("data-run")) ?? "";
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await rows.first().getByRole("link").getAttribute("href")).toBe(`#/runs/${runId}`);
    expect(await page.locator("dl.overview .pass-rate").textContent()).toBe("100% passed");
    // The chart: an inline SVG drawn in the page, named and described, one mark per run.
    const chart = page.locator("svg#monitor-chart");
    expect(await chart.getAttribute("role")).toBe("img");
    expect(await chart.locator("title").first().textContent()).toContain("Run duration over time");
    expect(await chart.locator("desc").textContent()).toContain("1 run(s)");
    const marks = chart.locator(".mark");
    expect(await marks.count()).toBe(await rows.count());
    expect(await marks.first().getAttribute("data-run")).toBe(runId);
    expect(await marks.first().getAttribute("data-status")).toBe("passed");
    expect(await marks.first().locator("title").textContent()).toContain("PASSED");
    await checkPage("monitor detail");
    await page.emulateMedia({ colorScheme: "dark" });
    expect(await axeViolations(), "axe on monitor detail, dark").toEqual([]);
    await page.emulateMedia({ colorScheme: "light" });
    await screenshot("monitor");

    await page.getByRole("link", { name: "All monitors" }).click();
    const row = page.locator('tr[data-monitor="smoke-watch"]');
    await row.waitFor();
    await expect.poll(() => row.locator(".last-run").textContent()).toContain("PASSED");
    expect(await row.locator(".pass-rate").textContent()).toBe("100% passed");
    expect(await row.textContent()).toContain("every 5 minutes");
    expect(await row.textContent()).toContain("certn-smoke");
    // The failing monitor: FAILED in words, a cross in the chart, 0% passed.
    const hostileRow = page.locator('tr[data-monitor="hostile-watch"]');
    await expect
      .poll(() => hostileRow.locator(".last-run").textContent(), { timeout: 120_000, interval: 1_000 })
      .toContain("FAILED");
    expect(await hostileRow.locator(".pass-rate").textContent()).toBe("0% passed");
    expect(await page.locator("main").textContent()).toContain("2 monitor(s)");
    await checkPage("monitors");
    await screenshot("monitors");
    await hostileRow.getByRole("link", { name: "hostile-watch" }).click();
    const failedMark = page.locator("svg#monitor-chart .mark");
    await failedMark.waitFor();
    expect(await failedMark.count()).toBe(1);
    expect(await failedMark.getAttribute("class")).toContain("mark-failed");
    expect(await failedMark.locator("title").textContent()).toContain("FAILED");
    expect(await rows.first().locator(".status").textContent()).toBe("FAILED");
    await checkPage("failing monitor detail");
    await page.goto(`${base}/#/monitors`);

    // The run's page opens from the monitor's results.
    await page.locator('tr[data-monitor="smoke-watch"]').getByRole("link", { name: "smoke-watch" }).click();
    await rows.first().getByRole("link").click();
    await expect.poll(() => page.url()).toContain(`#/runs/${runId}`);
    await expect.poll(() => page.locator("dl.overview").textContent()).toContain("PASSED");
  });

  it("edits a monitor (each issue at its field) and deletes it after a confirmation", async () => {
    await page.goto(`${base}/#/monitors/smoke-watch`);
    const schedule = page.getByLabel("Schedule (UTC cron expression)");
    await schedule.waitFor();
    expect(await schedule.inputValue()).toBe("*/5 * * * *");
    await schedule.fill("30 6 * * 1");
    const alertUrl = page.getByLabel("Alert URL (optional)");
    await alertUrl.fill("ftp://alerts.example/hook");
    await page.getByRole("button", { name: "Save monitor" }).click();
    await expect.poll(() => page.locator("#monitor-alert-url-error").textContent()).not.toBe("");
    expect(await page.locator("#monitor-schedule-error").textContent()).toBe("");
    await checkPage("monitor edit with an issue");
    await alertUrl.fill("");
    await page.getByRole("button", { name: "Save monitor" }).click();
    await expect.poll(() => page.locator("dl.overview").textContent()).toContain("every Monday at 06:30 UTC");

    await page.getByRole("button", { name: "Delete monitor" }).click();
    // Keeping it changes nothing; confirming deletes it.
    await page.getByRole("button", { name: "Keep it" }).click();
    await page.getByRole("button", { name: "Delete monitor" }).click();
    expect(await page.locator(".danger [role=alert]").textContent()).toContain(
      "Delete the monitor smoke-watch?",
    );
    await page.getByRole("button", { name: "Yes, delete it" }).click();
    await expect.poll(() => page.locator("main").textContent()).toContain("1 monitor(s)");
    expect(await page.locator('tr[data-monitor="smoke-watch"]').count()).toBe(0);
    const gone = await fetch(`${base}/monitors/smoke-watch`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(gone.status).toBe(404);
    expect(pageErrors).toEqual([]);
  });

  it("needs no pasted token when something in front adds the caller's credentials (as Cloudflare Access does)", async () => {
    // Access adds its JWT to every request it lets through; the page never sees it. Here the
    // browser adds a caller token to each request the same way, outside the page.
    const other = await launchChromiumContext({ extraHTTPHeaders: { authorization: `Bearer ${token}` } });
    try {
      const fronted = other.context.pages()[0] ?? (await other.context.newPage());
      await fronted.goto(`${base}/`);
      await expect.poll(() => fronted.locator("h1").textContent()).toBe("Collections");
      await fronted.locator('li[data-collection="certn-smoke"]').waitFor();
      expect(await fronted.getByLabel("Caller token (JWT)").count()).toBe(0);
      expect(await fronted.evaluate(() => Object.keys(sessionStorage))).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it("signs in with npm start's one-click link once: the code leaves the address at once, a reload keeps the session, the link again is refused", async () => {
    const first = await launchChromiumContext({ viewport: { width: 1280, height: 900 } });
    try {
      const tab = first.context.pages()[0] ?? (await first.context.newPage());
      const seen: string[] = [];
      tab.on("request", (request) => seen.push(request.url()));
      await tab.goto(consoleLogin.link);
      await expect.poll(() => tab.locator("h1").textContent()).toBe("Collections");
      await tab.locator('li[data-collection="certn-smoke"]').waitFor();
      // The code is gone from the address and from every entry of the tab's history.
      expect(tab.url()).toBe(`${base}/`);
      const cdp = await first.context.newCDPSession(tab);
      const navigation = (await cdp.send("Page.getNavigationHistory")) as { entries: { url: string }[] };
      const entries = navigation.entries.map((entry) => entry.url);
      // The browser's first blank page, then the console: the link's entry was replaced.
      expect(entries.at(-1)).toBe(`${base}/`);
      expect(entries.filter((url) => url.includes("login="))).toEqual([]);
      expect(await tab.evaluate(() => history.length)).toBe(entries.length);
      // No request carried it in its URL (a fragment is never sent; the code goes in a POST body).
      expect(seen.filter((url) => url.includes(consoleLogin.code))).toEqual([]);
      expect(seen).toContain(`${base}/console/login`);
      // The token is kept as a pasted one is: this tab's sessionStorage only, no cookie.
      const kept = await tab.evaluate(() => Object.values(sessionStorage));
      expect(kept).toHaveLength(1);
      expect(kept[0]).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(await first.context.cookies()).toEqual([]);
      await tab.reload();
      await expect.poll(() => tab.locator("h1").textContent()).toBe("Collections");
      await tab.locator('li[data-collection="certn-smoke"]').waitFor();
      expect(tab.url()).not.toContain("login=");
    } finally {
      await first.close();
    }
    // The same link in another browser: spent, so the page says so and offers the paste form.
    const second = await launchChromiumContext({ viewport: { width: 1280, height: 900 } });
    try {
      const tab = second.context.pages()[0] ?? (await second.context.newPage());
      await tab.goto(consoleLogin.link);
      const alert = tab.locator('[role="alert"]');
      await expect.poll(() => alert.textContent()).toContain("The one-click sign-in link was refused");
      expect(await alert.textContent()).toContain("already used");
      expect(await tab.locator("h1").textContent()).toBe("Sign in");
      expect(await tab.getByLabel("Caller token (JWT)").count()).toBe(1);
      expect(await tab.locator("#nav a").count()).toBe(0);
      expect(await tab.evaluate(() => Object.keys(sessionStorage))).toEqual([]);
      expect(tab.url()).toBe(`${base}/`);
    } finally {
      await second.close();
    }
  });

  it("shows hostile collection and result text as text: nothing runs, nothing loads", async () => {
    await page.goto(`${base}/#/collections`);
    await page.locator(`li[data-collection="${HOSTILE_ID}"]`).waitFor();
    await page.goto(`${base}/#/collections/${HOSTILE_ID}`);
    await page.locator("ol.items").waitFor();
    expect(await page.locator("h1").textContent()).toBe(`Collection ${HOSTILE_ID}`);
    expect(await page.locator("dl").first().textContent()).toContain(XSS.script);
    expect(await page.locator("dl").first().textContent()).toContain(XSS.img);
    await page.goto(`${base}/#/run/${HOSTILE_ID}`);
    await page.getByLabel("Keep response bodies in the result (redacted as always)").check();
    await page.getByRole("button", { name: "Run now" }).click();
    await expect.poll(() => page.locator(".run-output [role=status]").textContent()).toContain("Finished:");
    expect(await page.locator("ol.progress > li").getAttribute("data-status")).toBe("failed");
    expect(await page.locator("ol.progress > li .status").textContent()).toBe("FAILED");
    await page.getByRole("link", { name: "Open the run's details" }).click();
    const failed = page.locator("details.item.failed");
    await failed.waitFor();
    expect(await failed.evaluate((node: HTMLDetailsElement) => node.open)).toBe(true);
    expect(await failed.locator("summary").textContent()).toContain(XSS.img);
    expect(await failed.locator("table.assertions").textContent()).toContain(`${XSS.script} ${XSS.link}`);
    // The response body, kept on request, is shown as text too.
    expect(await failed.locator("h4").allTextContents()).toContain("Response body");
    // Nothing became markup: no element from the text, no link to script, nothing ran or loaded.
    for (const selector of ["main script", "main img", 'a[href^="javascript:"]', "a:not([href^='#'])"]) {
      expect(await page.locator(selector).count(), selector).toBe(0);
    }
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(requests.filter((url) => url.includes("pwned"))).toEqual([]);
    await checkPage("hostile run detail");
  });
});
