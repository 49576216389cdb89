// Preloaded with `node --import` into a measured process: samples heapUsed every 10 ms and, at
// exit, writes the peak heapUsed and the kernel's maxRSS (process.resourceUsage) as JSON to the
// file named by BENCH_MEMORY_OUT. It adds nothing else to the process.
import { writeFileSync } from "node:fs";

const out = process.env.BENCH_MEMORY_OUT;
if (out) {
  let peakHeap = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    const { heapUsed } = process.memoryUsage();
    if (heapUsed > peakHeap) peakHeap = heapUsed;
  }, 10);
  timer.unref();
  process.on("exit", () => {
    const { heapUsed } = process.memoryUsage();
    writeFileSync(
      out,
      JSON.stringify({
        maxRssBytes: process.resourceUsage().maxRSS * 1024,
        peakHeapUsedBytes: Math.max(peakHeap, heapUsed),
      }),
    );
  });
}
