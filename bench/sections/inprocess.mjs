// 1. Runner overhead, in-process: `runCollection` against a plain `fetch` loop doing the same
// requests, JSON parsing and checks by hand, in one host process, rounds interleaved (the order
// alternates), at concurrency 1 and 6. Also 5a: token requests per run at concurrency 6.
import { median, pairedRatio, perSecond, round } from "../lib/stats.mjs";

/** @param {import("../run.mjs").Context} ctx */
export async function inprocess(ctx) {
  const { sim, host, requests, rounds, log } = ctx;
  const figures = {};
  const tokenRequestsC6 = [];
  for (const concurrency of [1, 6]) {
    const times = { runner: [], plain: [] };
    const params = { baseUrl: sim.url, credentials: sim.credentials, iterations: requests, concurrency };
    // Two warm-ups each, not counted: the first runs in a process pay for JIT and module loading.
    for (const contender of ["plain", "runner", "plain", "runner"]) await host.run({ contender, ...params });
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? ["runner", "plain"] : ["plain", "runner"];
      for (const contender of order) {
        const before = await sim.stats();
        const outcome = await host.run({ contender, ...params });
        const after = await sim.stats();
        if (outcome.passed !== requests)
          throw new Error(`${contender}: ${outcome.passed}/${requests} passed`);
        times[contender].push(outcome.ms);
        if (contender === "runner" && concurrency === 6) {
          tokenRequestsC6.push(after.tokenRequests - before.tokenRequests);
        }
      }
      log(
        `  c=${concurrency} round ${r + 1}: runner ${Math.round(times.runner.at(-1))} ms, plain ${Math.round(times.plain.at(-1))} ms`,
      );
    }
    const ratio = pairedRatio(times.runner, times.plain);
    figures[`c${concurrency}`] = {
      runnerMs: times.runner.map(Math.round),
      plainMs: times.plain.map(Math.round),
      runnerRps: round(perSecond(requests, median(times.runner)), 0),
      plainRps: round(perSecond(requests, median(times.plain)), 0),
      ratio: round(ratio, 3),
    };
  }
  const stats = await sim.stats();
  figures.connectionsSoFar = stats.connections;
  figures.tokenRequestsPerRunC6 = tokenRequestsC6;
  const c1 = figures.c1;
  const c6 = figures.c6;
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
        id: "5",
        name: `token requests per ${requests}-request run at concurrency 6 (in-process)`,
        measured: `${Math.max(...tokenRequestsC6)} (each of ${tokenRequestsC6.length} runs: ${tokenRequestsC6.join(", ")})`,
        goal: "1",
        met: tokenRequestsC6.every((n) => n === 1),
      },
    ],
  };
}
