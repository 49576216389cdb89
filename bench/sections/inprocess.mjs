// 1. Runner overhead, in-process: `runCollection` against a plain `fetch` loop doing the same
// requests, JSON parsing and checks by hand, in one host process, rounds interleaved (each
// contender goes first in turn), at concurrency 1 and 6. Between the two, the layers the runner
// is built on: the loop with only the attempt's deadline added (`deadline`: the floor of any
// transport that cannot hang on a stalled server) and a loop over `client.send` (`client`).
// Also 5a: token requests per run at concurrency 6.
import { median, pairedRatio, perSecond, rotate, round } from "../lib/stats.mjs";

/** The contenders, from the bare loop up to the runner. */
const LADDER = ["plain", "deadline", "client", "runner"];

/** @param {import("../run.mjs").Context} ctx */
export async function inprocess(ctx) {
  const { sim, host, requests, rounds, log } = ctx;
  const figures = {};
  const tokenRequestsC6 = [];
  for (const concurrency of [1, 6]) {
    const times = Object.fromEntries(LADDER.map((name) => [name, []]));
    const cpu = Object.fromEntries(LADDER.map((name) => [name, []]));
    const params = { baseUrl: sim.url, credentials: sim.credentials, iterations: requests, concurrency };
    // Two warm-ups each, not counted: the first runs in a process pay for JIT and module loading.
    for (const contender of [...LADDER, ...LADDER]) await host.run({ contender, ...params });
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
        id: "5",
        name: `token requests per ${requests}-request run at concurrency 6 (in-process)`,
        measured: `${Math.max(...tokenRequestsC6)} (each of ${tokenRequestsC6.length} runs: ${tokenRequestsC6.join(", ")})`,
        goal: "1",
        met: tokenRequestsC6.every((n) => n === 1),
      },
    ],
  };
}
