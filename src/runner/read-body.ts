/**
 * Reads a response body up to a byte cap without buffering beyond it: past the cap, the stream is
 * cancelled and the item errored as "response too large". A JSON body that nests deeper than
 * MAX_JSON_DEPTH is kept as text only, so no selector, comparison, redaction or reporter (all of
 * which may recurse) sees it parsed.
 */
import { type BodyView, viewBody } from "../assert/response-view.ts";
import { BufferedResponse } from "../core/buffered-response.ts";
import { jsonDepthExceeds, MAX_JSON_DEPTH } from "../core/json.ts";
import { ItemFailure, RunnerErrorCode } from "./errors.ts";

/** The largest body the runner reads: 5 MB. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

function tooLarge(maxBytes: number): ItemFailure {
  return new ItemFailure(
    RunnerErrorCode.RESPONSE_TOO_LARGE,
    `response too large: the body exceeds ${maxBytes} bytes, and the rest was not read`,
  );
}

/**
 * Reads the body as UTF-8 text: at once when the client's attempt already read it whole (its
 * length was checked there, nothing is left to guard), else from the stream, under the cap.
 * @throws ItemFailure `CERTN_RESPONSE_TOO_LARGE` past `maxBytes` (at once, or as a rejection);
 * transport errors pass through.
 * @example
 * ```ts
 * const read = readBodyText(response, MAX_BODY_BYTES, signal);
 * const text = typeof read === "string" ? read : await read;
 * ```
 */
export function readBodyText(
  response: Response,
  maxBytes = MAX_BODY_BYTES,
  signal?: AbortSignal,
): string | Promise<string> {
  // Read whole by the client's attempt (its length was checked there): nothing is left to guard,
  // and no promise is made, since an await costs a turn of the microtask queue. A body already
  // used gets `text()`, which rejects as a `Response` would.
  if (response instanceof BufferedResponse && !signal?.aborted) {
    if (response.byteLength > maxBytes) throw tooLarge(maxBytes);
    return response.textNow() ?? response.text();
  }
  return readStreamedText(response, maxBytes, signal);
}

async function readStreamedText(response: Response, maxBytes: number, signal?: AbortSignal): Promise<string> {
  if (signal?.aborted) {
    await response.body?.cancel().catch(() => undefined);
    throw signal.reason;
  }
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(maxBytes);
  }
  if (response.body === null) return "";
  const reader = response.body.getReader();
  // A stop of the run must also end a body that stalls mid-way.
  const cancel = (): void => {
    reader.cancel(signal?.reason).catch(() => undefined);
  };
  signal?.addEventListener("abort", cancel, { once: true });
  const decoder = new TextDecoder();
  let received = 0;
  let text = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (signal?.aborted) throw signal.reason;
      if (done) break;
      received += value.byteLength;
      if (received > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(maxBytes);
      }
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw error;
  } finally {
    signal?.removeEventListener("abort", cancel);
  }
  return text + decoder.decode();
}

/**
 * Views a body as selectors see it (text, and JSON when it parses). A JSON body that nests deeper
 * than MAX_JSON_DEPTH is withheld: every `$` selector and `body` fail, saying so, and reports show
 * that instead of it (its personal fields, masked by key in a JSON body, would show in its text),
 * while `status` and headers still work.
 */
export function viewResponseBody(text: string): BodyView {
  const view = viewBody(text);
  if (view.json.ok && jsonDepthExceeds(view.json.value, MAX_JSON_DEPTH)) {
    const reason = `the JSON body nests deeper than ${MAX_JSON_DEPTH} levels, the most the runner reads`;
    return { text, json: { ok: false, reason }, withheld: reason };
  }
  return view;
}
