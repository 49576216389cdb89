/**
 * The HTML report as a person sees it: written by the CLI, opened from disk in headless Chromium
 * (the one from npm, through scripts/browser.mjs and playwright-core). A browser that cannot start
 * fails these tests with the reason; they are never skipped.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { launchChromiumContext } from "../../../scripts/browser.mjs";
import { renderHtmlReport } from "../../../src/cli/html-report.ts";
import { buildCli, runCli } from "./helpers/built-cli.ts";
import { mixedResult } from "./helpers/results.ts";

// Each test starts real processes, which takes a while on a busy machine.
vi.setConfig({ testTimeout: 180_000 });

let work: string;
let browser: ReturnType<typeof launchChromiumContext> | undefined;

/**
 * The browser, launched by the first test that needs it: when it cannot start, every test fails
 * with the reason (a failing hook would only mark them skipped).
 */
async function browserContext(): Promise<BrowserContext> {
  browser ??= launchChromiumContext();
  return (await browser).context;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "certn-cli-html-"));
});

afterAll(async () => {
  await (await browser?.catch(() => undefined))?.close();
  rmSync(work, { recursive: true, force: true });
});

describe("the HTML report in Chromium", () => {
  it("shows the summary, every item, and failures expanded, from a real CLI run", async () => {
    const main = buildCli();
    const out = join(work, "reports");
    const { code, stderr } = await runCli(main, [
      "run",
      "test/fixtures/cli/failing.json",
      "--simulator",
      "--reporter",
      "html",
      "--out",
      out,
    ]);
    expect(code, stderr).toBe(1);
    expect(existsSync(join(out, "failing.html")), stderr).toBe(true);
    const page = await (await browserContext()).newPage();
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(join(out, "failing.html")).href);
    expect(await page.title()).toBe("CLI failing: failed");
    expect(await page.locator(".verdict").textContent()).toBe("FAILED");
    expect(await page.locator('dd[data-field="items"]').textContent()).toBe("3");
    expect(await page.locator('dd[data-field="failed"]').textContent()).toBe("1");
    expect(await page.locator('dd[data-field="errored"]').textContent()).toBe("1");
    const items = page.locator("details.item");
    expect(await items.count()).toBe(3);
    const open = await items.evaluateAll((nodes) =>
      nodes.map((node) => [node.getAttribute("data-status"), (node as HTMLDetailsElement).open]),
    );
    expect(open).toEqual([
      ["failed", true],
      ["errored", true],
      ["passed", false],
    ]);
    // An expanded failure shows its assertion; a collapsed pass hides its details until clicked.
    expect(await page.locator("details.item.failed table.assertions").isVisible()).toBe(true);
    expect(await page.locator("details.item.failed").textContent()).toContain("418");
    expect(await page.locator("details.item.passed table.exchange").isVisible()).toBe(false);
    await page.locator("details.item.passed > summary").click();
    expect(await page.locator("details.item.passed table.exchange").isVisible()).toBe(true);
    expect(requests).toEqual([pathToFileURL(join(out, "failing.html")).href]);
    await page.close();
  }, 300_000);

  it("shows hostile text as text: nothing from the result runs or loads", async () => {
    const file = join(work, "hostile.html");
    writeFileSync(file, renderHtmlReport(mixedResult()));
    const page = await (await browserContext()).newPage();
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    let dialogs = 0;
    page.on("dialog", (dialog) => {
      dialogs++;
      void dialog.dismiss();
    });
    await page.goto(pathToFileURL(file).href);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator("h1.collection").textContent()).toBe(
      'Smoke <script>window.__pwned = 1</script> & "friends"',
    );
    expect(await page.locator("details.item.failed .name").textContent()).toBe("Orders / Order <b>bold</b>");
    expect(await page.locator("b").count()).toBe(0);
    expect(await page.locator("img").count()).toBe(0);
    expect(dialogs).toBe(0);
    expect(requests).toEqual([pathToFileURL(file).href]);
    await page.close();
  });
});
