/** The top-level help. Command help lives with each command. */

/** Every command and what it does. */
export const COMMANDS = {
  run: "run collections against Certn, a Certn-compatible server or the embedded simulator",
  validate: "check collections and print every issue with its JSON Pointer",
  "import-postman": "convert a Postman v2.x collection into a certn-edge collection",
} as const;

/** `certn-edge --help`. */
export function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length)) + 2;
  const commands = Object.entries(COMMANDS)
    .map(([name, text]) => `  ${name.padEnd(width)}${text}`)
    .join("\n");
  return `Usage: certn-edge <command> [options]

Runs JSON request collections against the Certn background-screening API.

Commands:
${commands}

Options:
  -h, --help     show help (also: certn-edge <command> --help)
  -V, --version  print the version

Examples:
  certn-edge run certn-smoke --simulator
  certn-edge run collections/certn-smoke.json --env-file .env --reporter junit --out reports
  certn-edge validate "collections/*.json"
  certn-edge import-postman My.postman_collection.json -o collections/my.json

Exit codes: 0 everything passed, 1 something failed or errored, 2 invalid input or usage.
`;
}
