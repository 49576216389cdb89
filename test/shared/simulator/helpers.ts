/** Helpers shared by the simulator tests (Node and workerd). */
import type { CertnSimulator } from "../../../src/simulator/index.ts";
import { hmacSha256, toHex } from "../webhooks/sign.ts";

/** Header set for a form-encoded token request with Basic client credentials. */
export function basicHeaders(clientId: string, clientSecret: string): Record<string, string> {
  return {
    authorization: `Basic ${btoa(`${clientId}:${clientSecret}`)}`,
    "content-type": "application/x-www-form-urlencoded",
  };
}

/** Gets an access token from the simulator with its demo credentials. */
export async function getToken(sim: CertnSimulator): Promise<string> {
  const { clientId, clientSecret } = sim.credentials;
  const response = await sim.fetch("https://demo-api.certn.co/token/", {
    method: "POST",
    headers: basicHeaders(clientId, clientSecret),
    body: "grant_type=client_credentials",
  });
  if (response.status !== 200) throw new Error(`token request failed with ${response.status}`);
  const body = (await response.json()) as { access_token: string };
  return body.access_token;
}

/** A tiny JSON caller bound to one simulator and bearer credential. */
export interface Api {
  get(path: string): Promise<{ status: number; body: unknown; headers: Headers }>;
  send(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown; headers: Headers }>;
}

/**
 * Creates an `Api` on `origin` that sends `authorization` as it is. A body that is not JSON (PDF,
 * HTML) stays text with `nonJson: "text"`, and fails the call with `nonJson: "throw"`.
 */
export function jsonApi(
  sim: CertnSimulator,
  origin: string,
  authorization: string,
  nonJson: "text" | "throw",
): Api {
  const call = async (method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { authorization };
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await sim.fetch(`${origin}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === "" ? null : JSON.parse(text);
    } catch (error) {
      if (nonJson === "throw") throw error;
    }
    return { status: response.status, body: parsed, headers: response.headers };
  };
  return { get: (path) => call("GET", path), send: call };
}

/** Creates an `Api` that sends `Authorization: Bearer <credential>`; a body that is not JSON stays text. */
export function api(sim: CertnSimulator, credential: string, origin = "https://demo-api.certn.co"): Api {
  return jsonApi(sim, origin, `Bearer ${credential}`, "text");
}

/** A valid quick-screen body for the HR surface. */
export function quickBody(
  overrides: Record<string, unknown> = {},
  lastName = "Tester",
): Record<string, unknown> {
  return {
    request_softcheck: true,
    request_criminal_record_check: true,
    email: "applicant@example.com",
    information: {
      first_name: "Andrew",
      last_name: lastName,
      date_of_birth: "1970-06-28",
      addresses: [
        {
          address: "4412 King Alfred Court",
          city: "Victoria",
          province_state: "BC",
          country: "CA",
          current: true,
        },
      ],
    },
    position_or_property_location: {
      address: "1 Main St",
      city: "Victoria",
      province_state: "BC",
      country: "CA",
    },
    ...overrides,
  };
}

/** Lowercase hex HMAC-SHA256, recomputed independently of the simulator's code. */
export async function hmacSha256Hex(secret: string, message: string): Promise<string> {
  return toHex(await hmacSha256(secret, message));
}

/** Narrows an unknown JSON value to a record for property access in assertions. */
export function obj(value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`expected a JSON object, got ${JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}
