import { join } from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

/** The D1 migrations, handed to the durable tests' setup file as a binding. */
const migrations = await readD1Migrations(join(import.meta.dirname, "migrations"));

/**
 * Three projects: `node` runs everything under Node 20, `workers` runs the library's shared tests
 * and the Worker's tests inside workerd, with real KV and D1 bindings, and `durable` runs the
 * Worker's durable runs (D1 and the CollectionRun Workflow) inside workerd.
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
              // D1 for the tests that pass it to the app (the harness leaves it out by default, so
              // the other tests see a Worker without run records).
              d1Databases: ["DB"],
              bindings: { TEST_MIGRATIONS: migrations },
            },
          }),
        ],
        test: {
          name: "workers",
          include: ["test/shared/**/*.test.ts", "test/workers/**/*.test.ts"],
          globalSetup: ["test/setup/runtime-simulator.ts"],
          setupFiles: ["test/durable/apply-migrations.ts", "test/setup/no-secrets-in-console.ts"],
          testTimeout: 30_000,
        },
      },
      {
        // Durable runs need the Worker's main module (its Workflow class) and D1, so they have a
        // project of their own: test/durable/main.ts exports CollectionRun as the entries do.
        plugins: [
          cloudflareTest({
            main: "test/durable/main.ts",
            miniflare: {
              compatibilityDate: "2026-05-01",
              compatibilityFlags: ["nodejs_compat", "enable_request_signal"],
              kvNamespaces: ["TOKEN_CACHE", "COLLECTIONS", "RESULTS"],
              d1Databases: ["DB"],
              workflows: {
                RUNS: { name: "certn-edge-collection-run", className: "CollectionRun" },
              },
              durableObjects: { RATE_LIMITER: { className: "CertnRateLimiter", useSQLite: true } },
              // Durable runs share one CertnRateLimiter per credential across a file's tests, in
              // real time, while each test's simulator has a clock of its own: Certn's real windows
              // (CertnCentric: 60 a minute) would pace a fan-out test for minutes. Pacing itself is
              // tested with its own windows (test/durable/rate-limiter.test.ts, bench "budget").
              // The webhook secrets are the runs' too (a wait's secret match values are digested
              // under a key from them): test/durable/helpers.ts signs deliveries with these.
              bindings: {
                TEST_MIGRATIONS: migrations,
                RUNNER_RATE_LIMIT: "100000/60s",
                CERTN_WEBHOOK_SECRET: "test-partner-webhook-secret-0123456789",
                CERTN_CENTRIC_WEBHOOK_SECRET: "test-centric-webhook-secret-0123456789",
              },
            },
          }),
        ],
        test: {
          name: "durable",
          include: ["test/durable/**/*.test.ts"],
          // A real receiver of monitor alerts on 127.0.0.1.
          globalSetup: ["test/setup/alert-receiver.ts"],
          setupFiles: ["test/durable/apply-migrations.ts", "test/setup/no-secrets-in-console.ts"],
          testTimeout: 30_000,
        },
      },
    ],
  },
});
