/**
 * The CLI's webhook receiver, on web standards (`Request` in, `Response` out): it checks each
 * delivery's signature with the library's own verifiers, answers CertnCentric's endpoint
 * challenge, and hands each verified event to the run's hub once (a repeated delivery, known by
 * the event id the Worker de-duplicates on too, is answered without being handed on, so one
 * delivery never satisfies two waits). The same handler serves
 * `--webhook-port` (over node:http) and the embedded simulator's deliveries (in-process), so both
 * take the path a real receiver takes. The webhook helpers are imported on demand; nothing here
 * ever logs a body, a signature or a secret.
 */
import type { WebhookSource } from "../collection/model.ts";
import type { JsonValue } from "../core/json.ts";

/** The route of each webhook source. */
export const WEBHOOK_PATHS: Readonly<Record<WebhookSource, string>> = {
  certn: "/webhooks/certn",
  certncentric: "/webhooks/certncentric",
};

/** The environment variable holding each route's signing secret. */
export const WEBHOOK_SECRET_VARIABLES: Readonly<Record<WebhookSource, string>> = {
  certn: "CERTN_WEBHOOK_SECRET",
  certncentric: "CERTN_CENTRIC_WEBHOOK_SECRET",
};

/** The largest webhook body accepted, in bytes (a larger one is answered 413). */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

/** Most event ids a receiver remembers to know a repeat (the oldest are forgotten first). */
export const MAX_SEEN_EVENT_IDS = 10_000;

/** Each route's signing secret; a route without one is off (503). */
export type WebhookSecrets = Partial<Record<WebhookSource, string>>;

/** Where verified events go (a runner's `WebhookHub`). */
export interface WebhookSink {
  deliver(webhook: WebhookSource, body: JsonValue): void;
}

/** Answers one webhook request. Never throws on what the sender controls. */
export type WebhookHandler = (request: Request) => Promise<Response>;

const SOURCES: readonly WebhookSource[] = ["certn", "certncentric"];

/** The secrets set in `env` (an empty value counts as unset). */
export function webhookSecretsFrom(env: Readonly<Record<string, string | undefined>>): WebhookSecrets {
  const secrets: WebhookSecrets = {};
  for (const source of SOURCES) {
    const value = env[WEBHOOK_SECRET_VARIABLES[source]];
    if (value !== undefined && value !== "") secrets[source] = value;
  }
  return secrets;
}

function text(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(`${body}\n`, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

function sourceOf(pathname: string): WebhookSource | undefined {
  const path = pathname.length > 1 && pathname.endsWith("/") ? pathname.slice(0, -1) : pathname;
  return SOURCES.find((source) => WEBHOOK_PATHS[source] === path);
}

/** The request body, or undefined when it is over {@link MAX_WEBHOOK_BODY_BYTES}. */
async function limitedBody(request: Request): Promise<Uint8Array | undefined> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_WEBHOOK_BODY_BYTES) return undefined;
  const bytes = new Uint8Array(await request.arrayBuffer());
  return bytes.byteLength > MAX_WEBHOOK_BODY_BYTES ? undefined : bytes;
}

/**
 * The receiver: `POST /webhooks/certn` (`Certn-Signature`, with the default 300 s replay window)
 * and `POST /webhooks/certncentric` (`X-Signature`; `GET ?challenge=` is echoed, `HEAD` answered
 * alike without a body). Answers 404 for any other path, 503 on a route without a secret, 405 for
 * another method, 413 for a body over 1 MB, 401 for a missing or wrong signature (nothing
 * delivered), 400 for a signed body that is not JSON, 200 once the event went to `sink`, and 200
 * without delivering it for a repeat of an event delivered before (by its `webhookEventId`).
 */
export async function createWebhookHandler(
  sink: WebhookSink,
  secrets: WebhookSecrets,
): Promise<WebhookHandler> {
  const hooks = await import("../webhooks/index.ts");
  // Ids of the events delivered, by source, in the order they came (a Set keeps it).
  const seen: Record<WebhookSource, Set<string>> = { certn: new Set(), certncentric: new Set() };
  return async (request) => {
    let pathname: string;
    try {
      pathname = new URL(request.url).pathname;
    } catch {
      return text(400, "bad request");
    }
    const source = sourceOf(pathname);
    if (source === undefined) return text(404, "not found");
    const secret = secrets[source];
    if (secret === undefined) {
      return text(
        503,
        `this route is off: ${WEBHOOK_SECRET_VARIABLES[source]} was not set when the run started`,
      );
    }
    if (source === "certncentric") {
      const challenge = hooks.answerCertnCentricChallenge(request);
      if (challenge !== null) return challenge;
    }
    if (request.method !== "POST") {
      return text(405, "method not allowed", {
        allow: source === "certncentric" ? "GET, HEAD, POST" : "POST",
      });
    }
    const body = await limitedBody(request);
    if (body === undefined) return text(413, `body over ${MAX_WEBHOOK_BODY_BYTES} bytes`);
    const verified =
      source === "certn"
        ? await hooks.verifyCertnSignature({
            header: request.headers.get(hooks.CERTN_SIGNATURE_HEADER),
            body,
            secret,
          })
        : await hooks.verifyCertnCentricSignature({
            header: request.headers.get(hooks.CERTN_CENTRIC_SIGNATURE_HEADER),
            body,
            secret,
          });
    // The reason names what was wrong ("signature-mismatch"...), never the values compared.
    if (!verified.ok) return text(401, verified.reason);
    let event: JsonValue;
    try {
      event = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body)) as JsonValue;
    } catch {
      return text(400, "the body is not JSON");
    }
    // A repeat (Certn retries a delivery it got no 2xx for; a captured one can be posted again) is
    // answered as received, and not handed on: it would satisfy a second wait.
    const eventId = await hooks.webhookEventId(source, body);
    const known = seen[source];
    if (known.has(eventId)) return text(200, "duplicate");
    known.add(eventId);
    if (known.size > MAX_SEEN_EVENT_IDS) known.delete(known.values().next().value as string);
    sink.deliver(source, event);
    return text(200, "ok");
  };
}
