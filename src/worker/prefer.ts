/** RFC 7240 `Prefer`: whether the caller asked for `respond-async` (tokens are case-insensitive). */

/** True when a `Prefer` header value holds the `respond-async` preference. */
export function prefersRespondAsync(value: string | null | undefined): boolean {
  if (value === null || value === undefined) return false;
  return value
    .split(",")
    .map((preference) => (preference.split(";")[0] ?? "").split("=")[0]?.trim().toLowerCase())
    .includes("respond-async");
}
