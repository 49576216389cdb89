// 8. Sizes: the library and the runner minified and gzipped, the Worker bundle, and the install.
import { bundleSizes, installedSize, peerInstalledSize, workerSizes } from "../lib/sizes.mjs";
import { bytes } from "../lib/stats.mjs";

const KB = 1024;

/** @param {import("../run.mjs").Context} ctx */
export async function size(ctx) {
  const { log } = ctx;
  const bundles = await bundleSizes();
  log(`  library ${bytes(bundles.client.gzipped)} gz, runner ${bytes(bundles.runner.gzipped)} gz`);
  let worker;
  try {
    worker = await workerSizes();
    log(
      `  worker ${bytes(worker.asConfigured.gzipped)} gz as configured, ${bytes(worker.minified.gzipped)} gz minified`,
    );
  } catch (error) {
    worker = { error: String(error.stderr || error).slice(0, 400) };
  }
  const install = await installedSize(ctx.packageDir);
  const newman = peerInstalledSize("newman");
  const stepci = peerInstalledSize("stepci");
  const figures = { bundles, worker, install, peers: { newman, stepci } };
  const workerGz = worker.minified?.gzipped;
  return {
    figures,
    targets: [
      {
        id: "8",
        name: "library (`createCertnClient`), minified + gzipped",
        measured: `${bytes(bundles.client.gzipped)} (${bytes(bundles.client.minified)} minified)`,
        goal: "≤ 6 KB",
        met: bundles.client.gzipped <= 6 * KB,
      },
      {
        id: "8",
        name: "runner (`certn-edge/runner`), minified + gzipped",
        measured:
          `${bytes(bundles.runner.gzipped)} (${bytes(bundles.runner.minified)} minified; ` +
          `parseCollection + runCollection alone: ${bytes(bundles.runOnly.gzipped)})`,
        goal: "≤ 40 KB",
        met: bundles.runner.gzipped <= 40 * KB,
      },
      {
        id: "8",
        name: "Worker bundle (`wrangler deploy --dry-run --minify`), gzipped",
        measured:
          workerGz === undefined
            ? `failed: ${worker.error}`
            : `${bytes(workerGz)} (as configured, unminified: ${bytes(worker.asConfigured.gzipped)})`,
        goal: "≤ 60 KB",
        met: workerGz === undefined ? false : workerGz <= 60 * KB,
      },
      {
        id: "8",
        name: "`npm install certn-edge` (packed tarball, offline): installed size, packages",
        measured: install.error
          ? install.error
          : `${bytes(install.installedBytes)} (${bytes(install.diskBytes)} on disk) in ${install.packages} packages` +
            (newman
              ? `; Newman: ${bytes(newman.installedBytes)} (${bytes(newman.diskBytes)} on disk) in ${newman.packages}`
              : "") +
            (stepci
              ? `; Step CI: ${bytes(stepci.installedBytes)} (${bytes(stepci.diskBytes)} on disk) in ${stepci.packages}`
              : ""),
        goal: "report",
        met: null,
      },
    ],
  };
}
