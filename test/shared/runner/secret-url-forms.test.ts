/**
 * A secret sent in a URL comes back rewritten by the WHATWG URL parser: tabs and newlines dropped,
 * `\` read as `/`, the host lower-cased (and punycoded when it is not ASCII), the rest
 * percent-encoded. Neither the reported URL, nor the egress refusal, nor an echo of the URL may
 * show the secret in any of those forms.
 */
import { describe, expect, it } from "vitest";
import { createSecretMasker, secretForms, urlParserForms } from "../../../src/core/mask-secrets.ts";
import type { RunEvent, RunResult } from "../../../src/results/result.ts";
import { runCollection, toJUnit, toNdjsonLine, toText } from "../../../src/runner/index.ts";
import { secretTexts } from "../../../src/runner/secret-values.ts";
import { collectionOf, createTestTransport, json } from "./helpers.ts";

const BASE = "https://demo-api.certn.co";
const SECRET = "Ab\tC\\d Ünï";
/** A secret that is a whole host label, which the parser punycodes. */
const LABEL = "Tökén";

/** Every text a run can end up in. */
function outputsOf(result: RunResult, events: RunEvent[]): Record<string, string> {
  return {
    json: JSON.stringify(result),
    ndjson: events.map(toNdjsonLine).join(""),
    junit: toJUnit(result),
    text: toText(result),
  };
}

/** What the URL parser makes of `secret` in a host, a path and a query, worked out from `URL` itself. */
function rewrittenForms(secret: string): string[] {
  const inHost = new URL(`https://${secret}.example/x`);
  const inPath = new URL(`${BASE}/api/${secret}/x`).pathname;
  const inQuery = new URL(`${BASE}/x?q=${secret}`).search;
  const forms = [
    secret,
    inHost.hostname,
    inHost.pathname.slice(1, -".example/x".length),
    inPath.slice("/api/".length, -"/x".length),
    inQuery.slice("?q=".length),
  ];
  return [...new Set([...forms, ...forms.map((form) => decodeURIComponent(form))])];
}

describe("a secret rewritten by the URL parser", () => {
  it("knows the forms a host, a path and a query give it", () => {
    expect(rewrittenForms(SECRET)).toEqual([
      SECRET,
      "abc",
      "d%20%C3%9Cn%C3%AF",
      "AbC/d%20%C3%9Cn%C3%AF",
      "AbC\\d%20%C3%9Cn%C3%AF",
      "d Ünï",
      "AbC/d Ünï",
      "AbC\\d Ünï",
    ]);
    const forms = urlParserForms(SECRET);
    for (const form of ["abc", "abc/d%20%C3%9Cn%C3%AF", "AbC/d%20%C3%9Cn%C3%AF", "AbC\\d%20%C3%9Cn%C3%AF"]) {
      expect(forms).toContain(form);
    }
    expect(urlParserForms(LABEL)).toContain("xn--tkn-cma7d");
    expect(urlParserForms("a\tb:c@d")).toContain("ab%3Ac%40d");
  });

  it("keeps none of them in results, events, reports or the egress refusal", async () => {
    // The server echoes the URL it got, in its body and a header.
    const transport = createTestTransport((request) =>
      json({ url: request.url }, 404, { "x-echo": new URL(request.url).pathname }),
    );
    const events: RunEvent[] = [];
    const result = await runCollection(
      collectionOf([
        { name: "host", request: { method: "GET", url: "https://{{s}}.example/x" } },
        { name: "label", request: { method: "GET", url: "https://{{label}}.example/x" } },
        {
          name: "path",
          request: { method: "GET", url: "/api/{{s}}/x" },
          assert: [{ that: "$.url", equals: "nope" }],
        },
        {
          name: "query",
          request: { method: "GET", url: "/x?q={{s}}" },
          assert: [{ that: "$.url", equals: "nope" }],
        },
      ]),
      {
        client: transport,
        secrets: { s: SECRET, label: LABEL },
        includeBodies: true,
        onEvent: (event) => events.push(event),
      },
    );
    expect(result.items.map((item) => [item.name, item.status, item.error?.code])).toEqual([
      ["host", "errored", "CERTN_EGRESS_REFUSED"],
      ["label", "errored", "CERTN_EGRESS_REFUSED"],
      ["path", "failed", undefined],
      ["query", "failed", undefined],
    ]);
    // The secret did go out, rewritten, where the origin allowed it.
    expect(transport.sent.map((sent) => sent.url)).toEqual([
      `${BASE}/api/AbC/d%20%C3%9Cn%C3%AF/x`,
      `${BASE}/x?q=AbC\\d%20%C3%9Cn%C3%AF`,
    ]);
    expect(result.items[0]?.error?.message).toContain("[secret]");
    expect(result.items[1]?.error?.message).toContain("[secret]");
    expect(result.items[2]?.request?.url).toBe(`${BASE}/api/[secret]/x`);

    const forms = [...rewrittenForms(SECRET), LABEL, LABEL.toLowerCase(), "xn--tkn-cma7d"];
    for (const [where, output] of Object.entries(outputsOf(result, events))) {
      for (const form of forms.flatMap(secretForms)) {
        expect(output.includes(form), `${where} holds ${JSON.stringify(form)}`).toBe(false);
      }
    }
  });

  it("masks what a reported URL keeps of a secret cut at a # or trimmed at its end", async () => {
    const transport = createTestTransport(() => json({}, 404));
    const cases = {
      fragment: { secret: "my pass#word", url: "/v1/x?token={{s}}", shown: "my%20pass" },
      pipe: { secret: "pa|ssw0rd#x", url: "/v1/x?token={{s}}", shown: "pa|ssw0rd" },
      path: { secret: "pa ss?word", url: "/v1/{{s}}", shown: "pa%20ss" },
      nbsp: { secret: "hunter2\u00a0", url: "/v1/x?token={{s}}", shown: "hunter2" },
      ideographic: { secret: "hunter 2\u3000", url: "/v1/x/{{s}}", shown: "hunter%202" },
    };
    for (const [name, { secret, url, shown }] of Object.entries(cases)) {
      const result = await runCollection(collectionOf([{ name, request: { method: "GET", url } }]), {
        client: transport,
        secrets: { s: secret },
      });
      const reported = result.items[0]?.request?.url ?? "";
      expect(reported, name).toContain("[secret]");
      expect(reported.includes(shown), `${name}: ${reported}`).toBe(false);
      expect(JSON.stringify(result).includes(shown), name).toBe(false);
    }
  });

  it("never masks inside a placeholder it wrote", () => {
    // "secret" (the query's part before the #) is inside "[secret]": replaced one form after the
    // other, the whole form's placeholder was masked again as "[[secret]]".
    const mask = createSecretMasker(["secret#tail", ...urlParserForms("secret#tail")]);
    expect(mask("a secret#tail b, /x?t=secret")).toBe("a [secret] b, /x?t=[secret]");
    const short = createSecretMasker(["sec/../ret", ...urlParserForms("sec/../ret")]);
    expect(short("sec/../ret")).toBe("[secret]");
    expect(short("https://sec/ret")).not.toMatch(/\[\[|\]\]/);
  });

  it("masks what a secret is, not the words around it", () => {
    const mask = createSecretMasker(
      secretTexts({
        config: { region: "us", version: 1, token: "s3cr3t-value" },
        hook: "https://hooks.example/services/T0/B0/xyz",
        sig: "Zm9v%2fYmFy%3d%3d",
      }),
    );
    // Short values inside an object secret, and the scheme of a secret URL, are left alone.
    expect(mask("https://demo-api.certn.co/api/v1/users/?status=1")).toBe(
      "https://demo-api.certn.co/api/v1/users/?status=1",
    );
    expect(mask("token s3cr3t-value, hook https://hooks.example/services/T0/B0/xyz")).toBe(
      "token [secret], hook [secret]",
    );
    // A query read and written again by URLSearchParams comes back in its own encoding.
    const url = new URL("https://demo-api.certn.co/a?sig=Zm9v%2fYmFy%3d%3d");
    url.searchParams.append("page", "2");
    expect(mask(url.href)).toBe("https://demo-api.certn.co/a?sig=[secret]&page=2");
  });
});
