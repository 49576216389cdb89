/**
 * A JSON body nested past the depth the runner reads is withheld, not shown as text: its personal
 * fields, masked by key in a JSON body, would otherwise show in clear in reports, captures and
 * assertion values. `$` selectors and `body` fail saying why; status and headers still work.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCollection, toJUnit } from "../../../src/runner/index.ts";
import { collectionOf } from "../../shared/runner/helpers.ts";
import { type LocalApi, startLocalApi } from "./local-api.ts";

let api: LocalApi;
let deep: Record<string, unknown> = {};
for (let level = 0; level < 105; level++) deep = { n: deep };
const applicant = { first_name: "Zelda", last_name: "Quixote", date_of_birth: "1987-03-14" };

beforeAll(async () => {
  api = await startLocalApi({ "/deep": () => ({ body: { applicant, deep } }) });
});

afterAll(() => api.close());

describe("a JSON body nested past 100 levels", () => {
  it("is shown nowhere: reports say it is withheld, body and $ selectors fail, status passes", async () => {
    const result = await runCollection(
      collectionOf([
        {
          name: "deep",
          auth: "none",
          request: { method: "GET", url: "/deep" },
          capture: { all: "body" },
          assert: [
            { that: "status", equals: 200 },
            { that: "body", contains: "first_name" },
            { that: "$.applicant.first_name", equals: "x" },
          ],
        },
      ]),
      { client: api.client(), includeBodies: true },
    );
    const [item] = result.items;
    expect(item?.response?.body).toBe(
      "[body not shown: the JSON body nests deeper than 100 levels, the most the runner reads]",
    );
    expect(item?.assertions.map((assertion) => assertion.passed)).toEqual([true, false, false]);
    expect(item?.assertions[1]?.message).toContain(
      "cannot read body: the JSON body nests deeper than 100 levels",
    );
    expect(item?.error?.message).toContain('capture "all"');
    const everything = JSON.stringify(result) + toJUnit(result);
    for (const value of ["Zelda", "Quixote", "1987-03-14"]) expect(everything).not.toContain(value);
  });
});
