/**
 * CertnCentric's webhook payload: a thin notification (certncentric-api.md §5.3). Receivers
 * re-fetch the case named by `objectId` rather than trust the payload.
 */
import { CertnResponseError } from "../core/errors.ts";
import type {
  CertnCentricCaseStatus,
  CertnCentricEventType,
  CertnCentricObjectType,
} from "../resources/centric/enums.ts";
import type { RawBody } from "./raw-body.ts";

/** A parsed CertnCentric webhook event. */
export interface CertnCentricEvent {
  /**
   * The event id, for de-duplicating deliveries. Read from `id` (Certn's docs) or else
   * `event_id` (what public receivers read); open question §6.2 Q2.
   */
  id: string;
  eventType: CertnCentricEventType;
  /** The case id, also for `CHECK_STATUS_CHANGED` (per public code). */
  objectId: string;
  objectType: CertnCentricObjectType;
  /** `created`, when present (seen in public code, not in the docs). */
  created?: string;
  /** `case_status`, when present (seen in public code, not in the docs). */
  caseStatus?: CertnCentricCaseStatus;
  /** The whole payload, for fields this type does not name. */
  payload: Readonly<Record<string, unknown>>;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

function fail(message: string, cause?: unknown): never {
  throw new CertnResponseError(
    `CertnCentric webhook event: ${message}`,
    cause === undefined ? {} : { cause },
  );
}

function toObject(body: RawBody | object): Record<string, unknown> {
  let value: unknown = body;
  if (typeof body === "string" || body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
    let text: string;
    try {
      text = typeof body === "string" ? body : decoder.decode(body);
    } catch (error) {
      fail("the body is not UTF-8 text", error);
    }
    try {
      value = JSON.parse(text);
    } catch (error) {
      fail("the body is not valid JSON", error);
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail("expected a JSON object");
  }
  return value as Record<string, unknown>;
}

function requiredString(payload: Record<string, unknown>, keys: readonly string[]): string {
  for (const key of keys) {
    const value = payload[key];
    if (typeof value === "string" && value !== "") return value;
  }
  const names = keys.map((key) => `\`${key}\``).join(" or ");
  const present = keys.find((key) => payload[key] !== undefined);
  if (present === undefined) fail(`missing ${names}`);
  fail(`${names} must be a non-empty string (found ${describe(payload[present])} at \`${present}\`)`);
}

function optionalString(payload: Record<string, unknown>, key: string): string | undefined {
  const value = payload[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") fail(`\`${key}\` must be a string when present (found ${describe(value)})`);
  return value;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (value === "") return "an empty string";
  return `a ${typeof value}`;
}

/**
 * Parses a CertnCentric webhook body (raw text or bytes, or an already parsed object) into a
 * typed event. Throws a `CertnResponseError` naming the missing or mistyped field. Verify the
 * signature on the raw body first, then parse that same body.
 */
export function parseCertnCentricEvent(body: RawBody | object): CertnCentricEvent {
  const payload = toObject(body);
  const event: CertnCentricEvent = {
    id: requiredString(payload, ["id", "event_id"]),
    eventType: requiredString(payload, ["event_type"]),
    objectId: requiredString(payload, ["object_id"]),
    objectType: requiredString(payload, ["object_type"]),
    payload,
  };
  const created = optionalString(payload, "created");
  if (created !== undefined) event.created = created;
  const caseStatus = optionalString(payload, "case_status");
  if (caseStatus !== undefined) event.caseStatus = caseStatus;
  return event;
}
