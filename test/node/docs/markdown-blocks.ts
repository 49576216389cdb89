/**
 * The fenced code blocks of the documentation, each with the markers written right before it.
 *
 * A marker is an HTML comment (invisible on GitHub) on the lines just above a fence:
 * `<!-- example: KIND [ARGUMENT] [(REASON)] -->`. Several markers may stack, one per line.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** What a marker may say; see the documentation of {@link MARKER_KINDS}. */
export type MarkerKind =
  | "skip"
  | "typecheck-only"
  | "continues"
  | "exit"
  | "file"
  | "validate-only"
  | "invalid"
  | "item"
  | "assertions"
  | "output";

/** Each kind, the languages it applies to and whether it needs a reason in parentheses. */
export const MARKER_KINDS: Record<MarkerKind, { langs: readonly string[] | "any"; reason: boolean }> = {
  /** Not checked at all (a command that needs an account, an output sample, a config file...). */
  skip: { langs: "any", reason: true },
  /** TypeScript that is typechecked but not run (needs a Worker, a browser, a Certn account...). */
  "typecheck-only": { langs: ["ts"], reason: true },
  /** TypeScript that continues the previous TypeScript block of the page: one module with it. */
  continues: { langs: ["ts"], reason: false },
  /** Shell commands expected to exit with this status (the argument) instead of 0. */
  exit: { langs: ["sh"], reason: true },
  /** A collection written under this name (the argument) in the folder shell blocks run in. */
  file: { langs: ["json"], reason: false },
  /** A collection that is validated but not run against the simulator. */
  "validate-only": { langs: ["json"], reason: true },
  /** A collection that parseCollection must refuse (its issues are shown by a command below it). */
  invalid: { langs: ["json"], reason: false },
  /** One request item (or folder), validated inside a collection. */
  item: { langs: ["json"], reason: false },
  /** One assertion per line, each validated inside a request item. */
  assertions: { langs: ["json"], reason: false },
  /** What the shell block above prints on stdout, durations aside. */
  output: { langs: ["text"], reason: false },
};

export interface Marker {
  kind: MarkerKind;
  /** The word after the kind (`exit 1`, `file teams.json`), or "". */
  argument: string;
  /** The text in parentheses, or "". */
  reason: string;
  /** 1-based line of the comment. */
  line: number;
}

export interface DocBlock {
  /** Path from the repository root, with `/`. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The info string's first word ("" when there is none). */
  lang: string;
  /** The block's text, indentation of the fence removed, ending with a newline. */
  code: string;
  markers: Marker[];
}

/** A problem found while reading markers (an unknown kind, a marker with no fence after it...). */
export interface MarkerProblem {
  file: string;
  line: number;
  message: string;
}

const MARKER = /^\s*<!--\s*example:\s*(.*?)\s*-->\s*$/;
const MARKER_BODY = /^([a-z-]+)(?:\s+([^\s(]+))?\s*(?:\((.*)\))?$/;
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/;

/** The markdown files whose examples are checked: README.md, CONTRIBUTING.md and docs/*.md. */
export function documentationFiles(root: string): string[] {
  const docs = readdirSync(join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`);
  return ["README.md", "CONTRIBUTING.md", ...docs];
}

/** Reads one markdown file into its fenced blocks, and the marker problems found on the way. */
export function readBlocks(root: string, file: string): { blocks: DocBlock[]; problems: MarkerProblem[] } {
  const lines = readFileSync(join(root, file), "utf8").split("\n");
  const blocks: DocBlock[] = [];
  const problems: MarkerProblem[] = [];
  let pending: Marker[] = [];
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] ?? "";
    const marker = MARKER.exec(text);
    if (marker) {
      const parsed = parseMarker(marker[1] ?? "", i + 1);
      if (typeof parsed === "string") problems.push({ file, line: i + 1, message: parsed });
      else pending.push(parsed);
      continue;
    }
    const fence = FENCE.exec(text);
    if (!fence) {
      if (text.trim() !== "" && pending.length > 0) {
        for (const m of pending) {
          problems.push({ file, line: m.line, message: "a marker must be followed by a code block" });
        }
        pending = [];
      }
      continue;
    }
    const indent = fence[1]?.length ?? 0;
    const ticks = fence[2] ?? "```";
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const inner = lines[j] ?? "";
      if (inner.trim().startsWith(ticks) && inner.trim().replace(/[`~]/g, "") === "") break;
      body.push(inner.slice(Math.min(indent, inner.length - inner.trimStart().length)));
    }
    blocks.push({ file, line: i + 1, lang: fence[3] ?? "", code: `${body.join("\n")}\n`, markers: pending });
    pending = [];
    i = j;
  }
  for (const m of pending) {
    problems.push({ file, line: m.line, message: "a marker must be followed by a code block" });
  }
  for (const block of blocks) problems.push(...misplacedMarkers(block));
  return { blocks, problems };
}

function parseMarker(body: string, line: number): Marker | string {
  const match = MARKER_BODY.exec(body);
  if (!match) return `unreadable marker "${body}": write <!-- example: KIND [ARGUMENT] [(REASON)] -->`;
  const kind = match[1] as MarkerKind;
  if (!(kind in MARKER_KINDS)) {
    return `unknown marker kind "${kind}" (known: ${Object.keys(MARKER_KINDS).join(", ")})`;
  }
  const reason = (match[3] ?? "").trim();
  if (MARKER_KINDS[kind].reason && reason === "") return `marker "${kind}" needs a reason in parentheses`;
  return { kind, argument: match[2] ?? "", reason, line };
}

function misplacedMarkers(block: DocBlock): MarkerProblem[] {
  return block.markers.flatMap((marker) => {
    const { langs } = MARKER_KINDS[marker.kind];
    if (langs === "any" || langs.includes(block.lang)) return [];
    return [
      {
        file: block.file,
        line: marker.line,
        message: `marker "${marker.kind}" applies to ${langs.join(", ")} blocks, not to "${block.lang || "(no language)"}"`,
      },
    ];
  });
}

/** The block's marker of this kind, if any. */
export function markerOf(block: DocBlock, kind: MarkerKind): Marker | undefined {
  return block.markers.find((marker) => marker.kind === kind);
}

/** `docs/x.md:12` */
export function where(block: { file: string; line: number }): string {
  return `${block.file}:${block.line}`;
}
