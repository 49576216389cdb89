import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

/**
 * Two projects from the start: `node` runs everything under Node 20, `workers` runs the
 * library's shared tests and the Worker's tests inside workerd, with real KV bindings.
 * Tests under `test/shared/` run in both, which is how the library is proven in workerd.
 */
export default defineConfig({
  test: {
    reporters: process.env.VITEST_JSON
      ? ["default", ["json", { outputFile: process.env.VITEST_JSON }]]
      : ["default"],
    projects: [
      {
        test: {
          name: "node",
          include: ["test/shared/**/*.test.ts", "test/node/**/*.test.ts"],
          globalSetup: ["test/setup/runtime-simulator.ts"],
          setupFiles: ["test/setup/no-secrets-in-console.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [
          cloudflareTest({
            miniflare: {
              compatibilityDate: "2026-05-01",
              compatibilityFlags: ["nodejs_compat"],
              kvNamespaces: ["TOKEN_CACHE", "COLLECTIONS"],
            },
          }),
        ],
        test: {
          name: "workers",
          include: ["test/shared/**/*.test.ts", "test/workers/**/*.test.ts"],
          globalSetup: ["test/setup/runtime-simulator.ts"],
          setupFiles: ["test/setup/no-secrets-in-console.ts"],
          testTimeout: 30_000,
        },
      },
    ],
  },
});
