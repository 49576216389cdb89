/** `Authorization: Api-Key <key>` on /api/public/ (certncentric-api.md §2.2). */
import { API_KEY_LIFETIME_DAYS } from "../../assumptions/centric.ts";
import type { SimRuntime } from "../../runtime.ts";
import { CENTRIC_ERROR } from "./errors.ts";
import { clientError } from "./respond.ts";

/**
 * The key's rate-limit bucket, or the 401 to answer with: a missing header or another scheme
 * (`Bearer`) is `not_authenticated`; an unknown or expired key `authentication_failed` (§2.5 [INF]).
 * Keys expire 365 days after the simulator's start (§2.2 [DOC]).
 */
export function authenticateCentric(
  request: Request,
  rt: SimRuntime,
  now: number,
): { ok: true; bucket: string } | { ok: false; response: Response } {
  const header = request.headers.get("authorization") ?? "";
  const match = /^api-key\s+(.+)$/i.exec(header.trim());
  if (!match) return { ok: false, response: clientError(401, CENTRIC_ERROR.notAuthenticated) };
  const index = rt.options.centric.apiKeys.indexOf(match[1] ?? "");
  if (index === -1) return { ok: false, response: clientError(401, CENTRIC_ERROR.badKey) };
  if (now >= rt.options.startMs + API_KEY_LIFETIME_DAYS.value * 86_400_000) {
    return { ok: false, response: clientError(401, CENTRIC_ERROR.expiredKey) };
  }
  // "60 requests/minute and 7,220 requests/day per account" (certncentric-api.md §2.3): every key
  // belongs to the one simulated account, so they share its windows.
  return { ok: true, bucket: "centric-account" };
}
