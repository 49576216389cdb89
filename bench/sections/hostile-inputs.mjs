// 9. Hostile inputs (issue 12): what the worst pattern and the worst JSONPath cost through the
// public API (`parseCollection` + `runCollection` over a local fetch returning the hostile body),
// beside what the old approach costs. The old figures are measured at a small, safe size only and
// extrapolated: a backtracking RegExp doubles its time with each character of `^(a+)+$`'s input,
// and unbounded nested descendants over an n-level chain visit about n³/6 nodes.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { distDir } from "../lib/build.mjs";
import { median, round } from "../lib/stats.mjs";

const load = (file) => import(pathToFileURL(join(distDir(), file)).href);

const WORST_PATTERN = "^(a+)+$";
/** The JSONPath work budget (`MAX_JSONPATH_VISITS`, exported by the runner entry). */
let MAX_JSONPATH_VISITS = 2_000_000;
const WORST_PATH = "$..[?@..[?@..a]]";
/** Slower than this and a single assertion would hold a Worker's CPU noticeably. */
const GOAL_MS = 1000;

function chain(depth) {
  let value = 1;
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
}

/** A document under the depth limit (90 levels, 12 children each) where `WORST_PATH` hits the budget. */
function deepAndWide() {
  let value = { a: 1 };
  for (let level = 0; level < 90; level++) {
    value = { a: value, b: Array.from({ length: 12 }, (_, index) => ({ a: index })) };
  }
  return value;
}

/** Milliseconds of one call, median of `rounds`. */
async function time(rounds, run) {
  const times = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** @param {import("../run.mjs").Context} ctx */
export async function hostileInputs(ctx) {
  const { rounds, log } = ctx;
  const { createCertnClient } = await load("index.js");
  const runner = await load("runner/index.js");
  const { parseCollection, runCollection } = runner;
  MAX_JSONPATH_VISITS = runner.MAX_JSONPATH_VISITS ?? MAX_JSONPATH_VISITS;

  /** Runs one assertion against `body` and returns the item's outcome. */
  async function runOne(body, assertion) {
    const parsed = parseCollection({
      formatVersion: 1,
      name: "hostile",
      items: [{ name: "hostile", request: { method: "GET", url: "/api/v1/users/" }, assert: [assertion] }],
    });
    if (!parsed.ok) throw new Error(`hostile collection refused: ${JSON.stringify(parsed.issues)}`);
    const text = JSON.stringify(body);
    const client = createCertnClient({
      apiKey: "bench-key",
      fetch: async () => new Response(text, { headers: { "content-type": "application/json" } }),
    });
    const result = await runCollection(parsed.collection, { client });
    const item = result.items[0];
    const failed = item.assertions.find((outcome) => !outcome.passed);
    return `${item.status}${item.error ? ` ${item.error.code}` : ""}${failed?.message ? `: ${failed.message.slice(0, 60)}` : ""}`;
  }

  const text40 = `${"a".repeat(40)}!`;
  const text64k = `${"a".repeat(64 * 1024 - 1)}!`;
  const figures = { rounds };
  const outcome = {};
  const measure = async (key, body, assertion) => {
    await runOne(body, assertion); // warm-up
    figures[key] = round(await time(rounds, async () => (outcome[key] = await runOne(body, assertion))), 1);
    log(`  ${key}: ${figures[key]} ms (${outcome[key]})`);
  };
  await measure("matches40", { t: text40 }, { that: "$.t", matches: WORST_PATTERN });
  await measure("matches64k", { t: text64k }, { that: "$.t", matches: WORST_PATTERN });
  await measure(
    "schemaPattern40",
    { t: text40 },
    { that: "$.t", schema: { type: "string", pattern: WORST_PATTERN } },
  );
  await measure("jsonPath1500Deep", chain(1500), { that: WORST_PATH, exists: true });
  await measure("jsonPathBudget", deepAndWide(), { that: WORST_PATH, exists: true });
  await measure("jsonPath60Deep", chain(60), { that: WORST_PATH, exists: true });
  await measure("jsonPath90Deep", chain(90), { that: WORST_PATH, exists: true });

  // The old approach at safe sizes: a backtracking RegExp (`u`, as the schema validator compiled it).
  const native = new RegExp(WORST_PATTERN, "u");
  const nativeMs = {};
  native.test(`${"a".repeat(16)}!`); // warm-up: the first call compiles the expression
  for (const length of [16, 18, 20]) {
    const input = `${"a".repeat(length)}!`;
    nativeMs[length] = round(await time(rounds, () => native.test(input)), 2);
  }
  figures.nativeRegExpMs = nativeMs;
  // Doubling per character from the 20-character figure.
  const native40Ms = nativeMs[20] * 2 ** 20;
  figures.nativeRegExp40Extrapolated = `${round(native40Ms / 3_600_000, 1)} h`;
  // Nested descendants over an n-level chain visit about n³/6 nodes: without a budget, 1,500 levels
  // is that many visits at the rate measured when the budget (MAX_JSONPATH_VISITS) ran out.
  const visits1500 = 1500 ** 3 / 6;
  const path1500Ms = (visits1500 / MAX_JSONPATH_VISITS) * figures.jsonPathBudget;
  figures.unboundedPath1500Extrapolated = `${round(path1500Ms / 1000, 1)} s`;
  log(
    `  native RegExp ${WORST_PATTERN}: ${nativeMs[16]} / ${nativeMs[18]} / ${nativeMs[20]} ms at 16 / 18 / 20 characters; 40 characters would take about ${figures.nativeRegExp40Extrapolated}`,
  );

  return {
    figures,
    targets: [
      {
        id: "9",
        name: `\`matches\` ${WORST_PATTERN} on 40 a's + "!" (runCollection, one item)`,
        measured: `${figures.matches40} ms (64 KB: ${figures.matches64k} ms); native RegExp: ${nativeMs[20]} ms at 20 characters, about ${figures.nativeRegExp40Extrapolated} at 40`,
        goal: `≤ ${GOAL_MS} ms`,
        met: Math.max(figures.matches40, figures.matches64k) <= GOAL_MS,
      },
      {
        id: "9",
        name: `JSON Schema \`pattern\` ${WORST_PATTERN} on 40 a's + "!" (runCollection, one item)`,
        measured: `${figures.schemaPattern40} ms; the validator's native RegExp: as above`,
        goal: `≤ ${GOAL_MS} ms`,
        met: figures.schemaPattern40 <= GOAL_MS,
      },
      {
        id: "9",
        name: `JSONPath ${WORST_PATH} (runCollection, one item)`,
        measured:
          `1,500-deep body: ${figures.jsonPath1500Deep} ms (${outcome.jsonPath1500Deep}); ` +
          `at the work budget (90 levels × 12): ${figures.jsonPathBudget} ms; ` +
          `chains under the budget: ${figures.jsonPath60Deep} / ${figures.jsonPath90Deep} ms at 60 / 90 levels; unbounded at 1,500 levels (n³/6 visits at the same rate): about ${figures.unboundedPath1500Extrapolated}`,
        goal: `≤ ${GOAL_MS} ms`,
        met: Math.max(figures.jsonPath1500Deep, figures.jsonPathBudget) <= GOAL_MS,
      },
    ],
  };
}
