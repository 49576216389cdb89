/** Small response helpers shared by every route. */

/** A JSON response (`application/json`), as Django REST Framework sends them. */
export function json(body: unknown, status = 200, headers?: Record<string, string>): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** A DRF `{"detail": "..."}` error response. */
export function detail(status: number, message: string, headers?: Record<string, string>): Response {
  return json({ detail: message }, status, headers);
}

/** Formats epoch ms as Certn does: ISO 8601 UTC with microseconds and `Z` (certn-api.md §1.6). */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/** Python's type name of a JSON value, as DRF puts it into messages. */
export function pythonType(value: unknown): string {
  if (value === null) return "NoneType";
  if (Array.isArray(value)) return "list";
  if (typeof value === "string") return "str";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  return "dict";
}

/** A plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
