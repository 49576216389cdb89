/** The help text of `certn-edge run`, and the bundled collection names it lists. */
import { formatFlags } from "../args.ts";
import { RUN_FLAGS } from "./run-options.ts";

/** The help text of `run`. */
export function runHelp(): string {
  return `Usage: certn-edge run <collection>... [options]

Runs collections one after another and exits 0 when every item passed, 1 when anything
failed or errored (or, with client credentials, when no access token can be had: that is
checked first, and then nothing runs), 2 for invalid input. A collection is a file, a folder, a glob
("collections/*.json"), or the name of one bundled with the package:
  ${BUNDLED_NAMES.slice(0, 5).join(", ")},
  ${BUNDLED_NAMES.slice(5).join(", ")}.

Credentials come from the environment or --env-file: CERTN_CLIENT_ID and
CERTN_CLIENT_SECRET (or CLIENT_ID and CLIENT_SECRET), or CERTN_API_KEY (with
CERTN_API_KEY_SCHEME=Api-Key for CertnCentric); CERTN_BASE_URL picks the origin.
They never become collection variables.

Webhooks (for "wait" items and "poll.wakeOn"): with --simulator, the simulator's webhooks
are delivered in-process. Against Certn, --webhook-port PORT listens on 127.0.0.1:PORT for
the run (0 picks a free port; the address is printed on stderr): POST /webhooks/certn is
checked with CERTN_WEBHOOK_SECRET, POST /webhooks/certncentric with
CERTN_CENTRIC_WEBHOOK_SECRET; a route whose secret is unset answers 503. Without either,
wakeOn polls on its interval and a wait item errors with CERTN_WAIT_UNSUPPORTED.

Options:
${formatFlags(RUN_FLAGS)}

Examples:
  certn-edge run certn-smoke --simulator
  certn-edge run collections/certn-smoke.json --env-file .env
  certn-edge run hr-quick-screen --env-file .env --var firstName=Testy --reporter junit --out reports
  certn-edge run "collections/*.json" --simulator --reporter html --out reports
  certn-edge run my.json --data applicants.csv --secret apiToken=abc --dry-run
  certn-edge run centric-quickscreen --env-file .env --webhook-port 8789
`;
}

/** Names of the bundled collections, for the help text (a test keeps it in step with collections/). */
export const BUNDLED_NAMES: readonly string[] = [
  "certn-smoke",
  "hr-quick-screen",
  "hr-invite",
  "pm-quick-screen",
  "general-resources",
  "reports",
  "centric-smoke",
  "centric-quickscreen",
  "centric-invite-link",
];
