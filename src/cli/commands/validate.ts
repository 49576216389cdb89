/**
 * `certn-edge validate <file>...`: checks collections against format version 1 and prints every
 * issue with the JSON Pointer of the offending field. Exit 0 when all are valid, 1 when any is not.
 */

import { issueLine } from "../../core/json.ts";
import { printable } from "../../core/printable.ts";
import { type FlagSpec, formatFlags, parseArgs } from "../args.ts";
import { resolveCollectionFiles } from "../collection-files.ts";
import { type Runtime, readFailure } from "../runtime.ts";
import { EXIT, UsageError } from "../usage-error.ts";

const FLAGS: readonly FlagSpec[] = [
  { name: "json", kind: "boolean", description: "print the issues as JSON ([{ file, path, message }])" },
  { name: "help", short: "h", kind: "boolean", description: "show this help" },
];

/** The help text of `validate`. */
export function validateHelp(): string {
  return `Usage: certn-edge validate <collection>... [options]

Checks collections (files, folders, globs or bundled names) and prints every issue with
the JSON Pointer of the field at fault. Exits 0 when all are valid, 1 when any is not,
2 when a file is missing or unreadable.

Options:
${formatFlags(FLAGS)}

Examples:
  certn-edge validate collections/my-flow.json
  certn-edge validate "collections/*.json"
  certn-edge validate broken.json --json
`;
}

/** One issue, with the file it was found in. */
interface FileIssue {
  file: string;
  path: string;
  message: string;
}

/** Runs `certn-edge validate` and returns the exit code. */
export async function validateCommand(argv: readonly string[], runtime: Runtime): Promise<number> {
  const args = parseArgs(argv, FLAGS, "certn-edge validate");
  if (args.flag("help")) {
    runtime.stdout.write(validateHelp());
    return EXIT.ok;
  }
  const files = await resolveCollectionFiles(args.positionals, runtime);
  const { parseCollection } = await import("../../runner/index.ts");
  const issues: FileIssue[] = [];
  const lines: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await runtime.readText(file.path);
    } catch (error) {
      throw new UsageError(`${file.shown}: ${readFailure(error)}`);
    }
    const parsed = parseCollection(text);
    if (parsed.ok) {
      lines.push(`ok       ${file.shown}: "${printable(parsed.collection.name)}"`);
      continue;
    }
    lines.push(
      `invalid  ${file.shown}: ${parsed.issues.length} issue${parsed.issues.length === 1 ? "" : "s"}`,
    );
    for (const issue of parsed.issues) {
      issues.push({ file: file.shown, path: issue.path, message: issue.message });
      lines.push(printable(`  ${issueLine(issue)}`));
    }
  }
  if (args.flag("json")) runtime.stdout.write(`${JSON.stringify(issues, null, 2)}\n`);
  else runtime.stdout.write(`${lines.join("\n")}\n`);
  return issues.length > 0 ? EXIT.failed : EXIT.ok;
}
