/**
 * A response whose body the attempt already read in full (it fit the size cap): the bytes are
 * kept as they are. `text()`, what the runner reads, decodes them directly; any other use of the
 * body gets a plain `Response` over the same bytes, made on first need. Reading a small body
 * whole costs one `arrayBuffer()`; passing it on through a guarding stream cost a second stream
 * per response.
 */

import { type FetchedParts, RelayedResponse } from "./relayed-response.ts";

const decoder = new TextDecoder();

/**
 * A `Response` holding its body as bytes. It behaves as a `Response` would: the body reads once,
 * `body` gives a stream of the bytes, `clone()` copies.
 *
 * @example
 * ```ts
 * const bytes = new TextEncoder().encode('{"ok":true}');
 * const response = new BufferedResponse(bytes, { status: 200, statusText: "OK", headers: new Headers(), url: "" });
 * await response.json(); // { ok: true }
 * ```
 */
export class BufferedResponse extends RelayedResponse {
  readonly #bytes: Uint8Array<ArrayBuffer>;
  /** Set once `text()` took the bytes. */
  #used = false;
  #plain: Response | undefined;

  constructor(bytes: Uint8Array<ArrayBuffer>, fetched: FetchedParts) {
    // No body for the base: the methods below serve the bytes.
    super(null, fetched);
    this.#bytes = bytes;
  }

  /** The body's size in bytes. */
  get byteLength(): number {
    return this.#bytes.byteLength;
  }

  /** A plain `Response` over the bytes, already read if `text()` read them. */
  #response(): Response {
    if (this.#plain === undefined) {
      this.#plain = new Response(this.#bytes, { headers: this.headers });
      if (this.#used) this.#plain.arrayBuffer().catch(() => undefined);
    }
    return this.#plain;
  }

  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    return this.#response().body as ReadableStream<Uint8Array<ArrayBuffer>> | null;
  }

  override get bodyUsed(): boolean {
    return this.#plain?.bodyUsed ?? this.#used;
  }

  override text(): Promise<string> {
    return Promise.resolve(this.textNow() ?? this.#response().text());
  }

  /**
   * The body as text, at once, marking it used: what `text()` resolves to, without its promise
   * (the runner reads every body this way). Undefined when the body was already used or handed
   * out as a stream; `text()` then says why.
   */
  textNow(): string | undefined {
    if (this.#plain !== undefined || this.#used) return undefined;
    this.#used = true;
    return decoder.decode(this.#bytes);
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    return this.#response().arrayBuffer();
  }

  override async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(await this.arrayBuffer());
  }

  override json(): Promise<unknown> {
    return this.#response().json();
  }

  override blob(): Promise<Blob> {
    return this.#response().blob();
  }

  override formData(): Promise<FormData> {
    return this.#response().formData();
  }

  override clone(): BufferedResponse {
    if (this.bodyUsed || this.#plain?.body?.locked)
      throw new TypeError("Response.clone: Body has already been consumed.");
    // The headers are shared: they are immutable, as the fetched response's are.
    return new BufferedResponse(this.#bytes, this);
  }
}
