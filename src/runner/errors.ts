/** Error codes the runner itself assigns, and how thrown errors become an item's `{ code, message }`. */
import { CertnErrorCode } from "../core/errors.ts";
import type { ItemError } from "../results/result.ts";

/**
 * Codes used by the runner (the transport's own codes, such as `CERTN_TIMEOUT`, pass through).
 * Those the transport also uses are the registry's own values, so the two never drift apart.
 */
export const RunnerErrorCode = {
  UNKNOWN_VARIABLE: "CERTN_UNKNOWN_VARIABLE",
  /** A request's templates expand past `MAX_EXPANDED_LENGTH`; the message names the field's pointer. */
  TEMPLATE_TOO_LARGE: "CERTN_TEMPLATE_TOO_LARGE",
  EGRESS_REFUSED: CertnErrorCode.EGRESS_REFUSED,
  BLOCKED_HEADER: CertnErrorCode.BLOCKED_HEADER,
  INVALID_REQUEST: CertnErrorCode.INVALID_REQUEST,
  INVALID_ITEM: "CERTN_INVALID_ITEM",
  INVALID_COLLECTION: "CERTN_INVALID_COLLECTION",
  ORDER_GUARD: "CERTN_ORDER_GUARD",
  SECRET_CAPTURE: "CERTN_SECRET_CAPTURE",
  CAPTURE_FAILED: "CERTN_CAPTURE_FAILED",
  /**
   * @deprecated No longer assigned: an item that needs a variable an earlier item did not capture
   * is errored with `CERTN_UNKNOWN_VARIABLE`, its message naming that item.
   */
  CAPTURE_MISSING: "CERTN_CAPTURE_MISSING",
  DEADLINE: "CERTN_DEADLINE",
  ABORTED: "CERTN_ABORTED",
  RATE_LIMITED: CertnErrorCode.RATE_LIMITED,
  RESPONSE_TOO_LARGE: CertnErrorCode.RESPONSE_TOO_LARGE,
  /**
   * @deprecated No longer assigned: a JSON body that nests deeper than MAX_JSON_DEPTH is read as
   * text only, and each `$` selector on it fails, saying so.
   */
  RESPONSE_TOO_DEEP: "CERTN_RESPONSE_TOO_DEEP",
  NETWORK: CertnErrorCode.NETWORK,
  /** A `wait` item's `timeoutMs` passed with no matching webhook event: the item is `failed`. */
  WAIT_TIMEOUT: "CERTN_WAIT_TIMEOUT",
  /** A `wait` item ran where no source of webhook events was given (see `RunOptions.webhooks`). */
  WAIT_UNSUPPORTED: "CERTN_WAIT_UNSUPPORTED",
  /** A durable run was cancelled (`POST /runs/:id/cancel`): nothing more was sent. */
  CANCELLED: "CERTN_CANCELLED",
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
 * the client's error classes, only relies on their stable `code`. A `TypeError` without a code is
 * a bug or bad input, not a network failure (fetch's own rejection is classified where the
 * transport is called, in send-attempt.ts), so it is `CERTN_UNEXPECTED` like any other.
 */
export function toItemError(error: unknown): ItemError {
  if (typeof error === "object" && error !== null) {
    const code = "code" in error && typeof error.code === "string" ? error.code : undefined;
    const message = "message" in error && typeof error.message === "string" ? error.message : String(error);
    if (code?.startsWith("CERTN_")) return { code, message };
    const name = "name" in error ? String(error.name) : "";
    return { code: RunnerErrorCode.UNEXPECTED, message: name ? `${name}: ${message}` : message };
  }
  return { code: RunnerErrorCode.UNEXPECTED, message: String(error) };
}
