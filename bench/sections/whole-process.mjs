// 2 and 3. Whole processes, start-up included, against the same server, rounds interleaved with
// the order rotating: `certn-edge run` (built dist/cli/main.js), a plain Node script doing the
// same with `fetch`, Newman 6.2.2 and Step CI 2.8.2 (from bench/node_modules, in the first
// `peerRounds` rounds only: they are slow). Also the `certn-edge --version` cold start beside a
// bare `node -e 0`, alternated.
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runTimed } from "../lib/proc.mjs";
import { median, pairedRatio, perSecond, rotate, round } from "../lib/stats.mjs";
import { COLLECTION, fetchToken, POSTMAN_COLLECTION, stepCiWorkflow } from "../lib/workload.mjs";

/** @param {import("../run.mjs").Context} ctx */
export async function wholeProcess(ctx) {
  const { sim, requests, rounds, peerRounds, log, paths, tmp } = ctx;
  const node = process.execPath;
  const collectionFile = join(tmp, "bench.collection.json");
  const postmanFile = join(tmp, "bench.postman_collection.json");
  const stepCiFile = join(tmp, "bench.stepci.json");
  writeFileSync(collectionFile, JSON.stringify(COLLECTION, null, 2));
  writeFileSync(postmanFile, JSON.stringify(POSTMAN_COLLECTION, null, 2));
  // Newman and Step CI get a token fetched beforehand (they then do strictly less work).
  const token = await fetchToken(sim.url, sim.credentials);
  writeFileSync(stepCiFile, JSON.stringify(stepCiWorkflow(sim.url, token, requests), null, 2));
  const credentialEnv = {
    ...process.env,
    CERTN_CLIENT_ID: sim.credentials.clientId,
    CERTN_CLIENT_SECRET: sim.credentials.clientSecret,
  };
  const peerEnv = { ...process.env, STEPCI_DISABLE_ANALYTICS: "1", NO_COLOR: "1" };
  const contenders = {
    plain: { args: [paths.plainScript, sim.url, String(requests)], env: credentialEnv },
    cli: {
      args: [
        paths.cli,
        "run",
        collectionFile,
        "--base-url",
        sim.url,
        "--iterations",
        String(requests),
        "--rate-limit",
        "off",
      ],
      env: credentialEnv,
    },
  };
  const peers = {};
  if (existsSync(paths.newman)) {
    peers.newman = {
      args: [
        paths.newman,
        "run",
        postmanFile,
        "-n",
        String(requests),
        "--env-var",
        `baseUrl=${sim.url}`,
        "--env-var",
        `accessToken=${token}`,
      ],
      env: peerEnv,
    };
  }
  if (existsSync(paths.stepci)) peers.stepci = { args: [paths.stepci, "run", stepCiFile], env: peerEnv };

  const times = Object.fromEntries(Object.keys({ ...contenders, ...peers }).map((name) => [name, []]));
  const connections = {};
  const tokenRequests = {};
  const failures = {};
  for (let r = 0; r < rounds; r++) {
    const names = rotate([...Object.keys(contenders), ...(r < peerRounds ? Object.keys(peers) : [])], r);
    const line = [];
    for (const name of names) {
      const { args, env } = contenders[name] ?? peers[name];
      const before = await sim.stats();
      const outcome = await runTimed(node, args, { env });
      const after = await sim.stats();
      if (outcome.code !== 0) failures[name] = `exit ${outcome.code}: ${outcome.tail.slice(-600)}`;
      times[name].push(outcome.ms);
      connections[name] = after.connections - before.connections;
      tokenRequests[name] = after.tokenRequests - before.tokenRequests;
      const sent = after.byRoute["GET /api/v1/teams/"] - (before.byRoute["GET /api/v1/teams/"] ?? 0);
      if (sent !== requests) failures[name] = `sent ${sent} requests, expected ${requests}`;
      line.push(`${name} ${Math.round(outcome.ms)} ms`);
    }
    log(`  round ${r + 1}: ${line.join(", ")}`);
  }
  if (Object.keys(failures).length > 0) log(`  failures: ${JSON.stringify(failures)}`);

  // Cold start: `--version` and a bare node, alternated.
  const version = [];
  const bare = [];
  for (let i = 0; i < 10; i++) {
    const pair = [
      ["version", [paths.cli, "--version"]],
      ["bare", ["-e", "0"]],
    ];
    for (const [name, args] of i % 2 === 0 ? pair : pair.reverse()) {
      const outcome = await runTimed(node, args);
      (name === "version" ? version : bare).push(outcome.ms);
    }
  }

  const summary = (name) => ({
    ms: times[name].map(Math.round),
    medianMs: Math.round(median(times[name])),
    rps: round(perSecond(requests, median(times[name])), 0),
    connections: connections[name],
    tokenRequests: tokenRequests[name],
  });
  const figures = { plain: summary("plain"), cli: summary("cli") };
  const n = Math.min(rounds, peerRounds);
  // Ratios pair each peer run with the certn-edge CLI run of the same round.
  for (const name of Object.keys(peers)) {
    figures[name] = {
      ...summary(name),
      overCli: round(pairedRatio(times[name], times.cli.slice(0, n)), 1),
      // For scale: how far ahead the plain `fetch` script itself is.
      overPlain: round(pairedRatio(times[name], times.plain.slice(0, n)), 1),
    };
  }
  figures.cliOverPlain = round(pairedRatio(times.cli, times.plain), 3);
  figures.coldStart = {
    versionMs: Math.round(median(version)),
    bareNodeMs: Math.round(median(bare)),
    versionRuns: version.map(Math.round),
    bareRuns: bare.map(Math.round),
  };
  figures.failures = failures;

  const targets = [
    {
      id: "2",
      name: "`certn-edge run` / plain Node script, whole process, time ratio",
      measured: `${figures.cliOverPlain.toFixed(3)} (CLI ${figures.cli.medianMs} ms, plain ${figures.plain.medianMs} ms)`,
      goal: "≤ 1.15",
      met: figures.cliOverPlain <= 1.15,
    },
    {
      id: "2",
      name: "`certn-edge --version` cold start",
      measured: `${(figures.coldStart.versionMs / 1000).toFixed(3)} s (bare \`node -e 0\`: ${(figures.coldStart.bareNodeMs / 1000).toFixed(3)} s)`,
      goal: "≤ 0.100 s",
      met: figures.coldStart.versionMs <= 100,
    },
    {
      id: "2",
      name: "`certn-edge --version` start-up beyond a bare `node -e 0`",
      measured: `+${figures.coldStart.versionMs - figures.coldStart.bareNodeMs} ms`,
      goal: "≤ +15 ms",
      met: figures.coldStart.versionMs - figures.coldStart.bareNodeMs <= 15,
    },
  ];
  for (const [name, label, short, goal, factor] of [
    ["newman", "Newman 6.2.2", "Newman", "≥ 15×", 15],
    ["stepci", "Step CI 2.8.2", "Step CI", "clearly ahead (≥ 2×)", 2],
  ]) {
    const figure = figures[name];
    targets.push({
      id: "3",
      name: `${label} time / \`certn-edge run\` time, whole process`,
      measured: figure
        ? `${figure.overCli}× (${short} ${figure.medianMs} ms, ${figure.connections} connections; certn-edge ` +
          `${figures.cli.connections}; plain script ${figure.overPlain}× ahead of ${short})`
        : "not installed (npm install --prefix bench)",
      goal,
      met: figure ? figure.overCli >= factor && !failures[name] : null,
    });
  }
  return { figures, targets };
}
