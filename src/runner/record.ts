/**
 * Builds the redacted parts of an item result: request, response, assertion results, captures.
 * Everything that enters a result passes through here, so redaction happens in one place.
 */
import type { RawAssertionResult } from "../assert/evaluate.ts";
import type { ResponseView } from "../assert/response-view.ts";
import type { Transport } from "../core/transport-types.ts";
import {
  createRedactor,
  isPersonalKey,
  maskPersonal,
  maskPersonalText,
  PERSONAL_PLACEHOLDER,
  personalFieldValues,
  personalValuesOf,
  type Redactor,
  redactAssertionValue,
  redactExpectedValue,
  redactHeaders,
  toJsonValue,
  truncateValue,
} from "../results/redact.ts";
import { NOT_SHOWN, type ReportBudget } from "../results/report-budget.ts";
import type { AssertionResult, ItemResult, JsonValue } from "../results/result.ts";
import type { BuiltRequest } from "./build-request.ts";

/**
 * The redactor of a run: its declared secrets, and the transport's own credentials (client
 * secret, Basic form, API key, every access token it attaches, refreshed ones included) through
 * `Transport.maskSecrets`, asked afresh for every text so a token obtained mid-run counts at once.
 */
export function runRedactor(client: Transport, secrets: Iterable<string>): Redactor {
  const maskSecrets = typeof client.maskSecrets === "function" ? client.maskSecrets : undefined;
  return createRedactor(secrets, maskSecrets ? { mask: (text) => maskSecrets.call(client, text) } : {});
}

/**
 * The redactor one iteration records through: the run's, plus the values its variables and data
 * row hold under personal names (`{{email}}` sent in a URL path stays out of the report). Its
 * captures add to it; other iterations never see those.
 */
export function iterationRedactor(
  run: Redactor,
  variableLayers: ReadonlyArray<Readonly<Record<string, unknown>> | undefined>,
): Redactor {
  const redactor = run.fork();
  for (const layer of variableLayers)
    if (layer !== undefined) redactor.addPersonal(personalFieldValues(layer));
  return redactor;
}

/** Largest reported body (with `includeBodies`), in bytes of its JSON form. */
export const MAX_REPORTED_BODY_BYTES = 64 * 1024;

/** A URL for a report: personal query values masked, secrets replaced. */
export function reportUrl(url: URL, redactor: Redactor): string {
  const href = url.href;
  let masked = maskedUrls.get(url);
  // A `URL` can be changed in place: the text is reused only for the address it was made from.
  if (masked?.href !== href) {
    masked = { href, text: maskUrl(url) };
    maskedUrls.set(url, masked);
  }
  return redactor.text(masked.text);
}

/**
 * Each URL's masked text, worked out once: a bodiless item's request (and its URL) is reused while
 * its templates expand the same, so most runs mask a few URLs, many times. Keyed by the object, so
 * nothing here outlives the request.
 */
const maskedUrls = new WeakMap<URL, { href: string; text: string }>();

/** A URL as text with its personal query values and identity-number-shaped parts masked. */
function maskUrl(url: URL): string {
  const query = url.search.slice(1);
  let masked = url.search;
  if (query !== "") {
    masked = `?${query
      .split("&")
      .map((pair) => {
        const [rawKey = "", ...rest] = pair.split("=");
        let key = rawKey;
        try {
          key = decodeURIComponent(rawKey.replace(/\+/g, " "));
        } catch {
          // Keep the raw key; it is only compared against the personal names.
        }
        return isPersonalKey(key) && rest.length > 0 ? `${rawKey}=${PERSONAL_PLACEHOLDER}` : pair;
      })
      .join("&")}`;
  }
  return maskPersonalText(`${url.origin}${url.pathname}${masked}`);
}

function reportBody(value: unknown, redactor: Redactor): JsonValue | undefined {
  const json = toJsonValue(redactor.value(maskPersonal(value)));
  return json === undefined ? undefined : truncateValue(json, MAX_REPORTED_BODY_BYTES);
}

/** The `request` of an item result. */
export function reportRequest(
  built: BuiltRequest,
  redactor: Redactor,
  includeBodies: boolean,
): NonNullable<ItemResult["request"]> {
  const out: NonNullable<ItemResult["request"]> = {
    method: built.method,
    url: reportUrl(built.url, redactor),
  };
  if (includeBodies) {
    const headers = redactHeaders(new Headers(built.headers), redactor);
    out.headers = maskPersonal(headers) as Record<string, string>;
    const body = built.body === undefined ? undefined : reportBody(built.body, redactor);
    if (body !== undefined) out.body = body;
  }
  return out;
}

/** The `response` of an item result. */
export function reportResponse(
  view: ResponseView,
  redactor: Redactor,
  includeBodies: boolean,
): NonNullable<ItemResult["response"]> {
  const out: NonNullable<ItemResult["response"]> = { status: view.status, durationMs: view.durationMs };
  if (includeBodies) {
    out.headers = redactHeaders(view.headers, redactor);
    const { withheld } = view.body;
    const body =
      withheld !== undefined
        ? `[body not shown: ${withheld}]`
        : reportBody(view.body.json.ok ? view.body.json.value : view.body.text, redactor);
    if (body !== undefined) out.body = body;
  }
  return out;
}

/** Redacts free text that may quote values (messages). */
export function reportText(text: string, redactor: Redactor): string {
  return redactor.text(maskPersonalText(text));
}

/**
 * An assertion result for a report: values masked (by the paths the selector selected, when it
 * was a JSONPath), secrets replaced, values cut to 1 KB; a value past what `budget` (the
 * response's) has left is shown as {@link NOT_SHOWN}.
 */
export function reportAssertion(
  raw: RawAssertionResult,
  redactor: Redactor,
  budget: ReportBudget,
): AssertionResult {
  const out: AssertionResult = { that: redactor.text(raw.that), op: raw.op, passed: raw.passed };
  if (raw.name !== undefined) out.name = redactor.text(raw.name);
  const expected = affordable(raw.expected, budget, () =>
    redactExpectedValue(raw.expected, raw.that, redactor, raw.actualPaths),
  );
  if (expected !== undefined) out.expected = expected;
  const actual = affordable(raw.actual, budget, () =>
    redactAssertionValue(raw.actual, raw.that, redactor, raw.actualPaths),
  );
  if (actual !== undefined) out.actual = actual;
  if (raw.message !== undefined) out.message = reportText(raw.message, redactor);
  return out;
}

/**
 * A captured value for a report. The value itself stays as it was in the iteration's variables
 * (requests must send it); what it holds under personal paths is remembered by `redactor`, so it
 * is masked wherever it shows up later in this iteration's results (URLs, bodies, `var` values).
 */
export function recordCapture(
  name: string,
  selector: string,
  value: unknown,
  redactor: Redactor,
  paths: readonly string[] | undefined,
  budget: ReportBudget,
): JsonValue {
  // The target's name counts like a selector's last member: a capture into `email` is personal.
  const personalName = isPersonalKey(name);
  redactor.addPersonal(personalValuesOf(value, personalName ? `var ${name}` : selector, paths));
  if (personalName) return PERSONAL_PLACEHOLDER;
  return affordable(value, budget, () => redactAssertionValue(value, selector, redactor, paths)) ?? null;
}

/** A value's redacted form, or {@link NOT_SHOWN} once the response's report budget cannot pay for it. */
function affordable(
  value: unknown,
  budget: ReportBudget,
  redact: () => JsonValue | undefined,
): JsonValue | undefined {
  if (value === undefined) return undefined;
  return budget.afford(value) ? redact() : NOT_SHOWN;
}
