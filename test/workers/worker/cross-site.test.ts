/**
 * A browser's cross-site request cannot change anything: behind Cloudflare Access the browser
 * sends the credential itself, so an empty cross-site form POST would start a run as its user.
 */
import { describe, expect, it } from "vitest";
import { createHarness } from "./harness.ts";

/** What a browser sends for an empty `<form method=post>` on another site. */
const crossSiteForm = {
  "content-type": "application/x-www-form-urlencoded",
  "content-length": "0",
  origin: "https://evil.example",
  "sec-fetch-site": "cross-site",
};

describe("cross-site requests", () => {
  it("refuses a cross-site POST with 403 before anything is sent, whatever the credential", async () => {
    const h = createHarness();
    for (const headers of [
      crossSiteForm,
      { "sec-fetch-site": "same-site" },
      { origin: "https://evil.example" },
    ]) {
      const response = await h.call("/collections/certn-smoke/runs", { method: "POST", auth: true, headers });
      expect(response.status, JSON.stringify(headers)).toBe(403);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("FORBIDDEN");
      expect(body.error.message).toContain("another site");
    }
    expect(h.upstream).toEqual([]);
  });

  it("lets the console's own requests, other clients and reads through", async () => {
    const h = createHarness();
    const own = await h.call("/collections/certn-smoke/runs", {
      method: "POST",
      auth: true,
      headers: { "sec-fetch-site": "same-origin", origin: "https://worker.test" },
    });
    expect(own.status).toBe(200);
    const plain = await h.call("/collections/certn-smoke/runs", { method: "POST", auth: true });
    expect(plain.status).toBe(200);
    const read = await h.call("/collections", { auth: true, headers: { "sec-fetch-site": "cross-site" } });
    expect(read.status).toBe(200);
  });
});
