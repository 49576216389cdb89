/**
 * A response whose body the attempt already read in full (it fit the size cap): the bytes are
 * kept as they are, and a stream is only made for a caller that asks for `body`. Reading a small
 * body whole costs one `arrayBuffer()`; passing it on through a guarding stream cost a second
 * stream per response.
 */

const decoder = new TextDecoder();

function bodyUsedError(): TypeError {
  return new TypeError("Body is unusable: Body has already been read");
}

/**
 * A `Response` holding its body as bytes. It behaves as a `Response` would: each body reader works
 * once, `body` gives a stream of the bytes, `clone()` copies.
 *
 * @example
 * ```ts
 * const response = new BufferedResponse(new TextEncoder().encode('{"ok":true}'), { status: 200 });
 * await response.json(); // { ok: true }
 * ```
 */
export class BufferedResponse extends Response {
  readonly #bytes: Uint8Array<ArrayBuffer>;
  readonly #url: string;
  /** Set once a body reader (`text()`, `json()`...) took the bytes. */
  #consumed = false;
  #stream: ReadableStream<Uint8Array<ArrayBuffer>> | undefined;

  constructor(bytes: Uint8Array<ArrayBuffer>, init: ResponseInit, url = "") {
    // No body for the base: the bytes are served by the methods below.
    super(null, init);
    this.#bytes = bytes;
    this.#url = url;
  }

  /** The body's size in bytes. */
  get byteLength(): number {
    return this.#bytes.byteLength;
  }

  override get url(): string {
    return this.#url;
  }

  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> {
    if (this.#stream === undefined) {
      this.#stream = new Response(this.#consumed ? new Uint8Array(0) : this.#bytes).body as ReadableStream<
        Uint8Array<ArrayBuffer>
      >;
      // A body already read gives a stream with nothing left in it, as a used `Response` does.
      if (this.#consumed) this.#stream.cancel().catch(() => undefined);
    }
    return this.#stream;
  }

  override get bodyUsed(): boolean {
    return this.#consumed || (this.#stream?.locked ?? false);
  }

  /** The bytes for a body reader, or the error a used body gives. */
  async #read(): Promise<Uint8Array<ArrayBuffer>> {
    if (this.bodyUsed) throw bodyUsedError();
    if (this.#stream !== undefined) {
      this.#consumed = true;
      return new Uint8Array(await new Response(this.#stream).arrayBuffer());
    }
    this.#consumed = true;
    return this.#bytes;
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.#read();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  override async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(await this.arrayBuffer());
  }

  override async text(): Promise<string> {
    return decoder.decode(await this.#read());
  }

  override async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  override async blob(): Promise<Blob> {
    return new Blob([await this.#read()], { type: this.headers.get("content-type") ?? "" });
  }

  override async formData(): Promise<FormData> {
    return new Response(await this.#read(), { headers: this.headers }).formData();
  }

  override clone(): BufferedResponse {
    if (this.bodyUsed || this.#stream !== undefined) {
      throw new TypeError("Response.clone: Body has already been consumed.");
    }
    const { status, statusText, headers } = this;
    return new BufferedResponse(this.#bytes.slice(), { status, statusText, headers }, this.#url);
  }
}
