import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { answerCertnCentricChallenge } from "../../../src/webhooks/centric-challenge.ts";

const url = "https://hooks.example.com/certn";

describe("answerCertnCentricChallenge", () => {
  it("echoes the challenge as text/plain with nosniff", async () => {
    const response = answerCertnCentricChallenge(new Request(`${url}?challenge=abc123`));
    expect(response?.status).toBe(200);
    expect(response?.headers.get("Content-Type")).toMatch(/^text\/plain/);
    expect(response?.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(await response?.text()).toBe("abc123");
  });

  it("echoes any value exactly, once URL-decoded", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 80 }), async (challenge) => {
        const target = new URL(url);
        target.searchParams.set("challenge", challenge);
        target.searchParams.set("other", "1");
        const response = answerCertnCentricChallenge(new Request(target));
        expect(response?.status).toBe(200);
        expect(await response?.text()).toBe(challenge);
      }),
      { numRuns: 100 },
    );
  });

  it("answers 400 to a GET without a challenge, or with an empty one", async () => {
    for (const target of [url, `${url}?challenge=`, `${url}?Challenge=x`]) {
      const response = answerCertnCentricChallenge(new Request(target));
      expect(response?.status, target).toBe(400);
      expect(response?.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(await response?.text()).toMatch(/challenge/);
    }
  });

  it("answers a HEAD as the GET, without its body", async () => {
    const response = answerCertnCentricChallenge(new Request(`${url}?challenge=abc`, { method: "HEAD" }));
    expect(response?.status).toBe(200);
    expect(response?.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    expect(await response?.text()).toBe("");
  });

  it("returns null for other methods, so the caller handles the delivery", () => {
    for (const method of ["POST", "PUT", "DELETE"]) {
      expect(answerCertnCentricChallenge(new Request(`${url}?challenge=abc`, { method }))).toBeNull();
    }
  });
});
