/**
 * `certn-edge import-postman <in> [-o out]`: converts a Postman v2.0/v2.1 collection into the
 * collection format, writes it (or prints it) and prints every conversion warning.
 */

import { issueLine } from "../../core/json.ts";
import { printable, printableJson } from "../../core/printable.ts";
import { type FlagSpec, formatFlags, parseArgs } from "../args.ts";
import { parseJsonFile } from "../data-file.ts";
import { type Runtime, readFailure, writeFailure } from "../runtime.ts";
import { EXIT, UsageError } from "../usage-error.ts";

const FLAGS: readonly FlagSpec[] = [
  {
    name: "out",
    short: "o",
    kind: "string",
    value: "FILE",
    description: "write the collection here (default: stdout)",
  },
  { name: "help", short: "h", kind: "boolean", description: "show this help" },
];

/** The help text of `import-postman`. */
export function importPostmanHelp(): string {
  return `Usage: certn-edge import-postman <postman-collection.json> [-o out.json]

Converts a Postman v2.0 or v2.1 collection (bare or wrapped in {"collection": ...}) into a
certn-edge collection. Scripts are never run: the test assertions it recognises become
declarative assertions, everything else is dropped with a warning. Warnings go to stderr.
An item the format refuses becomes a skipped placeholder; a file with nothing to import
(not a Postman v2 collection) writes nothing and exits 2.

Options:
${formatFlags(FLAGS)}

Examples:
  certn-edge import-postman Certn.postman_collection.json -o collections/certn.json
  certn-edge import-postman export.json > converted.json
`;
}

/** Runs `certn-edge import-postman` and returns the exit code. */
export async function importPostmanCommand(argv: readonly string[], runtime: Runtime): Promise<number> {
  const args = parseArgs(argv, FLAGS, "certn-edge import-postman");
  if (args.flag("help")) {
    runtime.stdout.write(importPostmanHelp());
    return EXIT.ok;
  }
  const [input, ...extra] = args.positionals;
  if (input === undefined) throw new UsageError("name the Postman collection file to import");
  if (extra.length > 0) throw new UsageError(`import-postman takes one file, got ${args.positionals.length}`);
  let text: string;
  try {
    text = await runtime.readText(input);
  } catch (error) {
    throw new UsageError(`${input}: ${readFailure(error)}`);
  }
  const postman = parseJsonFile(text, input);
  const { importPostman, parseCollection } = await import("../../runner/index.ts");
  const converted = importPostman(postman);
  // Warnings quote the file's names and scripts: shown printable, so they cannot drive the terminal.
  const warnings = converted.warnings.map((warning) => `warning: ${printable(warning)}`);
  if (!converted.imported) {
    throw new UsageError(`${input}: nothing was imported, so no collection was written`, warnings);
  }
  const json = `${printableJson(JSON.stringify(converted.collection, null, 2))}\n`;
  const out = args.string("out");
  if (out === undefined) runtime.stdout.write(json);
  else {
    await runtime.writeText(out, json).catch((error: unknown) => {
      throw new UsageError(`-o ${out}: the file cannot be written${writeFailure(error)}`);
    });
  }
  for (const warning of warnings) runtime.stderr.write(`${warning}\n`);
  const check = parseCollection(converted.collection);
  const summary = `${converted.warnings.length} warning${converted.warnings.length === 1 ? "" : "s"}`;
  if (out !== undefined) runtime.stderr.write(`Wrote ${out} (${summary})\n`);
  if (!check.ok) {
    for (const issue of check.issues) runtime.stderr.write(`invalid: ${printable(issueLine(issue))}\n`);
    return EXIT.failed;
  }
  return EXIT.ok;
}
