/** What selectors read from a response: already received and decoded, so selecting never does I/O. */

/** The body as text and, when it parses, as JSON. */
export interface BodyView {
  text: string;
  json: { ok: true; value: unknown } | { ok: false; reason: string };
  /**
   * Why the body is neither shown nor selected, when it is not (a JSON body too deep for its
   * personal fields to be masked by key): `body` fails with it, and reports show it instead.
   */
  withheld?: string;
}

/** One response as selectors see it. */
export interface ResponseView {
  status: number;
  /** Milliseconds from sending to the end of the body. */
  durationMs: number;
  headers: Headers;
  body: BodyView;
}

/** Decodes a body's text once, recording whether (and why not) it is JSON. */
export function viewBody(text: string): BodyView {
  try {
    return { text, json: { ok: true, value: JSON.parse(text) } };
  } catch (error) {
    // Checked only once parsing failed: trimming copies the whole body.
    if (text.trim() === "") return { text, json: { ok: false, reason: "the response body is empty" } };
    const reason = error instanceof Error ? error.message : "it does not parse";
    return { text, json: { ok: false, reason: `the response body is not valid JSON (${reason})` } };
  }
}
