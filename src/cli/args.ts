/**
 * A small, strict command-line parser: every flag is declared, an unknown one is an error that
 * names it, and `--name value`, `--name=value`, `-x value` and `--` all work.
 */
import { UsageError } from "./usage-error.ts";

/** How a flag takes values. */
export type FlagKind = "boolean" | "string" | "list";

/** One declared flag. */
export interface FlagSpec {
  /** Long name without the dashes, for example `env-file`. */
  name: string;
  /** One-letter alias without the dash. */
  short?: string;
  kind: FlagKind;
  /** Placeholder shown in help, for example `FILE`. */
  value?: string;
  description: string;
}

/** What {@link parseArgs} returns. */
export interface ParsedArgs {
  positionals: string[];
  /** True when the flag was given (boolean) or a value for it was given. */
  has(name: string): boolean;
  /** A `boolean` flag. */
  flag(name: string): boolean;
  /** A `string` flag's value. */
  string(name: string): string | undefined;
  /** A `list` flag's values, in order (empty when never given). */
  list(name: string): string[];
}

/**
 * Parses `argv` (the arguments after the command name) against `specs`.
 * @param command the command name, used in error messages (`certn-edge run`)
 * @throws UsageError on an unknown flag, a missing value or a repeated single-value flag
 */
export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[], command: string): ParsedArgs {
  const byLong = new Map(specs.map((spec) => [spec.name, spec]));
  const byShort = new Map(specs.flatMap((spec) => (spec.short ? [[spec.short, spec] as const] : [])));
  const booleans = new Set<string>();
  const strings = new Map<string, string>();
  const lists = new Map<string, string[]>();
  const positionals: string[] = [];

  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === "--") {
      positionals.push(...argv.slice(index + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const long = arg.startsWith("--");
    const equals = arg.indexOf("=");
    const key = long ? arg.slice(2, equals === -1 ? undefined : equals) : arg.slice(1, 2);
    const spec = long ? byLong.get(key) : byShort.get(key);
    const shown = long ? `--${key}` : `-${key}`;
    if (!spec) throw new UsageError(unknownMessage(shown, specs, command));
    let inline: string | undefined;
    if (long && equals !== -1) inline = arg.slice(equals + 1);
    else if (!long && arg.length > 2) inline = arg.slice(2).replace(/^=/, "");

    if (spec.kind === "boolean") {
      if (inline !== undefined) throw new UsageError(`${shown} takes no value (${command})`);
      booleans.add(spec.name);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[index + 1];
      if (next === undefined || (next.startsWith("-") && next !== "-")) {
        throw new UsageError(`${shown} needs a value${spec.value ? ` (${spec.value})` : ""} (${command})`);
      }
      value = next;
      index++;
    }
    if (spec.kind === "string") {
      if (strings.has(spec.name))
        throw new UsageError(`--${spec.name} was given more than once (${command})`);
      strings.set(spec.name, value);
    } else {
      const values = lists.get(spec.name) ?? [];
      values.push(value);
      lists.set(spec.name, values);
    }
  }

  return {
    positionals,
    has: (name) => booleans.has(name) || strings.has(name) || lists.has(name),
    flag: (name) => booleans.has(name),
    string: (name) => strings.get(name),
    list: (name) => lists.get(name) ?? [],
  };
}

function unknownMessage(shown: string, specs: readonly FlagSpec[], command: string): string {
  const name = shown.replace(/^-+/, "");
  let best: string | undefined;
  let bestDistance = 3;
  for (const spec of specs) {
    const distance = editDistance(name, spec.name);
    if (distance < bestDistance) {
      best = spec.name;
      bestDistance = distance;
    }
  }
  const hint = best ? `; did you mean --${best}?` : "";
  return `unknown option ${shown} for ${command}${hint} (see ${command} --help)`;
}

/** Levenshtein distance, for "did you mean" hints. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Formats the option list of a command's help. */
export function formatFlags(specs: readonly FlagSpec[]): string {
  const rows = specs.map((spec) => {
    const short = spec.short ? `-${spec.short}, ` : "    ";
    const value = spec.value ? ` ${spec.value}` : "";
    const repeat = spec.kind === "list" ? " (repeatable)" : "";
    return [`  ${short}--${spec.name}${value}`, `${spec.description}${repeat}`] as const;
  });
  const width = Math.min(36, Math.max(...rows.map(([left]) => left.length)) + 2);
  return rows
    .map(([left, right]) =>
      left.length + 2 > width ? `${left}\n${" ".repeat(width)}${right}` : left.padEnd(width) + right,
    )
    .join("\n");
}
