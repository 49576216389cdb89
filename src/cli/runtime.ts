/**
 * The CLI's only contact with its host: files, environment, standard streams and exit.
 * Everything uses `node:` modules, which Node, Deno and Bun all provide, so the same entry runs
 * under each; commands take a {@link Runtime} so they can also be driven in-process by tests.
 */
import { mkdir, open, readdir, stat, unlink, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

/** The largest file the CLI reads (a collection, an env, variables or data file): 32 MiB. */
export const MAX_INPUT_BYTES = 32 * 1024 * 1024;

/**
 * Why a file could not be read, in a few words, for a message that names the file and the flag.
 *
 * @example
 * ```ts
 * readFailure(Object.assign(new Error(), { code: "ENOENT" })); // "no such file"
 * ```
 */
export function readFailure(error: unknown): string {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "a folder, not a file";
  if (code === "EFBIG") return `larger than ${MAX_INPUT_BYTES / 1024 / 1024} MB, the most the CLI reads`;
  return "cannot be read";
}

/**
 * Why a file cannot be written, for a message: the file system's code (` (EACCES)`), when it
 * gives one. The path is the caller's to name.
 */
export function writeFailure(error: unknown): string {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" ? ` (${code})` : "";
}

/** A text stream the CLI writes to. */
export interface Output {
  write(text: string): void;
  /** True when the stream is a terminal (live progress, colours). */
  readonly isTTY: boolean;
  /** Terminal width, when known. */
  readonly columns?: number | undefined;
}

/** The signals that stop a run gracefully: Ctrl-C, and what CI services and `docker stop` send. */
export type InterruptSignal = "SIGINT" | "SIGTERM";

/** One entry of a directory listing. */
export interface DirEntry {
  name: string;
  isDirectory: boolean;
}

/** What a command may use of its host. */
export interface Runtime {
  /** The process environment (never turned into collection variables). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory that relative paths are resolved against. */
  readonly cwd: string;
  /** The package's root folder (holds package.json and the bundled collections/). */
  readonly packageRoot: string;
  readonly stdout: Output;
  readonly stderr: Output;
  /** Reads a UTF-8 file. @throws with code `EFBIG` past {@link MAX_INPUT_BYTES} */
  readText(path: string): Promise<string>;
  /** Writes a file, creating its parent folders. */
  writeText(path: string, text: string): Promise<void>;
  /** Creates a folder and its parents; nothing when it is there. */
  makeDir(path: string): Promise<void>;
  /**
   * Shows that a file can be written at `path` (a `"file"`: made and removed again unless it was
   * there) or in it (a `"folder"`: made with its parents, a file made in it and removed), with
   * the file system's own error (EACCES, EEXIST, EISDIR, EROFS...) when not.
   */
  checkWritable(path: string, kind: "file" | "folder"): Promise<void>;
  /** `"file"`, `"directory"` or undefined when nothing is there. */
  kind(path: string): Promise<"file" | "directory" | undefined>;
  listDir(path: string): Promise<DirEntry[]>;
  /** Resolves a path against {@link Runtime.cwd}. */
  resolvePath(path: string): string;
  /**
   * Calls `listener` on the first Ctrl-C (SIGINT) or SIGTERM, with its name, until the returned
   * function is called; a second one of either ends the process at once (exit 130 or 143).
   */
  onInterrupt(listener: (signal: InterruptSignal) => void): () => void;
}

/**
 * Text waits at most this long to be joined with what follows, or until this much is pending:
 * on Linux every write to a file, pipe or terminal is a synchronous system call, and a run prints
 * a line per item.
 */
const COALESCE_MS = 50;
const COALESCE_CHARS = 64 * 1024;

/** Every host output's pending text, written out: before exiting, or before another stream writes. */
const flushers = new Set<() => void>();
function flushAll(): void {
  for (const flush of flushers) flush();
}
let lastWriter: (() => void) | undefined;

function output(stream: NodeJS.WriteStream): Output {
  let pending = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  // A reader that went away (`certn-edge run … | head`, a closed terminal) must not end the run
  // halfway, between two paid requests: what would follow is dropped, the run goes on (reports
  // to files are still written) and the exit code still says how it went. Unhandled, the
  // stream's EPIPE would crash the process with a stack trace.
  let closed = false;
  stream.on("error", () => {
    closed = true;
    pending = "";
  });
  const flush = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending === "" || closed) return;
    const text = pending;
    pending = "";
    stream.write(text);
  };
  flushers.add(flush);
  return {
    write: (text) => {
      if (closed) return;
      // stdout and stderr may share a terminal: what one wrote earlier is shown first.
      if (lastWriter !== flush) flushAll();
      lastWriter = flush;
      pending += text;
      if (pending.length >= COALESCE_CHARS) flush();
      else timer ??= setTimeout(flush, COALESCE_MS);
    },
    get isTTY() {
      return stream.isTTY === true;
    },
    get columns() {
      return stream.columns;
    },
  };
}

/** Bytes read at a time by {@link readCapped}. */
const READ_CHUNK = 64 * 1024;

/**
 * Reads a file as UTF-8 up to {@link MAX_INPUT_BYTES}, as it arrives rather than by its size on
 * disk: a huge file, a device (`/dev/zero`) or a pipe that never ends costs at most that much
 * memory before the CLI refuses it (code `EFBIG`).
 */
async function readCapped(path: string): Promise<string> {
  const file = await open(path, "r");
  const tooLarge = () => Object.assign(new Error(`over ${MAX_INPUT_BYTES} bytes`), { code: "EFBIG" });
  try {
    const info = await file.stat();
    if (info.isFile() && info.size > MAX_INPUT_BYTES) throw tooLarge();
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const { bytesRead, buffer } = await file.read({ buffer: Buffer.allocUnsafe(READ_CHUNK) });
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > MAX_INPUT_BYTES) throw tooLarge();
      chunks.push(buffer.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total).toString("utf8");
  } finally {
    await file.close();
  }
}

/** The process's standard streams, made once: every runtime of the process shares their batches. */
let standardOutputs: { stdout: Output; stderr: Output } | undefined;
function standardStreams(): { stdout: Output; stderr: Output } {
  if (standardOutputs === undefined) {
    standardOutputs = { stdout: output(process.stdout), stderr: output(process.stderr) };
    // However the process ends (a crash included), what was written is not lost.
    process.once("exit", flushAll);
  }
  return standardOutputs;
}

const INTERRUPT_SIGNALS: readonly InterruptSignal[] = ["SIGINT", "SIGTERM"];

/** The runtime of the current process. */
export function hostRuntime(): Runtime {
  const cwd = process.cwd();
  return {
    env: process.env,
    cwd,
    packageRoot: fileURLToPath(new URL("../../", import.meta.url)),
    ...standardStreams(),
    readText: (path) => readCapped(resolve(cwd, path)),
    writeText: async (path, text) => {
      const full = resolve(cwd, path);
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, text, "utf8");
    },
    makeDir: async (path) => {
      await mkdir(resolve(cwd, path), { recursive: true });
    },
    checkWritable: async (path, kind) => {
      const full = resolve(cwd, path);
      await mkdir(kind === "folder" ? full : dirname(full), { recursive: true });
      const probe = kind === "folder" ? join(full, `.certn-edge-check-${process.pid}-${Date.now()}`) : full;
      const existed =
        kind === "file" &&
        (await stat(full).then(
          () => true,
          () => false,
        ));
      // Appending writes nothing to a file that is there; a new one is removed again.
      await (await open(probe, "a")).close();
      if (!existed) await unlink(probe);
    },
    kind: async (path) => {
      try {
        const info = await stat(resolve(cwd, path));
        if (info.isDirectory()) return "directory";
        return info.isFile() ? "file" : undefined;
      } catch {
        return undefined;
      }
    },
    listDir: async (path) => {
      const entries = await readdir(resolve(cwd, path), { withFileTypes: true });
      return entries.map((entry) => ({ name: entry.name, isDirectory: entry.isDirectory() }));
    },
    resolvePath: (path) => resolve(cwd, path),
    onInterrupt: (listener) => {
      // The first signal stops the run as Ctrl-C always has: nothing new starts, a request in
      // flight is aborted (its item says CERTN_ABORTED), and the reports are still written.
      // SIGTERM is what a cancelled CI job or `docker stop` sends; without a handler Node would
      // end at once, with no report of what was sent. A second signal quits.
      let count = 0;
      const handlers = INTERRUPT_SIGNALS.map((signal) => {
        const handler = (): void => {
          count++;
          if (count > 1) {
            flushAll();
            process.exit(signal === "SIGTERM" ? 143 : 130);
          }
          listener(signal);
        };
        process.on(signal, handler);
        return [signal, handler] as const;
      });
      return () => {
        for (const [signal, handler] of handlers) process.off(signal, handler);
      };
    },
  };
}

/** True on Node itself, false under Deno's or Bun's Node compatibility. */
export function runsOnNode(): boolean {
  const versions = process.versions as Record<string, string | undefined>;
  return versions.deno === undefined && versions.bun === undefined;
}

/** The command-line arguments after the script name. */
export function hostArgs(): string[] {
  return process.argv.slice(2);
}

/**
 * Ends the process once stdout and stderr have flushed: `process.exit` right after a large
 * write to a pipe would cut the output short.
 */
export async function exitWhenFlushed(code: number): Promise<never> {
  flushAll();
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((done) => {
    if (stream.writableLength === 0 || stream.destroyed) done();
    else stream.write("", () => done());
  });
}
