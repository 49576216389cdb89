/**
 * The id a webhook delivery is de-duplicated on, the same for every receiver (the Worker's and the
 * CLI's): Certn retries a delivery it got no 2xx for, and a captured CertnCentric delivery
 * verifies forever (its signature has no timestamp), so a receiver must know a repeat.
 */
import { type RawBody, rawBodyBytes } from "./raw-body.ts";

/**
 * The id of a verified delivery: a CertnCentric event's `id` (or else `event_id`, as
 * `parseCertnCentricEvent` reads it; cut to 200 characters); for the partner API, whose payload
 * is the applicant and carries no event id, and for a CertnCentric body without one, `sha256:`
 * and the hex SHA-256 of the raw body (a retry of a partner delivery is signed afresh, but its
 * body is the same).
 * @example
 * const id = await webhookEventId("certncentric", await request.arrayBuffer());
 * if (seen.has(id)) return new Response(null, { status: 200 }); // a repeat: answered, not handled
 */
export async function webhookEventId(source: "certn" | "certncentric", body: RawBody): Promise<string> {
  const bytes = rawBodyBytes(body);
  if (source === "certncentric") {
    try {
      const event = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown> | null;
      for (const key of ["id", "event_id"]) {
        // A body that is no object has no such member (`"text".id` is undefined).
        const value = event?.[key];
        if (typeof value === "string" && value) return value.slice(0, 200);
      }
    } catch {
      // Not JSON: known by its hash.
    }
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  // Two hex digits a byte: 256 | byte keeps a leading zero, which slice(1) leaves.
  return `sha256:${[...digest].map((byte) => (256 | byte).toString(16).slice(1)).join("")}`;
}
