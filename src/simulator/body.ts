/** Reads a JSON request body the way Django REST Framework's JSONParser does. */
import { DRF } from "./messages.ts";

/** The parsed body, or the error to answer with (415/400) when it cannot be parsed. */
export type BodyResult = { ok: true; value: unknown } | { ok: false; status: 400 | 415; message: string };

/**
 * An empty body reads as `{}` whatever its type (DRF does not parse an empty stream); any other
 * body must be `application/json` (415 otherwise) and valid JSON (400 "JSON parse error - ...").
 */
export async function readJsonBody(request: Request): Promise<BodyResult> {
  const text = new TextDecoder().decode(await request.arrayBuffer());
  if (text.length === 0) return { ok: true, value: {} };
  const contentType = request.headers.get("content-type") ?? "";
  const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (mediaType !== "application/json") {
    return { ok: false, status: 415, message: DRF.unsupportedMediaType(contentType) };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, status: 400, message: DRF.jsonParseError(message) };
  }
}
