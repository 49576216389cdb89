/** Picks a run's output format from the `Accept` header. */

/** The formats a run can answer with. */
export type OutputFormat = "json" | "ndjson" | "junit";

/**
 * `application/x-ndjson` streams events, `application/xml` (or `text/xml`) returns JUnit, and
 * anything else (`application/json`, `*\/*`, none) the JSON result. The highest `q` wins; ties go
 * to the first listed.
 */
export function negotiateOutput(accept: string | null): OutputFormat {
  if (accept === null) return "json";
  let best: { format: OutputFormat; q: number } | undefined;
  for (const part of accept.split(",")) {
    const [rawType, ...params] = part.split(";");
    const type = rawType?.trim().toLowerCase() ?? "";
    const format: OutputFormat | undefined =
      type === "application/x-ndjson"
        ? "ndjson"
        : type === "application/xml" || type === "text/xml"
          ? "junit"
          : type === "application/json"
            ? "json"
            : undefined;
    if (format === undefined) continue;
    const qParam = params.map((param) => param.trim()).find((param) => param.toLowerCase().startsWith("q="));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q) || q <= 0) continue;
    if (best === undefined || q > best.q) best = { format, q };
  }
  return best?.format ?? "json";
}
