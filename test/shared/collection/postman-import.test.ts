import { describe, expect, it } from "vitest";
import { parseCollection } from "../../../src/collection/parse.ts";
import { importPostman, importPostmanEnvironment } from "../../../src/collection/postman/index.ts";
import environment from "../../fixtures/postman/environment.json";
import requests from "../../fixtures/postman/requests.json";
import scripts from "../../fixtures/postman/script-translations.json";
import wrapped from "../../fixtures/postman/wrapped-v20.json";

function imported(input: unknown) {
  const result = importPostman(input);
  expect(parseCollection(result.collection)).toEqual({ ok: true, collection: result.collection });
  return result;
}

describe("importPostman: test scripts", () => {
  const { collection, warnings } = imported(scripts);
  const [modern, legacy, helpers] = collection.items;

  it("translates pm.test, pm.expect and pm.response checks into named assertions, and setters into captures", () => {
    expect(modern).toEqual({
      name: "Modern pm API",
      request: { method: "POST", url: "/api/v1/things" },
      capture: {
        thingId: "$.id",
        firstName: "$.information.first_name",
        odd: "$['weird key'][0]",
        location: "header Location",
      },
      assert: [
        { that: "status", equals: 201, name: "Status code is 201" },
        { that: "$.status", equals: "Analyzing", name: "Body" },
        { that: "$.information.first_name", equals: "Jane", name: "Body" },
        { that: "$.id", type: "string", name: "Body" },
        { that: "$.tags", contains: "new", name: "Body" },
        { that: "$.owner", exists: true, name: "Body" },
        { that: "$['weird key'][0]", exists: true, name: "Body" },
        { that: "$.count", greaterThan: 2, name: "Body" },
        { that: "$.items", length: 3, name: "Body" },
        { that: "$.missing", exists: false, name: "Body" },
        { that: "status", equals: 201 },
        { that: "header Location", equals: "/api/v1/things/1" },
        { that: "duration", lessThan: 5000 },
      ],
    });
  });

  it("keeps the first 100 checks and captures of a request that has more, saying so", () => {
    const exec = [
      "const json = pm.response.json();",
      ...Array.from({ length: 101 }, (_, i) => `pm.expect(json.n${i}).to.eql(${i});`),
      ...Array.from({ length: 101 }, (_, i) => `pm.environment.set("v${i}", json.v${i});`),
    ];
    const many = imported({
      info: { name: "many", schema: "https://schema.getpostman.com/json/collection/v2.1.0/collection.json" },
      item: [
        { name: "big", request: { method: "GET", url: "/x" }, event: [{ listen: "test", script: { exec } }] },
      ],
    });
    const [item] = many.collection.items as Array<{
      request?: unknown;
      assert?: unknown[];
      capture?: object;
    }>;
    expect(item?.request).toEqual({ method: "GET", url: "/x" });
    expect(item?.assert).toHaveLength(100);
    expect(Object.keys(item?.capture ?? {})).toHaveLength(100);
    expect(many.warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining("make 101 checks; the first 100 are kept"),
        expect.stringContaining("only the first 100 variables its tests set are captured"),
      ]),
    );
  });

  it("translates the legacy tests[...] sandbox and postman.set*Variable", () => {
    expect(legacy).toEqual({
      name: "Legacy sandbox",
      request: { method: "GET", url: "/api/v1/legacy" },
      capture: { userId: "$.user.id", token: "$.token" },
      assert: [
        { that: "status", equals: 200, name: "Status code is 200" },
        { that: "$.user", exists: true, name: "has user" },
        { that: "$.error", exists: false, name: "no error" },
        { that: "$.user.name", equals: "Jane", name: "name" },
      ],
    });
  });

  it("reads response helpers, bound literals, chained property checks, regexes and variable reads", () => {
    expect(helpers?.name).toBe("Response helpers");
    expect(helpers && "request" in helpers && helpers.assert).toEqual([
      { that: "status", equals: 200, name: "ok" },
      { that: "status", equals: "2xx" },
      { that: "status", notEquals: 500 },
      { that: "header Content-Type", exists: true },
      { that: "status", oneOf: [200, 201] },
      { that: "$.args.source", equals: "newman" },
      { that: "$.name", matches: "/^ja/i" },
      { that: "$.value", equals: "{{expected}}" },
      { that: "$.id", equals: "{{id}}" },
    ]);
  });

  it("warns about each statement it does not translate (including ones sharing a line), and never runs any", () => {
    expect(warnings).toEqual([
      "the host {{baseUrl}} was dropped from 3 request URLs, which became paths resolved against the runner's base URL",
      '"Modern pm API": test script statement not translated: console.log(json)',
      '"Modern pm API": test script statement not translated: postman.setNextRequest(null)',
      "\"Modern pm API\": test script statement not translated: if (json.ok) { pm.environment.set('x', json.x); }",
      '"Legacy sandbox": test script statement not translated: tests["body contains x"] = responseBody.has("x")',
      "\"Legacy sandbox\": pre-request script statement not run: pm.environment.set('start', Date.now())",
    ]);
  });
});

describe("importPostman: requests", () => {
  const { collection, warnings } = imported(requests);

  it("converts URLs, queries, headers, bodies, auth and variables", () => {
    expect(collection).toEqual({
      formatVersion: 1,
      name: "Requests",
      description: "Request conversions",
      variables: { baseUrl: "https://api.example.com", pageSize: 5, emptyToken: "" },
      items: [
        {
          name: "Folder",
          items: [
            {
              name: "Url object with path variable",
              request: {
                method: "GET",
                url: "/users/42/orders",
                query: { page: "2", q: "a b" },
                headers: { Accept: "application/json", "X-Id": "{{$uuid}}" },
              },
              auth: "none",
            },
            {
              name: "Raw JSON with unquoted template",
              request: {
                method: "POST",
                url: "/items/{{itemId}}",
                headers: { "Content-Type": "application/json" },
                text: '{ "size": {{pageSize}}, "at": "{{$timestamp}}" }',
              },
              auth: "certn",
            },
          ],
        },
        {
          name: "Raw JSON",
          request: {
            method: "PUT",
            url: "https://api.example.com/things/1",
            json: { name: "{{name}}", id: "{{$uuid}}", n: [1, 2] },
          },
          auth: "certn",
        },
        {
          name: "Urlencoded",
          request: {
            method: "POST",
            url: "/oauth/token",
            headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Trace": "1" },
            form: { grant_type: "client_credentials" },
          },
          auth: "certn",
        },
        {
          name: "Form data",
          request: { method: "POST", url: "/upload", form: { title: "Report" } },
          auth: "certn",
        },
        {
          name: "GraphQL",
          request: {
            method: "POST",
            url: "/graphql",
            json: { query: "query { me { id } }", variables: { a: 1 } },
          },
          auth: "certn",
        },
        {
          name: "Text",
          request: {
            method: "POST",
            url: "/echo",
            headers: { "Content-Type": "application/xml" },
            text: "<a>{{$randomFirstName}}</a>",
          },
          auth: "certn",
        },
        { name: "Empty url", request: { method: "GET", url: "/" }, auth: "certn" },
        { name: "Purge", request: { method: "GET", url: "/cache" }, auth: "certn", skip: true },
        { name: "String request", request: { method: "GET", url: "/status" }, auth: "certn" },
      ],
    });
  });

  it("says what it changed, grouping repeated changes", () => {
    expect(warnings).toEqual([
      'collection: variable "client_secret" looks like a credential, so its value was not copied: supply it as a run secret',
      "the host {{baseUrl}} was dropped from 6 request URLs, which became paths resolved against the runner's base URL",
      'the Authorization header was dropped from 1 request ("Folder / Url object with path variable"): the runner attaches its own Certn credential',
      'the Cookie header was dropped from 1 request ("Folder / Url object with path variable"): collections cannot set it',
      '"Folder / Raw JSON with unquoted template": the path variable :itemId has no value; it became {{itemId}}, so give "itemId" a value',
      '"Folder / Raw JSON with unquoted template": its JSON body is not valid JSON (an unquoted {{variable}}?), so it is sent as text with Content-Type: application/json',
      'Postman "basic" auth on 1 request ("Folder / Raw JSON with unquoted template") was replaced by the runner\'s Certn credential (auth: "certn"); its settings and credentials were not copied',
      'the absolute origin https://api.example.com was kept in 1 request URL ("Raw JSON"): the runner sends requests only to its base URL\'s origin, so make them paths to run them against Certn',
      'Postman "bearer" auth on 8 requests ("Raw JSON", "Urlencoded", "Form data" and 5 more) was replaced by the runner\'s Certn credential (auth: "certn"); its settings and credentials were not copied',
      '"Form data": its form-data file field(s) "file" were dropped',
      '"Form data": its multipart form-data text fields are sent as an application/x-www-form-urlencoded form',
      'the Postman dynamic variable {{$randomFirstName}} has no equivalent here; it was kept and will fail at run time unless you define "$randomFirstName"',
      '"Empty url": its URL is empty; it became "/"',
      '"Purge": method PURGE is not supported; the item is kept as a skipped GET',
      'folder "Empty folder" is empty and was dropped (a folder needs at least one item)',
      "the host {{host}} was dropped from 1 request URL, which became paths resolved against the runner's base URL",
    ]);
  });

  it("never copies a credential into the collection or a warning", () => {
    const text = JSON.stringify(importPostman(requests));
    for (const secret of [
      "eyJhbGciOiJIUzI1NiJ9",
      "hunter2",
      "s3cr3t-value-never-copied",
      "abcdefghijklmnop",
      "a=b",
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe("importPostman: wrapped v2.0, deep folders and odd items", () => {
  it("unwraps { collection }, flattens folders deeper than 8 and names nameless items", () => {
    const { collection, warnings } = imported(wrapped);
    let folder = collection.items[0];
    const names: string[] = [];
    while (folder !== undefined && "items" in folder) {
      names.push(folder.name);
      folder = folder.items[0];
    }
    expect(names).toEqual(["L1", "L2", "L3", "L4", "L5", "L6", "L7", "L8"]);
    expect(folder).toEqual({ name: "L9 / Deep", request: { method: "GET", url: "/deep" } });
    expect(collection.items[1]).toEqual({
      name: "Request 2",
      request: { method: "DELETE", url: "http://localhost:3000/orders/{{order_id}}", query: { x: "" } },
      auth: "certn",
    });
    expect(collection.items).toHaveLength(2);
    expect(warnings).toEqual([
      'folder "L1 / L2 / L3 / L4 / L5 / L6 / L7 / L8 / L9" is nested deeper than 8 folders; its items were moved up into the folder above, their names prefixed with "L9 / "',
      'collection: an item without a name was named "Request 2"',
      'the absolute origin http://localhost:3000 was kept in 1 request URL ("Request 2"): the runner sends requests only to its base URL\'s origin, so make them paths to run them against Certn',
      '"Request 2": the path variable :order_id has no value; it became {{order_id}}, so give "order_id" a value',
      'Postman "digest" auth on 1 request ("Request 2") was replaced by the runner\'s Certn credential (auth: "certn"); its settings and credentials were not copied',
      "collection: entry 3 is not an item and was skipped",
      '"Nothing" has neither a request nor items and was skipped',
    ]);
  });

  it("replaces an item the format refuses (a body nested too deeply) by a skipped placeholder, saying why", () => {
    const deep = `${"[".repeat(150)}${"]".repeat(150)}`;
    const { collection, warnings } = imported({
      info: { name: "deep" },
      item: [
        { name: "ok", request: { method: "GET", url: "/a" } },
        { name: "deep", request: { method: "POST", url: "/b", body: { mode: "raw", raw: deep } } },
      ],
    });
    expect(collection.items).toEqual([
      { name: "ok", request: { method: "GET", url: "/a" } },
      { name: "Placeholder (nothing imported)", request: { method: "GET", url: "/" }, skip: true },
    ]);
    expect(warnings).toContain(
      "an imported item was replaced by a skipped placeholder because /items/1/request/json: json must be JSON data: it nests deeper than 100 levels",
    );
  });

  it("replaces every refused item, however many, and keeps the rest", () => {
    const deep = `${"[".repeat(150)}${"]".repeat(150)}`;
    const ok = (index: number) => ({ name: `ok ${index}`, request: { method: "GET", url: `/ok/${index}` } });
    const refused = (index: number) => ({
      name: `deep ${index}`,
      request: { method: "POST", url: "/b", body: { mode: "raw", raw: deep } },
    });
    const item = [
      ...Array.from({ length: 120 }, (_, index) => (index % 2 === 0 ? ok(index) : refused(index))),
      { name: "Folder", item: [refused(120), ok(121)] },
    ];
    const { collection, warnings, ...result } = imported({ info: { name: "many" }, item });
    const placeholder = {
      name: "Placeholder (nothing imported)",
      request: { method: "GET", url: "/" },
      skip: true,
    };
    expect(result.imported).toBe(true);
    expect(collection.items).toEqual([
      ...Array.from({ length: 120 }, (_, index) =>
        index % 2 === 0
          ? { name: `ok ${index}`, request: { method: "GET", url: `/ok/${index}` } }
          : placeholder,
      ),
      {
        name: "Folder",
        items: [placeholder, { name: "ok 121", request: { method: "GET", url: "/ok/121" } }],
      },
    ]);
    const replaced = warnings.filter((text) => text.startsWith("an imported item was replaced"));
    expect(replaced).toHaveLength(61);
    expect(replaced.at(-1)).toBe(
      "an imported item was replaced by a skipped placeholder because /items/120/items/0/request/json: json must be JSON data: it nests deeper than 100 levels",
    );
    expect(warnings.join("\n")).not.toContain("could not be made valid");
  });

  it.each(["prototype", "constructor", "__proto__"])(
    "imports a %s header as an ordinary header, in another letter case, saying so",
    (name) => {
      const { collection, warnings } = imported({
        info: {
          name: "reserved",
          schema: "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        item: [
          {
            name: "a",
            request: {
              method: "GET",
              url: "/a",
              header: [
                { key: name, value: "v" },
                { key: "X-B", value: "w" },
              ],
            },
          },
        ],
      });
      const respelled = name.replace(/[a-z]/, (letter) => letter.toUpperCase());
      expect(collection.items).toEqual([
        { name: "a", request: { method: "GET", url: "/a", headers: { [respelled]: "v", "X-B": "w" } } },
      ]);
      expect(warnings).toEqual([
        `"a": the header "${name}" is written "${respelled}" (header names ignore letter case, and the collection format reserves "${name}" as a key)`,
      ]);
    },
  );

  it("accepts JSON text as well as parsed values", () => {
    expect(importPostman(JSON.stringify(wrapped))).toEqual(importPostman(wrapped));
  });

  it.each([
    ["not JSON", "{nope", "the file is not valid JSON: invalid JSON at line 1, column 2 (position 1)"],
    ["not an object", 42, "this is not a Postman collection (not a JSON object)"],
    [
      "a v1 collection",
      { name: "old", requests: [], order: [] },
      "this is a Postman v1 collection, which is not supported",
    ],
  ])(
    "turns %s into a valid placeholder collection, saying that nothing was imported",
    (_what, input, warning) => {
      const { collection, warnings, ...result } = imported(input);
      expect(collection.items).toEqual([
        { name: "Placeholder (nothing imported)", request: { method: "GET", url: "/" }, skip: true },
      ]);
      expect(warnings.some((text) => text.startsWith(warning))).toBe(true);
      expect(result.imported).toBe(false);
    },
  );

  it("imports an empty collection as one skipped placeholder, with a warning", () => {
    const { collection, warnings, ...result } = imported({
      info: { name: "e", schema: "https://schema.getpostman.com/json/collection/v2.1.0/collection.json" },
      item: [],
    });
    expect(collection.items).toEqual([
      { name: "Placeholder (nothing imported)", request: { method: "GET", url: "/" }, skip: true },
    ]);
    expect(warnings).toEqual(["the collection has no requests; it holds one skipped placeholder request"]);
    expect(result.imported).toBe(true);
  });
});

describe("importPostmanEnvironment", () => {
  it("imports enabled values, keeps credentials out and warns", () => {
    expect(importPostmanEnvironment(environment)).toEqual({
      variables: { baseUrl: "http://localhost:8788", count: 3, stamp: "{{$isoTimestamp}}" },
      warnings: [
        'environment: variable "password" looks like a credential, so its value was not copied: supply it as a run secret',
        'environment: variable "{{bad}}" was dropped: a variable name cannot hold { or }',
      ],
    });
    expect(JSON.stringify(importPostmanEnvironment(JSON.stringify(environment)))).not.toContain("hunter2");
  });

  it("warns instead of failing on something else", () => {
    expect(importPostmanEnvironment({ item: [] })).toEqual({
      variables: {},
      warnings: ['this is not a Postman environment (it has no "values" list); no variables were imported'],
    });
    expect(importPostmanEnvironment("{").warnings[0]).toMatch(
      /^the environment is not valid JSON: invalid JSON at line 1/,
    );
  });
});
