import { describe, expect, it } from "vitest";
import { listStatements, translateTestScript } from "../../../src/collection/postman/script.ts";
import { redactCredentials } from "../../../src/collection/postman/warnings.ts";

describe("translateTestScript", () => {
  it("splits statements on ; and line breaks, but not inside strings, brackets or continued expressions", () => {
    const result = translateTestScript(
      [
        'pm.expect(pm.response.json().a).to.eql("x;y // not a comment"); console.log(1)',
        "pm.expect(pm.response.json().b)",
        "  .to.eql([1,",
        "    2]) // trailing comment",
        "/* block",
        "   comment */ pm.expect(pm.response.json().c).to.match(/a\\/b;c/)",
      ].join("\n"),
    );
    expect(result).toEqual({
      assertions: [
        { that: "$.a", equals: "x;y // not a comment" },
        { that: "$.b", equals: [1, 2] },
        { that: "$.c", matches: "a\\/b;c" },
      ],
      captures: [],
      untranslated: ["console.log(1)"],
    });
  });

  it("reports a binding that no translated statement reads, and the statement that read it", () => {
    const result = translateTestScript(
      [
        "var unused = pm.response.json();",
        "var data = JSON.parse(responseBody);",
        "var items = data.items || [];",
        "pm.expect(items[0].id).to.be.ok;",
        "const used = pm.response.json(); pm.environment.set('id', used.id);",
      ].join("\n"),
    );
    expect(result.captures).toEqual([["id", "$.id"]]);
    expect(result.untranslated).toEqual([
      "pm.expect(items[0].id).to.be.ok",
      "var unused = pm.response.json()",
      "var data = JSON.parse(responseBody)",
      "var items = data.items || []",
    ]);
  });

  it("keeps bindings made inside a pm.test for later statements, naming assertions after their test", () => {
    const result = translateTestScript(
      [
        'pm.test("Login", function () {',
        "  pm.response.to.have.status(200);",
        "  var jsonData = JSON.parse(responseBody);",
        '  pm.collectionVariables.set("token", jsonData.token);',
        '  var token = pm.collectionVariables.get("token");',
        '  pm.test("Token is set", function () {',
        "    pm.expect(jsonData.token).to.eql(token);",
        "  });",
        "});",
      ].join("\n"),
    );
    expect(result).toEqual({
      assertions: [
        { that: "status", equals: 200, name: "Login" },
        { that: "$.token", equals: "{{token}}", name: "Token is set" },
      ],
      captures: [["token", "$.token"]],
      untranslated: [],
    });
  });

  it("never translates statements inside control flow or callbacks", () => {
    const result = translateTestScript(
      [
        "if (pm.response.code === 200) { pm.expect(pm.response.json().a).to.eql(1); }",
        "setTimeout(function () { pm.environment.set('x', pm.response.json().x); }, 10);",
      ].join("\n"),
    );
    expect(result.assertions).toEqual([]);
    expect(result.captures).toEqual([]);
    expect(result.untranslated).toHaveLength(2);
  });

  it("quotes a long compound statement piece by piece, so every line can be found", () => {
    const filler = "x".repeat(120);
    const script = [
      "pm.sendRequest(url, function (err, response) {",
      `  const ${filler}1 = response.json();`,
      `  pm.test("inner", function () { pm.expect(${filler}1.a).to.eql(1); });`,
      "}, 1000);",
    ].join("\n");
    const result = translateTestScript(script);
    expect(result.assertions).toEqual([]);
    expect(result.untranslated).toEqual([
      "pm.sendRequest(url, function (err, response) {",
      `const ${filler}1 = response.json()`,
      `pm.test("inner", function () { pm.expect(${filler}1.a).to.eql(1); })`,
      ", 1000)",
    ]);
  });

  it.each([
    ["pm.expect(pm.response.json().a).to.be.ok", "truthiness has no exact equivalent"],
    ["pm.expect(pm.response.json().a).to.not.be.a('string')", "negated type check"],
    ["pm.expect(pm.response.json().list.length).to.be.above(2)", "length comparison"],
    ["pm.expect(x).to.eql(1)", "unknown subject"],
    ["pm.expect(pm.response.json().a).to.eql(someFunction())", "computed expected value"],
    ["pm.response.to.have.status('OK')", "status text"],
    ["tests['t'] = pm.response.json().a && pm.response.json().b", "compound condition"],
    ["pm.environment.set('k', 'literal')", "constant value"],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the script text itself holds a template literal
    ["pm.expect(pm.response.json().a).to.eql(`x${y}`)", "template literal with substitutions"],
  ])("leaves %s untranslated (%s)", (statement) => {
    expect(translateTestScript(statement)).toEqual({
      assertions: [],
      captures: [],
      untranslated: [statement],
    });
  });

  it("translates chai forms to the closest operator", () => {
    const cases: [string, unknown][] = [
      ["pm.expect(pm.response.json().a).to.not.eql(1)", { that: "$.a", notEquals: 1 }],
      ["pm.expect(pm.response.json().a).to.not.include('x')", { that: "$.a", notContains: "x" }],
      ["pm.expect(pm.response.json().a).to.be.at.least(1)", { that: "$.a", greaterThanOrEqual: 1 }],
      ["pm.expect(pm.response.json().a).to.be.at.most(-1.5)", { that: "$.a", lessThanOrEqual: -1.5 }],
      ["pm.expect(pm.response.json().a).to.have.lengthOf(2)", { that: "$.a", length: 2 }],
      ["pm.expect(pm.response.json().a).to.be.null", { that: "$.a", equals: null }],
      ["pm.expect(pm.response.json().a).to.be.true", { that: "$.a", equals: true }],
      ["pm.expect(pm.response.json().a).to.not.exist", { that: "$.a", exists: false }],
      ["pm.expect(pm.response.json().a).to.eql(undefined)", { that: "$.a", exists: false }],
      [
        "pm.expect(pm.response.json().a).to.deep.equal({ b: [1, 'two'], 'c d': null })",
        { that: "$.a", equals: { b: [1, "two"], "c d": null } },
      ],
      ["pm.expect(pm.response.json()).to.have.property('k', 'v')", { that: "$.k", equals: "v" }],
      ["pm.expect(pm.response.json()).to.not.have.property('k')", { that: "$.k", exists: false }],
      ["pm.expect(pm.response.json()['a.b'][2]).to.be.an('array')", { that: "$['a.b'][2]", type: "array" }],
      ["pm.expect(responseCode.code).to.equal(204)", { that: "status", equals: 204 }],
      ["pm.expect(postman.getResponseHeader('ETag')).to.exist", { that: "header ETag", exists: true }],
      ["pm.response.to.have.header('X-Id', 'abc')", { that: "header X-Id", equals: "abc" }],
      ["pm.response.to.be.notFound", { that: "status", equals: 404 }],
      ["pm.response.to.be.serverError", { that: "status", equals: "5xx" }],
      ["tests['fast'] = responseTime < 200", { that: "duration", lessThan: 200, name: "fast" }],
      ["tests['s'] = 201 === responseCode.code", { that: "status", equals: 201, name: "s" }],
      ["tests['n'] = pm.response.json().items.length === 3", { that: "$.items", length: 3, name: "n" }],
      [
        "tests['h'] = responseHeaders['Content-Type'] === 'application/json'",
        { that: "header Content-Type", equals: "application/json", name: "h" },
      ],
      [
        "tests['v'] = pm.response.json().id === pm.variables.get('id')",
        { that: "$.id", equals: "{{id}}", name: "v" },
      ],
      [
        "tests['e'] = pm.response.json().x === environment.expected",
        { that: "$.x", equals: "{{expected}}", name: "e" },
      ],
    ];
    for (const [statement, assertion] of cases) {
      expect(translateTestScript(statement), statement).toEqual({
        assertions: [assertion],
        captures: [],
        untranslated: [],
      });
    }
  });

  it("chains several chai checks of one pm.expect into several assertions", () => {
    expect(
      translateTestScript(
        "pm.expect(pm.response.json().user).to.be.an('object').that.has.property('id').that.is.a('number')",
      ).assertions,
    ).toEqual([
      { that: "$.user", type: "object" },
      { that: "$.user.id", type: "number" },
    ]);
  });

  it("captures from headers and the status too", () => {
    expect(
      translateTestScript(
        "pm.variables.set('loc', pm.response.headers.get('Location')); pm.globals.set('code', pm.response.code)",
      ).captures,
    ).toEqual([
      ["loc", "header Location"],
      ["code", "status"],
    ]);
  });
});

describe("listStatements (pre-request scripts)", () => {
  it("lists every statement, without comments, whitespace collapsed", () => {
    expect(listStatements("// setup\nvar a = 1; pm.environment.set('a',\n  a)\n/* done */")).toEqual([
      "var a = 1",
      "pm.environment.set('a', a)",
    ]);
  });
});

describe("redactCredentials", () => {
  it("hides tokens and keys but keeps ordinary text", () => {
    expect(redactCredentials("pm.request.headers.add('Authorization', 'Bearer abcdef123456789xyz')")).toBe(
      "pm.request.headers.add('Authorization', 'Bearer [redacted]')",
    );
    expect(redactCredentials("var t = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_nature-x'")).toBe(
      "var t = '[redacted]'",
    );
    expect(redactCredentials("key = 'AKIAabcdEFGH1234ijklMNOP5678qrstUVWX'")).toBe("key = '[redacted]'");
    expect(
      redactCredentials(
        "Bearer {{token}} and /api/v1/hr/applications/quick/ and PAYEEFSP_SDK_TESTAPI_URL_LONG_NAME",
      ),
    ).toBe("Bearer {{token}} and /api/v1/hr/applications/quick/ and PAYEEFSP_SDK_TESTAPI_URL_LONG_NAME");
  });
});
