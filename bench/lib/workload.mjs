// The one workload every contender runs: an authenticated GET of the teams list with three
// assertions (status 200, a positive count, a string name) and one capture (the first team's id),
// written once in each tool's own language.

/** Path of the request every contender sends. */
export const PATH = "/api/v1/teams/";

/** The workload as a certn-edge collection; `iterations` repeats it. */
export const COLLECTION = {
  formatVersion: 1,
  name: "bench: list teams",
  items: [
    {
      name: "list teams",
      request: { method: "GET", url: PATH },
      capture: { teamId: "$.results[0].id" },
      assert: [
        { that: "status", equals: 200 },
        { that: "$.count", greaterThan: 0 },
        { that: "$.results[0].name", type: "string" },
      ],
    },
  ],
};

/**
 * The same three checks and capture, by hand: what the plain `fetch` baselines do with each
 * response. Returns the number of checks that passed and the captured id.
 */
export function checkByHand(status, body) {
  let passed = 0;
  if (status === 200) passed++;
  if (typeof body?.count === "number" && body.count > 0) passed++;
  if (typeof body?.results?.[0]?.name === "string") passed++;
  return { passed, teamId: body?.results?.[0]?.id };
}

/** Fetches an access token from the simulator's token endpoint (client credentials). */
export async function fetchToken(baseUrl, { clientId, clientSecret }) {
  const response = await fetch(`${baseUrl}/token/`, {
    method: "POST",
    headers: {
      authorization: `Basic ${btoa(`${clientId}:${clientSecret}`)}`,
      "content-type": "application/x-www-form-urlencoded",
      accept: "application/json",
    },
    body: "grant_type=client_credentials",
  });
  if (!response.ok) throw new Error(`token request failed: HTTP ${response.status}`);
  return (await response.json()).access_token;
}

/**
 * The workload as a Postman v2.1 collection for Newman: `{{baseUrl}}` and a bearer `{{accessToken}}`
 * come from --env-var (the harness fetches the token beforehand, so Newman does less than
 * certn-edge, which also fetches its own); the checks are `pm.test`s; the capture sets a
 * collection variable. Newman's `-n` repeats it.
 */
export const POSTMAN_COLLECTION = {
  info: {
    name: "bench: list teams",
    schema: "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
  },
  auth: { type: "bearer", bearer: [{ key: "token", value: "{{accessToken}}", type: "string" }] },
  item: [
    {
      name: "list teams",
      request: { method: "GET", header: [], url: `{{baseUrl}}${PATH}` },
      event: [
        {
          listen: "test",
          script: {
            type: "text/javascript",
            exec: [
              'pm.test("status is 200", function () { pm.response.to.have.status(200); });',
              "const body = pm.response.json();",
              'pm.test("count is positive", function () { pm.expect(body.count).to.be.above(0); });',
              'pm.test("name is a string", function () { pm.expect(body.results[0].name).to.be.a("string"); });',
              'pm.collectionVariables.set("teamId", body.results[0].id);',
            ],
          },
        },
      ],
    },
  ],
};

/**
 * The workload as a Step CI workflow: one test of `count` sequential steps (Step CI has no
 * iteration count; tests run in parallel, steps in order), the token given as a bearer header.
 */
export function stepCiWorkflow(baseUrl, token, count) {
  const step = {
    name: "list teams",
    http: {
      url: `${baseUrl}${PATH}`,
      method: "GET",
      auth: { bearer: { token } },
      captures: { teamId: { jsonpath: "$.results[0].id" } },
      check: {
        status: 200,
        jsonpath: { "$.count": [{ gt: 0 }], "$.results[0].name": [{ isString: true }] },
      },
    },
  };
  return {
    version: "1.1",
    name: "bench: list teams",
    config: { concurrency: 1 },
    tests: { teams: { steps: Array.from({ length: count }, () => step) } },
  };
}
