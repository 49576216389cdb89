// Small numeric helpers for the bench.

/** Median of a non-empty list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median of the pairwise ratios a[i] / b[i] (pairs measured side by side in one round). */
export function pairedRatio(a, b) {
  return median(a.map((value, i) => value / b[i]));
}

/** Requests per second for `requests` done in `ms`. */
export const perSecond = (requests, ms) => (requests * 1000) / ms;

/** Rounds to `digits` decimals. */
export const round = (value, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Bytes as KB/MB text (1 KB = 1024 B). */
export function bytes(n) {
  if (n >= 1024 * 1024) return `${round(n / 1024 / 1024, 1)} MB`;
  if (n >= 1024) return `${round(n / 1024, 2)} KB`;
  return `${n} B`;
}

/** Rotates `list` by `k` places, so each contender goes first in turn across rounds. */
export function rotate(list, k) {
  const n = k % list.length;
  return [...list.slice(n), ...list.slice(0, n)];
}
