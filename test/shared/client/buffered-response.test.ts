/**
 * `BufferedResponse`: a body read whole by the client's attempt, served as a `Response` would
 * serve it, in every runtime (this file also runs in workerd).
 */
import { describe, expect, it } from "vitest";
import { BufferedResponse } from "../../../src/core/buffered-response.ts";

const encode = (text: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(text);

function response(text = '{"count":2,"name":"Team"}'): BufferedResponse {
  return new BufferedResponse(encode(text), {
    status: 201,
    statusText: "Created",
    headers: new Headers({ "content-type": "application/json" }),
    url: "https://demo-api.certn.co/api/v1/teams/",
  });
}

describe("BufferedResponse", () => {
  it("keeps status, headers, URL and size, and reads its body once", async () => {
    const buffered = response();
    expect(buffered).toBeInstanceOf(Response);
    expect(buffered.status).toBe(201);
    expect(buffered.statusText).toBe("Created");
    expect(buffered.ok).toBe(true);
    expect(buffered.headers.get("content-type")).toBe("application/json");
    expect(buffered.url).toBe("https://demo-api.certn.co/api/v1/teams/");
    expect(buffered.byteLength).toBe(25);
    expect(buffered.bodyUsed).toBe(false);
    expect(await buffered.json()).toEqual({ count: 2, name: "Team" });
    expect(buffered.bodyUsed).toBe(true);
    await expect(buffered.text()).rejects.toThrow(TypeError);
    await expect(buffered.arrayBuffer()).rejects.toThrow(TypeError);
  });

  it("serves every body reader", async () => {
    expect(await response("hello").text()).toBe("hello");
    expect(new TextDecoder().decode(await response("hello").arrayBuffer())).toBe("hello");
    expect(new TextDecoder().decode(await response("hello").bytes())).toBe("hello");
    const blob = await response("hello").blob();
    expect(blob.type).toBe("application/json");
    expect(await blob.text()).toBe("hello");
  });

  it("gives its text at once to `textNow`, once, and nothing after the body was used", async () => {
    const buffered = response("now");
    expect(buffered.textNow()).toBe("now");
    expect(buffered.bodyUsed).toBe(true);
    expect(buffered.textNow()).toBeUndefined();
    await expect(buffered.text()).rejects.toThrow(TypeError);
    expect(response("").textNow()).toBe("");
    const streamed = response("streamed");
    expect(streamed.body).not.toBeNull();
    // Handed out as a stream: the stream has the bytes, `textNow` has nothing to give.
    expect(streamed.textNow()).toBeUndefined();
    expect(await new Response(streamed.body).text()).toBe("streamed");
  });

  it("hands on whole as `new Response(response.body, response)`, status and headers included", async () => {
    const relayed = new Response(response("handed on").body, response());
    expect(relayed.status).toBe(201);
    expect(relayed.statusText).toBe("Created");
    expect(relayed.headers.get("content-type")).toBe("application/json");
    expect(await relayed.text()).toBe("handed on");
  });

  it("gives its bytes as a stream when asked for `body`, once", async () => {
    const buffered = response("streamed");
    const body = buffered.body;
    expect(buffered.body).toBe(body);
    expect(await new Response(body).text()).toBe("streamed");
    expect(buffered.bodyUsed).toBe(true);
    await expect(buffered.text()).rejects.toThrow(TypeError);
  });

  it("clones before it is read, and the copy reads on its own", async () => {
    const buffered = response("twice");
    const copy = buffered.clone();
    expect(await buffered.text()).toBe("twice");
    expect(await copy.text()).toBe("twice");
    expect(copy.url).toBe(buffered.url);
    expect(copy.headers).toBe(buffered.headers);
    expect(() => buffered.clone()).toThrow(TypeError);
  });
});
