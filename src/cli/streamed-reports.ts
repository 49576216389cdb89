/**
 * Reports written as the run goes: each item result is appended to a part file when the runner
 * makes it (the `item-end` event), so a run of any size holds no list of results for its JSON and
 * JUnit files. Once the run ends, the file is put together: its head (the totals, known only
 * then), the part file copied over in chunks, its tail. Items appear in the order they finished.
 */
import { mkdir, open, rm } from "node:fs/promises";
import { dirname } from "node:path";
import type { ItemResult, RunResult } from "../runner/index.ts";

/**
 * The JUnit pieces this module needs from the runner, given by the caller: `run` loads the runner
 * only by dynamic import, so nothing here imports it.
 */
export interface JUnitPieces {
  junitTestcase(item: ItemResult, collection: string, iterations: number): string;
  junitFrame(result: RunResult): { head: string; tail: string };
}

/** The reporters that can be written as the run goes. */
export type StreamedReporter = "json" | "junit";

/**
 * Whether `name` is written as the run goes.
 *
 * @example
 * ```ts
 * isStreamed("junit"); // true
 * isStreamed("html"); // false: it needs every item at once
 * ```
 */
export function isStreamed(name: string): name is StreamedReporter {
  return name === "json" || name === "junit";
}

/** Bytes gathered before one write to disk. */
const FLUSH_BYTES = 64 * 1024;

/**
 * A file written in order, in chunks of about {@link FLUSH_BYTES}. Made synchronously (the
 * runner's events are), it opens the file in the background; `close` reports any failure.
 */
function openSink(path: string) {
  const opened = mkdir(dirname(path), { recursive: true }).then(() => open(path, "w"));
  let pending = "";
  let writes: Promise<unknown> = opened;
  let failure: unknown;
  opened.catch((error: unknown) => {
    failure ??= error;
  });
  const flush = (): void => {
    if (pending === "") return;
    const chunk = pending;
    pending = "";
    writes = writes
      .then(async () => {
        if (failure === undefined) await (await opened).write(chunk);
      })
      .catch((error: unknown) => {
        failure ??= error;
      });
  };
  return {
    write(text: string): void {
      pending += text;
      if (pending.length >= FLUSH_BYTES) flush();
    },
    async close(): Promise<void> {
      flush();
      await writes.catch(() => undefined);
      if (failure !== undefined) throw failure;
      await (await opened).close();
    },
  };
}

/** Copies the file at `from` onto the end of `to`, 64 KB at a time. */
async function copyInto(to: Awaited<ReturnType<typeof open>>, from: string): Promise<void> {
  const source = await open(from, "r");
  try {
    const buffer = new Uint8Array(FLUSH_BYTES);
    for (;;) {
      const { bytesRead } = await source.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      await to.write(buffer.subarray(0, bytesRead));
    }
  } finally {
    await source.close();
  }
}

/** Indents every line but the first by `spaces` (an item's JSON inside the report's array). */
function indent(text: string, spaces: string): string {
  return text.replace(/\n/g, `\n${spaces}`);
}

/** One collection's streamed reports. */
export interface StreamedReports {
  /** Appends one item result to every report. */
  item(item: ItemResult): void;
  /** Writes the finished files from the run's result (its totals); resolves with their paths. */
  finish(result: RunResult): Promise<string[]>;
  /** Removes the part files of a run that gave no result. */
  discard(): Promise<void>;
}

/**
 * Starts the part files of `reports` (final paths by reporter) for a run of `collection` with
 * `iterations` iterations: at the run's `run-start` event, which gives both.
 *
 * @example
 * ```ts
 * let streamed: StreamedReports | undefined;
 * // onEvent: run-start → streamed = startStreamedReports({ junit: path }, event.collection, event.iterations, runner)
 * //          item-end  → streamed?.item(event.item)
 * const written = await streamed?.finish(result);
 * ```
 */
export function startStreamedReports(
  reports: Partial<Record<StreamedReporter, string>>,
  collection: string,
  iterations: number,
  { junitTestcase, junitFrame }: JUnitPieces,
): StreamedReports {
  const entries = Object.entries(reports) as [StreamedReporter, string][];
  const sinks = entries.map(([name, path]) => ({
    name,
    path,
    part: `${path}.part`,
    sink: openSink(`${path}.part`),
  }));
  let first = true;
  return {
    item(item) {
      for (const { name, sink } of sinks) {
        if (name === "junit") sink.write(`${junitTestcase(item, collection, iterations)}\n`);
        else sink.write(`${first ? "" : ",\n"}    ${indent(JSON.stringify(item, null, 2), "    ")}`);
      }
      first = false;
    },
    async finish(result) {
      const written: string[] = [];
      for (const { name, path, part, sink } of sinks) {
        await sink.close();
        const target = await open(path, "w");
        try {
          if (name === "junit") {
            const { head, tail } = junitFrame(result);
            await target.write(head);
            await copyInto(target, part);
            await target.write(tail);
          } else {
            // The file holds every item, so it says nothing of those the in-memory result left out.
            const { items: _kept, itemsOmitted: _omitted, ...rest } = result;
            const head = JSON.stringify(rest, null, 2).replace(/\n}$/, ',\n  "items": [\n');
            await target.write(head);
            await copyInto(target, part);
            await target.write(`${first ? "" : "\n"}  ]\n}\n`);
          }
        } finally {
          await target.close();
          await rm(part, { force: true });
        }
        written.push(path);
      }
      return written;
    },
    async discard() {
      for (const { part, sink } of sinks) {
        await sink.close().catch(() => undefined);
        await rm(part, { force: true });
      }
    },
  };
}
