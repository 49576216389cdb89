import { describe, expect, it } from "vitest";
import type { Item, JsonValue, RequestSpec } from "../../../src/collection/model.ts";
import { mapDynamicVariables } from "../../../src/collection/postman/dynamic-variables.ts";
import {
  ExpansionBudget,
  expandJson,
  expandText,
  TemplateTooLargeError,
  templateNames,
} from "../../../src/collection/template.ts";
import { runCollection } from "../../../src/runner/index.ts";
import { collectionOf, createTestTransport, json } from "./helpers.ts";

/** MAX_EXPANDED_LENGTH (5 MiB), as messages write it. */
const LIMIT = "5,242,880";

/** A variable of 100,000 characters: 53 copies pass the limit. */
const BIG = "y".repeat(100_000);

/** The one item of a run, with what the transport sent. */
async function runOne(item: Item, variables: Record<string, JsonValue> = { big: BIG, record: { big: BIG } }) {
  const transport = createTestTransport(() => json({ ok: true }));
  const result = await runCollection(collectionOf([item]), { client: transport, variables });
  return { item: result.items[0], sent: transport.sent };
}

/** What an item refused for its templates' size looks like, naming the field's pointer. */
function tooLarge(pointer: string) {
  return {
    status: "errored",
    error: {
      code: "CERTN_TEMPLATE_TOO_LARGE",
      message: expect.stringMatching(
        new RegExp(
          `^the templates at ${pointer.replaceAll("/", "\\/")} expand to more than ${LIMIT} characters`,
        ),
      ),
    },
  };
}

describe("template expansion stops at MAX_EXPANDED_LENGTH", () => {
  it("stops while expanding, before building the text, and names the pointer and the limit", () => {
    const asked: string[] = [];
    const lookup = (name: string): JsonValue => {
      asked.push(name);
      return "z".repeat(1_000);
    };
    let thrown: unknown;
    try {
      expandText("{{a}}".repeat(1_000_000), lookup, "/request/text", new ExpansionBudget(10_000));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TemplateTooLargeError);
    expect(thrown).toMatchObject({
      code: "CERTN_TEMPLATE_TOO_LARGE",
      pointer: "/request/text",
      limit: 10_000,
      message: expect.stringContaining("/request/text expand to more than 10,000 characters"),
    });
    // The eleventh value passes the 10,000 characters: the other 999,989 templates are never looked up.
    expect(asked).toHaveLength(11);
  });

  it("spends one budget across a JSON value, types kept, and names the string that passed it", () => {
    const lookup = (): JsonValue => "z".repeat(400);
    const body = { a: ["{{v}}", "{{v}}"], "b/c": { d: "x{{v}}" } };
    const budget = new ExpansionBudget(1_000);
    expect(() => expandJson(body, lookup, "/request/json", budget)).toThrow(
      expect.objectContaining({ pointer: "/request/json/b~1c/d" }),
    );
    expect(expandJson({ n: "{{n}}" }, () => 5, "/request/json", new ExpansionBudget(1))).toEqual({ n: 5 });
  });
});

describe("runCollection: a request whose templates expand too far is errored, nothing sent", () => {
  it("a doubling chain: variables are never re-expanded, and captures that triple each step stop at the limit", async () => {
    // Collection variables that refer to each other are inserted as written: no chain is followed.
    const variables: Record<string, string> = { a0: "xxxxxxxx" };
    for (let level = 1; level <= 20; level += 1) {
      variables[`a${level}`] = `{{a${level - 1}}}{{a${level - 1}}}{{a${level - 1}}}`;
    }
    const literal = await runOne(
      { name: "chain", request: { method: "POST", url: "/echo", text: "{{a20}}" } },
      variables,
    );
    expect(literal.item).toMatchObject({ status: "passed" });
    expect(literal.sent.map((sent) => sent.body)).toEqual(["{{a19}}{{a19}}{{a19}}"]);

    // Through an echoing server, each item sends its variable three times and captures the answer:
    // 8 characters times 3^12 is under 5 MiB, times 3^13 over it.
    const transport = createTestTransport(
      async (request) => new Response(await request.text(), { headers: { "content-type": "text/plain" } }),
    );
    const items: Item[] = Array.from({ length: 14 }, (_, index) => ({
      name: `level ${index + 1}`,
      request: { method: "POST", url: "/echo", text: `{{a${index}}}{{a${index}}}{{a${index}}}` },
      capture: { [`a${index + 1}`]: "body" },
    }));
    const result = await runCollection(collectionOf(items, { variables: { a0: "xxxxxxxx" } }), {
      client: transport,
    });
    expect(result.items.slice(0, 12).map((item) => item.status)).toEqual(Array(12).fill("passed"));
    expect(result.items[12]).toMatchObject(tooLarge("/request/text"));
    // The errored item captured nothing: the next one, needing it, is errored too, nothing sent.
    expect(result.items[13]).toMatchObject({
      status: "errored",
      attempts: 0,
      error: {
        code: "CERTN_UNKNOWN_VARIABLE",
        message: 'unknown variable "a13": "level 13" was to capture it and did not (it errored)',
      },
    });
    expect(transport.sent).toHaveLength(12);
    expect(transport.sent.at(-1)?.body).toHaveLength(8 * 3 ** 12);
  });

  it.each<[string, RequestSpec, string]>([
    ["a text body", { method: "POST", url: "/x", text: "{{big}}".repeat(5_000) }, "/request/text"],
    ["the url", { method: "GET", url: `/x?q=${"{{big}}".repeat(60)}` }, "/request/url"],
    [
      "a query value",
      { method: "GET", url: "/x", query: { "a/b": "{{big}}".repeat(60) } },
      "/request/query/a~1b",
    ],
    [
      "a header value",
      { method: "GET", url: "/x", headers: { "X-Big": "{{big}}".repeat(60) } },
      "/request/headers/X-Big",
    ],
    [
      "a form value",
      { method: "POST", url: "/x", form: { note: "{{big}}".repeat(60) } },
      "/request/form/note",
    ],
    [
      "a JSON body of many one-template strings (each keeps its value, the body still adds up)",
      { method: "POST", url: "/x", json: { notes: Array(60).fill("{{big}}") } },
      "/request/json/notes/52",
    ],
    [
      "a JSON body repeating an object variable (measured as the text it adds)",
      { method: "POST", url: "/x", json: Array(60).fill("{{record}}") },
      "/request/json/52",
    ],
    [
      "several fields together, each under the limit",
      {
        method: "POST",
        url: "/x",
        headers: { "X-One": "{{big}}".repeat(30), "X-Two": "{{big}}".repeat(30) },
      },
      "/request/headers/X-Two",
    ],
  ])("%s", async (_label, request, pointer) => {
    const { item, sent } = await runOne({ name: "big", request });
    expect(item).toMatchObject(tooLarge(pointer));
    expect(sent).toEqual([]);
  });

  it("bounds an assertion's expected value too (the item is errored, not compared)", async () => {
    const { item, sent } = await runOne({
      name: "assert",
      request: { method: "GET", url: "/x" },
      assert: [{ that: "$.ok", equals: "{{big}}".repeat(60) }],
    });
    expect(item).toMatchObject({
      status: "errored",
      error: { code: "CERTN_TEMPLATE_TOO_LARGE", message: expect.stringContaining(`more than ${LIMIT}`) },
    });
    expect(sent).toHaveLength(1);
  });

  it("bounds all the assertion values of a response together, each one under the limit", async () => {
    // Ten values of a fifth of the limit each: any one is fine, together they are twice it.
    const fifth = "{{big}}".repeat(12);
    const { item } = await runOne({
      name: "asserts",
      request: { method: "GET", url: "/x" },
      assert: Array.from({ length: 10 }, () => ({ that: "$.ok", notEquals: fifth })),
    });
    expect(item).toMatchObject({ status: "errored", error: { code: "CERTN_TEMPLATE_TOO_LARGE" } });
  });
});

describe("template matching is linear in the text", () => {
  // The format's grammar, `{{`, one or more characters other than `}`, then `}}`, read as the
  // regular expression /\{\{([^}]+)\}\}/g reads it, scans each `{{` to the next `}`: on a text of
  // many `{{` and no `}}` that is quadratic (400,000 characters took minutes), past this test's
  // timeout. Each of these texts is read once.
  it("reads a text full of {{ once, and a { is part of a name, as the format's grammar says", () => {
    const text = "{{".repeat(200_000);
    expect(expandText(text, () => "x")).toBe(text);
    expect(templateNames(text)).toEqual([]);
    // A single `}` closes no template, however many `{{` come before it.
    expect(expandText(`${text}}`, () => "x")).toBe(`${text}}`);
    expect(templateNames(`${text}}x}`)).toEqual([]);
    expect(templateNames("{{a}".repeat(100_000))).toEqual([]);
    // The leftmost `{{` starts the template, and every `{` after it is part of the name.
    expect(templateNames(`${text}{{a}}`)).toEqual([`${"{".repeat(400_000)}a`]);
    expect(templateNames(`x}${"{{".repeat(100_000)}}}`)).toEqual(["{".repeat(199_998)]);
    expect(expandText("a {{x}} {{{y}}} {{z} {{a{b}}", (name) => `<${name}>`)).toBe("a <x> <{y>} {{z} <a{b>");
    // One or more characters: `{{}}` is text; a name of spaces is a template (of the name "").
    expect(templateNames("{{}} {{ }}")).toEqual([""]);
  }, 10_000);

  it("the Postman import finds dynamic variables with the same grammar, in linear time", () => {
    const unknown: string[] = [];
    const map = (text: string) => mapDynamicVariables(text, (name) => unknown.push(name));
    expect(map("/x/{{$guid}}?t={{ $timestamp }}&n={{$randomFirstName}}")).toBe(
      "/x/{{$uuid}}?t={{$timestamp}}&n={{$randomFirstName}}",
    );
    expect(unknown).toEqual(["$randomFirstName"]);
    // `{{{$guid}}` names `{$guid` and `{{$a{b}}` names `$a{b`, as the runner reads them.
    expect(map("{{{$guid}}")).toBe("{{{$guid}}");
    expect(map("{{$a{b}}")).toBe("{{$a{b}}");
    expect(unknown).toEqual(["$randomFirstName", "$a{b"]);
    // A string without a dynamic variable is kept as written; in one with, the runner reads the
    // same templates, renamed.
    expect(map("{{ id }}/{{ }}")).toBe("{{ id }}/{{ }}");
    const mixed = "{{ id }}/{{$randomUUID}}/{{ }}/{{a{b}}}";
    expect(templateNames(map(mixed))).toEqual(["id", "$uuid", "", "a{b"]);
    expect(expandText(map(mixed), (name) => `<${name}>`)).toBe("<id>/<$uuid>/<>/<a{b>}");
    // Many `{{` before a template make it part of one name, read once.
    const text = `${"{{".repeat(200_000)}{{$guid}}`;
    expect(map(text)).toBe(text);
    expect(unknown).toHaveLength(2);
  }, 10_000);
});
