// 1. Runner overhead, in-process: `runCollection` against a plain `fetch` loop doing the same
// requests, JSON parsing and checks by hand, each in its own host process, rounds interleaved
// (each contender goes first in turn), at concurrency 1 and 6, after warm-up rounds until steady.
// Between the two, the layers the runner is built on: the loop with only the attempt's deadline
// added (`deadline`: the floor of any transport that cannot hang on a stalled server) and a loop
// over `client.send` (`client`).
// Also 5a: token requests per run at concurrency 6.
import { startHost } from "../lib/host.mjs";
import { median, pairedRatio, perSecond, rotate, round } from "../lib/stats.mjs";

/** The contenders, from the bare loop up to the runner. */
const LADDER = ["plain", "deadline", "client", "runner"];

/** @param {import("../run.mjs").Context} ctx */
export async function inprocess(ctx) {
  // One host process per contender, so no contender's calls shape how the JIT compiles the code
  // another one runs (undici's is shared by all), and none collects another's garbage.
  const hosts = Object.fromEntries(await Promise.all(LADDER.map(async (name) => [name, await startHost()])));
  const host = { run: (params) => hosts[params.contender].run(params) };
  try {
    return await measure(ctx, host);
  } finally {
    await Promise.all(Object.values(hosts).map((each) => each.close()));
  }
}

/** The rounds, through `host`, which runs each contender in its own process. */
async function measure({ sim, requests, rounds, log }, host) {
  const figures = {};
  const tokenRequestsC6 = [];
  for (const concurrency of [1, 6]) {
    const times = Object.fromEntries(LADDER.map((name) => [name, []]));
    const cpu = Object.fromEntries(LADDER.map((name) => [name, []]));
    const params = { baseUrl: sim.url, credentials: sim.credentials, iterations: requests, concurrency };
    // Warm-up rounds, not counted, until every contender is steady (see `warmUp`).
    figures[`warmUpC${concurrency}`] = await warmUp(host, params);
    for (let r = 0; r < rounds; r++) {
      for (const contender of rotate(LADDER, r)) {
        const before = await sim.stats();
        const outcome = await host.run({ contender, ...params });
        const after = await sim.stats();
        if (outcome.passed !== requests)
          throw new Error(`${contender}: ${outcome.passed}/${requests} passed`);
        times[contender].push(outcome.ms);
        cpu[contender].push(outcome.cpuMs);
        if (contender === "runner" && concurrency === 6) {
          tokenRequestsC6.push(after.tokenRequests - before.tokenRequests);
        }
      }
      log(
        `  c=${concurrency} round ${r + 1}: ${LADDER.map((name) => `${name} ${Math.round(times[name].at(-1))} ms`).join(", ")}`,
      );
    }
    const layers = Object.fromEntries(
      LADDER.map((name) => [
        name,
        {
          ms: times[name].map(Math.round),
          ratio: round(pairedRatio(times[name], times.plain), 3),
          cpuRatio: round(pairedRatio(cpu[name], cpu.plain), 3),
          cpuUsPerRequest: round((median(cpu[name]) * 1000) / requests, 0),
        },
      ]),
    );
    figures[`c${concurrency}`] = {
      runnerMs: layers.runner.ms,
      plainMs: layers.plain.ms,
      runnerRps: round(perSecond(requests, median(times.runner)), 0),
      plainRps: round(perSecond(requests, median(times.plain)), 0),
      ratio: layers.runner.ratio,
      layers,
    };
  }
  const stats = await sim.stats();
  figures.connectionsSoFar = stats.connections;
  figures.tokenRequestsPerRunC6 = tokenRequestsC6;
  const c1 = figures.c1;
  const c6 = figures.c6;
  /** Each contender's warm-up at one concurrency: first run and best run, in ms. */
  const warmUpText = ({ rounds, steady, first, best }) =>
    `${rounds} rounds${steady ? "" : " (not steady by then)"}; ${LADDER.map((name) => `${name} ${Math.round(first[name])} → ${Math.round(best[name])} ms`).join(", ")}`;
  /** One concurrency's ladder in words: each layer's time ratio to the loop, and its CPU per request. */
  const ladder = (figures) =>
    LADDER.map(
      (name) =>
        `${name} ${figures.layers[name].ratio.toFixed(2)} (${figures.layers[name].cpuUsPerRequest} µs CPU)`,
    ).join(", ");
  return {
    figures,
    targets: [
      {
        id: "1",
        name: "runner / plain fetch loop, in-process, time ratio (concurrency 1)",
        measured: `${c1.ratio.toFixed(3)} (runner ${c1.runnerRps} req/s, plain ${c1.plainRps} req/s)`,
        goal: "≤ 1.10",
        met: c1.ratio <= 1.1,
      },
      {
        id: "1",
        name: "runner / plain fetch loop, in-process, time ratio (concurrency 6)",
        measured: `${c6.ratio.toFixed(3)} (runner ${c6.runnerRps} req/s, plain ${c6.plainRps} req/s)`,
        goal: "≤ 1.10",
        met: c6.ratio <= 1.1,
      },
      {
        id: "1",
        name: "where the runner's time goes: each layer / plain loop, time ratio (CPU per request)",
        measured: `c=1: ${ladder(c1)}; c=6: ${ladder(c6)}`,
        goal: "report",
        met: undefined,
      },
      {
        id: "1",
        name: "warm-up before the rounds above, until steady: rounds, each contender's first and best run",
        measured: `c=1 (the process's first runs, in the order listed): ${warmUpText(figures.warmUpC1)}; c=6: ${warmUpText(figures.warmUpC6)}`,
        goal: "report",
        met: undefined,
      },
      {
        id: "5",
        name: `token requests per ${requests}-request run at concurrency 6 (in-process)`,
        measured: `${Math.max(...tokenRequestsC6)} (each of ${tokenRequestsC6.length} runs: ${tokenRequestsC6.join(", ")})`,
        goal: "1",
        met: tokenRequestsC6.every((n) => n === 1),
      },
    ],
  };
}

/** Fewest and most warm-up rounds; a run within this fraction of its contender's best counts as steady. */
const WARM_UP = { min: 3, max: 12, tolerance: 0.1 };

/**
 * Runs the ladder in rotating rounds, not counted, until each contender's last two runs are within
 * `WARM_UP.tolerance` of its best warm-up run (`WARM_UP.min` to `WARM_UP.max` rounds). Measured here: the runner, with more
 * code to compile, keeps getting faster for 5 to 8 runs of 1,000 requests, the plain loop for 3 to 5,
 * so a fixed two warm-ups measured the runner's JIT warm-up, not its steady overhead. The warm-up
 * is reported beside the rounds, and the cold cost is in the whole-process figure.
 * @returns the rounds run, whether every contender was steady by then, and each contender's
 * first and best run (ms)
 */
async function warmUp(host, params) {
  const runs = Object.fromEntries(LADDER.map((name) => [name, []]));
  let rounds = 0;
  const steady = () =>
    LADDER.every((name) => {
      const best = Math.min(...runs[name]);
      return runs[name].slice(-2).every((ms) => ms <= best * (1 + WARM_UP.tolerance));
    });
  while (rounds < WARM_UP.max && (rounds < WARM_UP.min || !steady())) {
    for (const contender of rotate(LADDER, rounds)) {
      const outcome = await host.run({ contender, ...params });
      runs[contender].push(outcome.ms);
    }
    rounds += 1;
  }
  const each = (pick) => Object.fromEntries(LADDER.map((name) => [name, pick(runs[name])]));
  return { rounds, steady: steady(), first: each((ms) => ms[0]), best: each((ms) => Math.min(...ms)) };
}
