/** Types of scripts/browser.mjs for the tests that import it. */
import type { Browser, BrowserContext, BrowserContextOptions, LaunchOptions } from "playwright-core";

/** The flags every launch passes to Chromium (web security stays on). */
export declare const CHROMIUM_ARGS: readonly string[];

/** `CHROMIUM_PATH` when set, else the Chromium of @sparticuz/chromium (unpacked once). */
export declare function chromiumExecutable(): Promise<{
  executablePath: string;
  env: Record<string, string>;
}>;

/**
 * Extra Playwright options; `args` are added after {@link CHROMIUM_ARGS}, `env` over the
 * inherited environment. The executable, headless mode and sandbox are the launcher's.
 */
export type ChromiumOptions = Omit<
  LaunchOptions,
  "executablePath" | "headless" | "chromiumSandbox" | "channel" | "env"
> & { env?: Record<string, string> };

/** Persistent-context options: the launch options plus context options (viewport, locale...). */
export type ChromiumContextOptions = ChromiumOptions & BrowserContextOptions;

/** Headless Chromium; Playwright's own fresh profile is deleted by `close()`. */
export declare function launchChromium(options?: ChromiumOptions): Promise<{
  browser: Browser;
  close(): Promise<void>;
}>;

/** Headless Chromium as one persistent context on a fresh user-data folder that `close()` removes. */
export declare function launchChromiumContext(options?: ChromiumContextOptions): Promise<{
  context: BrowserContext;
  userDataDir: string;
  close(): Promise<void>;
}>;
