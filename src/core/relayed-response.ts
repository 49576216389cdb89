/**
 * A response the attempt hands on in place of the fetched one, with a body of its own (the
 * guarded stream, or the bytes already read) and the fetched status, URL and headers.
 *
 * Its `headers` are the fetched `Headers` object itself, immutable as `fetch` made it, whichever
 * way the body was read: a copy that could be changed would make a response's headers mutable or
 * not depending on how its body was read. The base `Response` still gets a copy of the header
 * list, because what the platform itself reads is the base's (`blob()`'s type, `formData()`'s
 * boundary, and in workerd `new Response(body, response)` and a response returned from `fetch`).
 */

/** The parts of a fetched response that a relayed one keeps. */
export interface FetchedParts {
  status: number;
  statusText: string;
  headers: Headers;
  url: string;
}

/**
 * A `Response` showing `fetched`'s status, headers and URL over `body`.
 *
 * @example
 * ```ts
 * const fetched = await fetch("https://demo-api.certn.co/api/v1/teams/");
 * const relayed = new RelayedResponse(fetched.body, fetched);
 * relayed.headers === fetched.headers; // true
 * ```
 */
export class RelayedResponse extends Response {
  readonly #headers: Headers;
  readonly #url: string;

  constructor(body: ReadableStream<Uint8Array> | null, fetched: FetchedParts) {
    const { status, statusText, headers } = fetched;
    super(body, { status, statusText, headers });
    this.#headers = headers;
    this.#url = fetched.url;
  }

  override get headers(): Headers {
    return this.#headers;
  }

  override get url(): string {
    return this.#url;
  }
}
