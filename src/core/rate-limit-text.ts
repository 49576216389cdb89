/**
 * The one text form of a rate limit, shared by the Worker's `RUNNER_RATE_LIMIT` and the CLI's
 * `--rate-limit`: comma-separated `<count>/<window>`, the window a whole number with a unit of
 * `ms`, `s`, `m`, `h` or `d` (a bare number is milliseconds, the CLI's older `N/MS` form).
 */
import {
  MAX_RATE_LIMIT_REQUESTS,
  MAX_RATE_LIMIT_WINDOW_MS,
  MAX_RATE_LIMIT_WINDOWS,
  type RateLimit,
} from "./rate-windows.ts";

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

const WINDOW = /^(\d{1,15})\s*\/\s*(\d{1,15})\s*(ms|s|m|h|d)?$/i;

/** Longest text accepted: eight windows with room to spare (bounds the work on a bad value). */
const MAX_TEXT_LENGTH = 200;

/** The value as an error quotes it: cut short, so a huge value cannot make a huge message. */
function quoted(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

/**
 * Parses a rate limit such as `240/60s,14400/1d` into its windows.
 * @param label what the text is called in errors (`RUNNER_RATE_LIMIT`, `--rate-limit`)
 * @throws TypeError naming `label` and the value, when the text is not that form, a count is not
 *   from 1 to 100,000, a window is not from 1 ms to 1 day, or there are more than 8 windows.
 * @example
 * parseRateLimitText("240/60s,14400/1d", "RUNNER_RATE_LIMIT");
 * // [{ requests: 240, perMs: 60_000 }, { requests: 14_400, perMs: 86_400_000 }]
 * parseRateLimitText("240/60000", "--rate-limit"); // [{ requests: 240, perMs: 60_000 }]
 */
export function parseRateLimitText(text: string, label: string): RateLimit[] {
  const form = `${label} must be comma-separated <count>/<window> with the window in ms, s, m, h or d (for example 240/60s,14400/1d)`;
  if (text.length > MAX_TEXT_LENGTH) throw new TypeError(`${form}; got ${text.length} characters`);
  const parts = text.split(",").map((part) => part.trim());
  if (parts.length > MAX_RATE_LIMIT_WINDOWS) {
    throw new TypeError(
      `${label} has ${parts.length} windows; at most ${MAX_RATE_LIMIT_WINDOWS} are allowed`,
    );
  }
  return parts.map((part) => {
    const match = WINDOW.exec(part);
    if (match === null) throw new TypeError(`${form}, got ${quoted(text)}`);
    const requests = Number(match[1]);
    const perMs = Number(match[2]) * (UNIT_MS[(match[3] ?? "ms").toLowerCase()] ?? 1);
    if (!(requests >= 1 && requests <= MAX_RATE_LIMIT_REQUESTS)) {
      throw new TypeError(
        `${label}: the count of ${quoted(part)} must be a whole number from 1 to ${MAX_RATE_LIMIT_REQUESTS} (got ${requests})`,
      );
    }
    if (!(perMs >= 1 && perMs <= MAX_RATE_LIMIT_WINDOW_MS)) {
      throw new TypeError(`${label}: the window of ${quoted(part)} must be from 1ms to 1d (got ${perMs} ms)`);
    }
    return { requests, perMs };
  });
}
