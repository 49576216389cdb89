/** Schemas of webhook waits: `poll.wakeOn` and the `wait` of a wait item. */
import * as v from "valibot";
import { describeValue } from "./messages.ts";
import type { WebhookSource } from "./model.ts";
import { integerIn, oneOf, record, strictObject } from "./schema-parts.ts";
import { eventSelectorProblem } from "./selector-syntax.ts";

/** The webhook sources: the partner API and CertnCentric. */
export const WEBHOOK_SOURCES = ["certn", "certncentric"] as const satisfies readonly WebhookSource[];

/** Most selectors one `match` may hold. */
export const MAX_MATCH_ENTRIES = 16;

/** Longest a wait item may wait, in ms: 30 days. */
export const MAX_WAIT_MS = 30 * 24 * 60 * 60 * 1000;

const WebhookSchema = oneOf(
  "webhook",
  WEBHOOK_SOURCES,
  'Which verified webhooks count: "certn" (partner API) or "certncentric".',
);

const MatchSelectorSchema = v.pipe(
  v.string(),
  v.check(
    (selector) => eventSelectorProblem(selector) === null,
    (issue) => `match: ${eventSelectorProblem(String(issue.input)) ?? "invalid selector"}`,
  ),
  v.metadata({ pattern: String.raw`^\$` }),
);

const MatchValueSchema = v.string((issue) => {
  const input = issue.input;
  const hint =
    typeof input === "number" || typeof input === "boolean" ? `; quote it: "${String(input)}"` : "";
  return `a match value must be a string, usually a template such as "{{caseId}}" (got ${describeValue(input)})${hint}`;
});

const MATCH_SIZE = `match must hold 1 to ${MAX_MATCH_ENTRIES} selectors`;

const MatchSchema = v.pipe(
  record("match", MatchSelectorSchema, MatchValueSchema),
  v.minEntries(1, `${MATCH_SIZE}, for example { "$.object_id": "{{caseId}}" } (got an empty object)`),
  v.maxEntries(MAX_MATCH_ENTRIES, (issue) => {
    const count =
      typeof issue.input === "object" && issue.input !== null ? Object.keys(issue.input).length : 0;
    return `${MATCH_SIZE} (got ${count})`;
  }),
  v.description(
    "Singular JSONPath selector over the event body (starting with $, names and indexes only, at most 256 characters) to a string template: an event counts when every selector selects exactly one value whose text equals the expanded template.",
  ),
);

const MATCH_HINTS = {
  webhook: '"certn" or "certncentric"',
  match:
    'Singular JSONPath selectors (names and indexes only) to templates, for example { "$.object_id": "{{caseId}}" }',
};

/** `poll.wakeOn`: re-send the request as soon as a matching webhook arrives. */
export const WakeOnSchema = v.pipe(
  strictObject(
    { label: "wakeOn", requiredHints: MATCH_HINTS },
    { webhook: WebhookSchema, match: MatchSchema },
  ),
  v.description(
    "Re-send the request as soon as a matching verified webhook arrives, and at the latest after intervalMs. Without a source of webhook events, polling simply keeps its interval.",
  ),
);

/** The `wait` of a wait item: one matching webhook event, for at most `timeoutMs`. */
export const WaitSchema = v.pipe(
  strictObject(
    {
      label: "wait",
      requiredHints: {
        ...MATCH_HINTS,
        timeoutMs: `how long to wait, in ms (1 to ${MAX_WAIT_MS}, 30 days); then the item fails with CERTN_WAIT_TIMEOUT`,
      },
    },
    {
      webhook: WebhookSchema,
      match: MatchSchema,
      timeoutMs: integerIn(
        "timeoutMs",
        1,
        MAX_WAIT_MS,
        "How long to wait for the event, in ms (at most 30 days); then the item fails with CERTN_WAIT_TIMEOUT.",
      ),
    },
  ),
  v.description("The webhook event to wait for, and for how long."),
);
