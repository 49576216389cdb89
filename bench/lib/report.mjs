// Printing the targets and writing bench/RESULTS.md.

const verdict = (met) => (met === true ? "met" : met === false ? "NOT MET" : "—");

/** The targets as an aligned text table for the console. */
export function targetTable(targets) {
  const rows = targets.map((t) => [t.id, t.name, t.measured, t.goal, verdict(t.met)]);
  const header = ["#", "measure", "measured", "target", ""];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

const cell = (text) => String(text).replace(/\|/g, "\\|");

/** Indented JSON with arrays of numbers kept on one line. */
function compactJson(value) {
  return JSON.stringify(value, null, 2).replace(/\[\s+(-?[\d.]+(?:,\s+-?[\d.]+)*)\s+\]/g, (_, inner) => {
    return `[${inner.split(/,\s+/).join(", ")}]`;
  });
}

/** RESULTS.md: machine, date, targets, then every section's raw figures. */
export function resultsMarkdown({ date, machine, loadAfter, durationS, options, targets, sections }) {
  const lines = [
    "# Benchmark results",
    "",
    `Latest \`npm run bench\`: ${date}, ${durationS} s in all. Written by bench/run.mjs; how to run and what each`,
    "figure means: docs/bench.md. Ratios come from interleaved rounds on one machine (medians of the",
    "per-round ratios); absolute times drift with the load of this shared machine.",
    "",
    "## Machine",
    "",
    `- CPU: ${machine.cpu}, \`nproc\` ${machine.nproc}`,
    `- Node ${machine.node}`,
    `- load average at start: ${machine.load}; at end: ${loadAfter}`,
    `- options: ${JSON.stringify(options)}`,
    "",
    "```",
    "$ free -h",
    machine.memory,
    "```",
    "",
    "## Targets",
    "",
    "| # | measure | measured | target | |",
    "| --- | --- | --- | --- | --- |",
    ...targets.map(
      (t) => `| ${t.id} | ${cell(t.name)} | ${cell(t.measured)} | ${cell(t.goal)} | ${verdict(t.met)} |`,
    ),
    "",
    "## Raw figures",
    "",
  ];
  for (const [name, section] of Object.entries(sections)) {
    lines.push(`### ${name}`, "", "```json", compactJson(section), "```", "");
  }
  return `${lines.join("\n")}`;
}
