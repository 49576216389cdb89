/**
 * Every test file, in both projects: whatever the code under test writes to the console must not
 * contain a credential (reliability checklist #38). The known secrets are the simulator's demo
 * credentials, their Basic encodings, and the first access tokens a default-seeded simulator
 * issues, which is the simulator nearly every test starts.
 */
import { afterAll, beforeAll, expect } from "vitest";
import {
  createCertnSimulator,
  DEMO_API_KEY,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
} from "../../src/simulator/index.ts";

const METHODS = ["log", "info", "warn", "error", "debug", "trace"] as const;
const captured: string[] = [];
const secrets = new Set<string>([
  DEMO_CLIENT_SECRET,
  DEMO_API_KEY,
  btoa(`${DEMO_CLIENT_ID}:${DEMO_CLIENT_SECRET}`),
]);

async function firstIssuedTokens(count: number): Promise<string[]> {
  const sim = createCertnSimulator();
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await sim.fetch("https://demo-api.certn.co/token/", {
      method: "POST",
      headers: {
        authorization: `Basic ${btoa(`${DEMO_CLIENT_ID}:${DEMO_CLIENT_SECRET}`)}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=client_credentials",
    });
    tokens.push(((await response.json()) as { access_token: string }).access_token);
  }
  return tokens;
}

const originals = new Map<string, (...args: unknown[]) => void>();

beforeAll(async () => {
  for (const token of await firstIssuedTokens(5)) secrets.add(token);
  for (const method of METHODS) {
    const original = console[method].bind(console);
    originals.set(method, original);
    console[method] = (...args: unknown[]) => {
      captured.push(args.map((arg) => (typeof arg === "string" ? arg : safeString(arg))).join(" "));
      original(...args);
    };
  }
});

afterAll(() => {
  for (const method of METHODS) {
    const original = originals.get(method);
    if (original) console[method] = original;
  }
  const output = captured.join("\n");
  for (const secret of secrets) {
    expect(output.includes(secret), "console output contains a credential or token").toBe(false);
  }
});

function safeString(value: unknown): string {
  try {
    return value instanceof Error
      ? `${value.name}: ${value.message}\n${value.stack ?? ""}`
      : JSON.stringify(value);
  } catch {
    return String(value);
  }
}
