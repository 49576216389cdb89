/** Error codes the runner itself assigns, and how thrown errors become an item's `{ code, message }`. */
import type { ItemError } from "../results/result.ts";

/** Codes used by the runner (the transport's own codes, such as `CERTN_TIMEOUT`, pass through). */
export const RunnerErrorCode = {
  UNKNOWN_VARIABLE: "CERTN_UNKNOWN_VARIABLE",
  EGRESS_REFUSED: "CERTN_EGRESS_REFUSED",
  BLOCKED_HEADER: "CERTN_BLOCKED_HEADER",
  INVALID_REQUEST: "CERTN_INVALID_REQUEST",
  INVALID_ITEM: "CERTN_INVALID_ITEM",
  INVALID_COLLECTION: "CERTN_INVALID_COLLECTION",
  ORDER_GUARD: "CERTN_ORDER_GUARD",
  SECRET_CAPTURE: "CERTN_SECRET_CAPTURE",
  CAPTURE_FAILED: "CERTN_CAPTURE_FAILED",
  DEADLINE: "CERTN_DEADLINE",
  ABORTED: "CERTN_ABORTED",
  RATE_LIMITED: "CERTN_RATE_LIMITED",
  RESPONSE_TOO_LARGE: "CERTN_RESPONSE_TOO_LARGE",
  NETWORK: "CERTN_NETWORK",
  UNEXPECTED: "CERTN_UNEXPECTED",
} as const;

/** An error the runner raises for an item: carries its code, and the message is safe to report. */
export class ItemFailure extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = "ItemFailure";
    this.code = code;
  }
}

/** Why the whole run stopped early (deadline or the caller's abort); used as the abort reason. */
export class RunStopped extends ItemFailure {
  constructor(code: typeof RunnerErrorCode.DEADLINE | typeof RunnerErrorCode.ABORTED, message: string) {
    super(code, message);
    this.name = "RunStopped";
  }
}

/**
 * Reads `{ code, message }` off anything thrown. Structural on purpose: the runner does not import
 * the client's error classes, only relies on their stable `code`.
 */
export function toItemError(error: unknown): ItemError {
  if (typeof error === "object" && error !== null) {
    const code = "code" in error && typeof error.code === "string" ? error.code : undefined;
    const message = "message" in error && typeof error.message === "string" ? error.message : String(error);
    if (code?.startsWith("CERTN_")) return { code, message };
    const name = "name" in error ? String(error.name) : "";
    if (name === "TypeError") return { code: RunnerErrorCode.NETWORK, message };
    return { code: RunnerErrorCode.UNEXPECTED, message: name ? `${name}: ${message}` : message };
  }
  return { code: RunnerErrorCode.UNEXPECTED, message: String(error) };
}
