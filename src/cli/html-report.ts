/**
 * The HTML reporter: one self-contained page (inline CSS, no script, a CSP that loads nothing)
 * that a person can open from disk. It is a pure function of a run result, which the runner has
 * already redacted, and every value from the result is escaped.
 */
import type { JsonValue } from "../collection/model.ts";
import type { AssertionResult, ItemResult, RunResult } from "../runner/index.ts";
import { formatDuration } from "./format.ts";

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const STATUS_LABEL = { passed: "PASSED", failed: "FAILED", errored: "ERRORED", skipped: "SKIPPED" } as const;

const STYLE = `
:root{color-scheme:light dark;--ok:#137333;--bad:#c5221f;--err:#b06000;--skip:#5f6368;--line:#8884}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1100px;padding:24px}
h1{font-size:22px;margin:0 0 4px}
section.run{margin-bottom:32px}
.verdict{display:inline-block;font-weight:700;padding:2px 10px;border-radius:4px;color:#fff}
.verdict.passed{background:var(--ok)}.verdict.failed{background:var(--bad)}
dl.summary{display:grid;grid-template-columns:repeat(auto-fill,minmax(130px,1fr));gap:8px;margin:16px 0}
dl.summary div{border:1px solid var(--line);border-radius:6px;padding:6px 10px}
dl.summary dt{font-size:12px;opacity:.75}dl.summary dd{margin:0;font-size:18px;font-weight:600}
details.item{border:1px solid var(--line);border-left-width:5px;border-radius:6px;margin:6px 0}
details.item>summary{cursor:pointer;padding:6px 10px;display:flex;gap:10px;align-items:baseline}
details.item>div{padding:0 12px 10px}
.item.passed{border-left-color:var(--ok)}.item.failed{border-left-color:var(--bad)}
.item.errored{border-left-color:var(--err)}.item.skipped{border-left-color:var(--skip)}
.badge{font:700 11px/1 ui-monospace,monospace;min-width:64px}
.passed .badge{color:var(--ok)}.failed .badge{color:var(--bad)}.errored .badge{color:var(--err)}.skipped .badge{color:var(--skip)}
.meta{margin-left:auto;opacity:.75;font-size:12px;white-space:nowrap}
table{border-collapse:collapse;width:100%;margin:6px 0}
th,td{border-bottom:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}
td code,pre{font:12px/1.4 ui-monospace,monospace;white-space:pre-wrap;word-break:break-all}
tr.fail td{background:#c5221f14}
table.exchange th{width:9em}
.error{color:var(--bad);font-weight:600}
pre{background:#8881;padding:8px;border-radius:4px;max-height:400px;overflow:auto}
`;

/**
 * Renders run results as one complete HTML document: a section per collection with its summary
 * and every item. Failed and errored items are expanded (`<details open>`); passed and skipped
 * ones are collapsed.
 */
export function renderHtmlReport(input: RunResult | readonly RunResult[]): string {
  const results: readonly RunResult[] = Array.isArray(input) ? input : [input as RunResult];
  const ok = results.every((result) => result.summary.failed === 0 && result.summary.errored === 0);
  const first = results[0];
  const title =
    results.length === 1 && first
      ? `${first.collection}: ${ok ? "passed" : "failed"}`
      : `certn-edge: ${results.length} collections, ${ok ? "passed" : "failed"}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="certn-edge">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${results.map(renderRun).join("\n")}
</body>
</html>
`;
}

function renderRun(result: RunResult): string {
  const { summary } = result;
  const ok = summary.failed === 0 && summary.errored === 0;
  const cells: [string, string | number][] = [
    ["Items", summary.items],
    ["Passed", summary.passed],
    ["Failed", summary.failed],
    ["Errored", summary.errored],
    ["Skipped", summary.skipped],
    ["Assertions passed", summary.assertions.passed],
    ["Assertions failed", summary.assertions.failed],
    ["Requests", summary.requests],
    ["Duration", formatDuration(result.durationMs)],
  ];
  const iterations = new Set(result.items.map((item) => item.iteration)).size;
  return `<section class="run">
<header>
<h1 class="collection">${escapeHtml(result.collection)}</h1>
<p><span class="verdict ${ok ? "passed" : "failed"}">${ok ? "PASSED" : "FAILED"}</span>
 started <time datetime="${escapeHtml(result.startedAt)}">${escapeHtml(result.startedAt)}</time>${
   result.dryRun ? " &middot; <strong>dry run: nothing was sent</strong>" : ""
 }</p>
<dl class="summary">
${cells.map(([label, value]) => `<div><dt>${label}</dt><dd data-field="${label.toLowerCase().replaceAll(" ", "-")}">${escapeHtml(String(value))}</dd></div>`).join("\n")}
</dl>
</header>
<div class="items">
${result.items.map((item) => renderItem(item, iterations > 1)).join("\n")}
</div>
</section>`;
}

function renderItem(item: ItemResult, showIteration: boolean): string {
  const open = item.status === "failed" || item.status === "errored" ? " open" : "";
  const path = item.path.length > 0 ? item.path.join(" / ") : item.name;
  const meta = [
    showIteration ? `iteration ${item.iteration + 1}` : "",
    item.durationMs !== undefined ? formatDuration(item.durationMs) : "",
  ]
    .filter(Boolean)
    .join(" · ");
  const parts: string[] = [];
  if (item.error) {
    parts.push(`<p class="error">${escapeHtml(item.error.code)}: ${escapeHtml(item.error.message)}</p>`);
  }
  parts.push(renderExchange(item));
  if (item.assertions.length > 0) parts.push(renderAssertions(item.assertions));
  if (item.captures && Object.keys(item.captures).length > 0) {
    const rows = Object.entries(item.captures)
      .map(
        ([name, value]) =>
          `<tr><td>${escapeHtml(name)}</td><td><code>${escapeHtml(show(value))}</code></td></tr>`,
      )
      .join("");
    parts.push(
      `<table class="captures"><thead><tr><th>Captured</th><th>Value</th></tr></thead><tbody>${rows}</tbody></table>`,
    );
  }
  if (item.request?.body !== undefined)
    parts.push(`<h4>Request body</h4><pre>${escapeHtml(pretty(item.request.body))}</pre>`);
  if (item.response?.body !== undefined)
    parts.push(`<h4>Response body</h4><pre>${escapeHtml(pretty(item.response.body))}</pre>`);
  return `<details class="item ${item.status}" data-status="${item.status}"${open}>
<summary><span class="badge">${STATUS_LABEL[item.status]}</span><span class="name">${escapeHtml(path)}</span><span class="meta">${escapeHtml(meta)}</span></summary>
<div>${parts.join("\n")}</div>
</details>`;
}

function renderExchange(item: ItemResult): string {
  const rows: string[] = [];
  if (item.request) {
    rows.push(
      `<tr><th>Request</th><td><code>${escapeHtml(`${item.request.method} ${item.request.url}`)}</code>${
        item.wouldOrder ? " (orders a paid check)" : ""
      }</td></tr>`,
    );
  }
  if (item.response) {
    rows.push(
      `<tr><th>Response</th><td>${escapeHtml(`${item.response.status} in ${formatDuration(item.response.durationMs)}`)}</td></tr>`,
    );
  }
  rows.push(`<tr><th>Attempts</th><td>${item.attempts}</td></tr>`);
  for (const [label, headers] of [
    ["Request headers", item.request?.headers],
    ["Response headers", item.response?.headers],
  ] as const) {
    if (headers && Object.keys(headers).length > 0) {
      const text = Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}`)
        .join("\n");
      rows.push(`<tr><th>${label}</th><td><pre>${escapeHtml(text)}</pre></td></tr>`);
    }
  }
  return `<table class="exchange"><tbody>${rows.join("")}</tbody></table>`;
}

function renderAssertions(assertions: readonly AssertionResult[]): string {
  const rows = assertions
    .map((assertion) => {
      const label = assertion.name ? `${assertion.name} (${assertion.that})` : assertion.that;
      const cells = [
        assertion.passed ? "✓" : "✗",
        label,
        assertion.op,
        show(assertion.expected),
        show(assertion.actual) + (assertion.message ? ` — ${assertion.message}` : ""),
      ];
      return `<tr class="${assertion.passed ? "pass" : "fail"}">${cells
        .map((cell, index) =>
          index >= 3 ? `<td><code>${escapeHtml(cell)}</code></td>` : `<td>${escapeHtml(cell)}</td>`,
        )
        .join("")}</tr>`;
    })
    .join("");
  return `<table class="assertions"><thead><tr><th></th><th>That</th><th>Op</th><th>Expected</th><th>Actual</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function show(value: JsonValue | undefined): string {
  return value === undefined ? "(nothing)" : JSON.stringify(value);
}

function pretty(value: JsonValue): string {
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}
