/**
 * Status-change webhooks of the partner API (certn-api.md §6.1, §7 #14).
 */
import { assume, certn } from "./label.ts";

/** Statuses that are retried; any other status >= 400 stops delivery (certn-api.md §6.1). */
export const RETRYABLE_STATUSES = assume(
  [408, 500, 502, 503, 504] as readonly number[],
  certn("DOC", "6.1", "Up to 3 more attempts with growing delays (the delays are not given)."),
);

/** Attempts after the first (certn-api.md §6.1). */
export const WEBHOOK_RETRIES = assume(
  3,
  certn("DOC", "6.1", "Retry delays are configurable (default 0 in library mode)."),
);

/** An applicant's first state (Pending or Analyzing) is announced like every later change. */
export const ANNOUNCE_CREATION = assume(
  true,
  certn(
    "INF",
    "6.1",
    'Delivery happens "whenever an application changes" [DOC], and the documented payload is an application waiting on the candidate.',
  ),
);
