/**
 * Certn's webhooks: `POST /webhooks/certn` (partner API, `Certn-Signature`, secret
 * `CERTN_WEBHOOK_SECRET`) and `POST /webhooks/certncentric` (`X-Signature`, secret
 * `CERTN_CENTRIC_WEBHOOK_SECRET`; `GET` answers the endpoint-verification challenge). No caller
 * JWT: the signature is the authentication, checked by the library's verifiers before anything is
 * stored. A verified event is stored once by its id (personal values masked), answered 200, and
 * handed to every open wait of a durable run it matches (`sendEvent`), after the answer; a repeat
 * of it offers the stored event again to the waits that have not taken it.
 */
import { Hono } from "hono";
import type { WebhookSource } from "../../collection/model.ts";
import type { JsonValue } from "../../core/json.ts";
import { maskPersonal } from "../../runner/index.ts";
import {
  answerCertnCentricChallenge,
  CERTN_CENTRIC_SIGNATURE_HEADER,
  CERTN_SIGNATURE_HEADER,
  verifyCertnCentricSignature,
  verifyCertnSignature,
} from "../../webhooks/index.ts";
import { limitBody } from "../body.ts";
import type { DurableRunParams } from "../env.ts";
import { configError, WorkerError } from "../errors.ts";
import { errorKind, type Logger } from "../log.ts";
import { pruneExpired } from "../store/retention.ts";
import { type OpenWait, openWaitsFor, WAITS_PAGE } from "../store/waits.ts";
import { MAX_WEBHOOK_EVENT_AGE_MS, storeWebhookEvent, takeableEventBody } from "../store/webhook-events.ts";
import { recordTake, releaseTake } from "../store/webhook-takes.ts";
import { EventComparison, matchKey } from "../wait-match.ts";
import { type AppContext, type AppEnv, afterAnswer, json, type RouteDeps } from "./context.ts";
import { methodNotAllowed } from "./method-not-allowed.ts";

/** Largest webhook body accepted, in bytes (Certn's are a few KB). */
export const MAX_WEBHOOK_BYTES = 256 * 1024;

/**
 * What `sendEvent` hands a waiting run: the event id and its (masked) body as JSON text; or, from
 * `POST /runs/:id/cancel`, `cancel: true` (the run stops instead of waiting on).
 */
export interface WebhookEventPayload {
  eventId: string;
  json: string;
  cancel?: boolean;
}

/** The event id: CertnCentric's `id` / `event_id`; for the partner API (whose payload is the applicant) a hash of the body. */
async function eventIdOf(source: WebhookSource, body: unknown, raw: Uint8Array): Promise<string> {
  if (source === "certncentric" && typeof body === "object" && body !== null) {
    const record = body as Record<string, unknown>;
    for (const key of ["id", "event_id"]) {
      const value = record[key];
      if (typeof value === "string" && value !== "") return value.slice(0, 200);
    }
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(raw)));
  return `sha256:${Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

/** A date as ISO 8601 text begins; only such text is read as one (Date.parse reads "0" as 2000). */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]|$)/;

/**
 * When a CertnCentric event says it was created (`created`, or `created_at`: ISO 8601 text, or a
 * Unix time in seconds or milliseconds), in ms since the epoch; undefined when it does not say.
 */
function createdAtOf(source: WebhookSource, body: unknown): number | undefined {
  if (source !== "certncentric" || typeof body !== "object" || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const value = record.created ?? record.created_at;
  let at = Number.NaN;
  if (typeof value === "string" && ISO_DATE.test(value)) at = Date.parse(value);
  else if (typeof value === "number") at = value < 1e11 ? value * 1000 : value;
  return Number.isFinite(at) ? at : undefined;
}

/** Verifies the request's signature; 401 (nothing stored) when it does not verify, 503 without a secret. */
async function verified(c: AppContext, source: WebhookSource, raw: Uint8Array): Promise<void> {
  const secret = source === "certn" ? c.env.CERTN_WEBHOOK_SECRET : c.env.CERTN_CENTRIC_WEBHOOK_SECRET;
  const name = source === "certn" ? "CERTN_WEBHOOK_SECRET" : "CERTN_CENTRIC_WEBHOOK_SECRET";
  if (secret === undefined || secret === "")
    throw configError(`${name} is not set: webhooks cannot be verified`);
  const result =
    source === "certn"
      ? await verifyCertnSignature({ header: c.req.header(CERTN_SIGNATURE_HEADER), body: raw, secret })
      : await verifyCertnCentricSignature({
          header: c.req.header(CERTN_CENTRIC_SIGNATURE_HEADER),
          body: raw,
          secret,
        });
  if (!result.ok) {
    throw new WorkerError("INVALID_SIGNATURE", `the webhook's signature does not verify (${result.reason})`);
  }
}

/** The body's bytes; {@link limitBody} on the routes has already refused one over the cap unread. */
async function readRaw(request: Request): Promise<Uint8Array> {
  return new Uint8Array(await request.arrayBuffer());
}

/**
 * Hands a stored event to every open wait of `source` it matches: the take is recorded first (so a
 * run takes an event once), then the run's instance gets it as an event of the wait's type; a
 * hand-off that fails gives the take back, so a repeat of the delivery can still wake that run.
 */
export async function wakeWaitingRuns(
  db: D1Database,
  runs: Workflow<DurableRunParams>,
  source: WebhookSource,
  payload: { eventId: string; body: JsonValue },
  key: CryptoKey,
  log: Logger,
): Promise<number> {
  const now = Date.now();
  let woken = 0;
  // Match selectors are singular queries (a step per name), and each selected text and digest is
  // made once for all the waits: one delivery costs a few steps a wait.
  const comparison = new EventComparison(payload.body, key);
  // Page by page: memory stays one page however many runs wait.
  for (
    let page = await openWaitsFor(db, source, now);
    page.length > 0;
    page = page.length < WAITS_PAGE ? [] : await openWaitsFor(db, source, now, page[page.length - 1])
  ) {
    woken += await wakePage(db, runs, source, payload, page, now, comparison, log);
  }
  return woken;
}

/** Hands the event to the waits of one page it matches; how many runs got it. */
async function wakePage(
  db: D1Database,
  runs: Workflow<DurableRunParams>,
  source: WebhookSource,
  payload: { eventId: string; body: JsonValue },
  page: readonly OpenWait[],
  now: number,
  comparison: EventComparison,
  log: Logger,
): Promise<number> {
  let woken = 0;
  for (const wait of page) {
    if (!(await comparison.matches(wait.match))) continue;
    if (!(await recordTake(db, wait.runId, source, payload.eventId, now))) continue;
    if (await handToRun(db, runs, source, payload, wait, log)) woken += 1;
  }
  return woken;
}

/** Sends the event to the waiting run's instance; on failure gives its take back. True when sent. */
async function handToRun(
  db: D1Database,
  runs: Workflow<DurableRunParams>,
  source: WebhookSource,
  payload: { eventId: string; body: JsonValue },
  wait: OpenWait,
  log: Logger,
): Promise<boolean> {
  try {
    const instance = await runs.get(wait.runId);
    const event: WebhookEventPayload = { eventId: payload.eventId, json: JSON.stringify(payload.body) };
    await instance.sendEvent({ type: wait.eventType, payload: event });
    return true;
  } catch (error) {
    log("warn", "webhook not delivered to a run", { runId: wait.runId, error: errorKind(error) });
  }
  // A take kept for an event the run never got would pass the run by on Certn's repeat: it would
  // wait until its timeout. (A send that failed after the engine had the event may then be sent
  // twice; a lost event costs more.) Should the release fail as well, the run misses this event.
  try {
    await releaseTake(db, wait.runId, source, payload.eventId);
  } catch (error) {
    log("error", "webhook take not released", { runId: wait.runId, error: errorKind(error) });
  }
  return false;
}

/**
 * After the answer to Certn: offers the event (`offered`, read then) to the waiting runs, and
 * about one delivery in a hundred sweeps what is past its retention (bounded batches), so storage
 * stays bounded even where no Cron Trigger is configured.
 */
async function handOn(
  c: AppContext,
  deps: RouteDeps,
  delivery: { db: D1Database; source: WebhookSource; eventId: string; now: number },
  offered: () => Promise<JsonValue | undefined>,
): Promise<void> {
  const { db, source, eventId, now } = delivery;
  try {
    // Without the Workflow binding no run can be waiting: the event is only kept.
    const runs = c.env.RUNS;
    const body = runs === undefined ? undefined : await offered();
    if (runs !== undefined && body !== undefined) {
      const key = await matchKey(c.env, source);
      await wakeWaitingRuns(db, runs, source, { eventId, body }, key, deps.log);
    }
    if (Math.random() < 0.01) await pruneExpired(db, now);
  } catch (error) {
    deps.log("error", "webhook fan-out failed", { source, error: errorKind(error) });
  }
}

/** The webhook routes, to mount at `/webhooks`. */
export function webhookRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const receive = (source: WebhookSource) => async (c: AppContext) => {
    const raw = await readRaw(c.req.raw);
    await verified(c, source, raw);
    const db: D1Database | undefined = c.env.DB;
    if (db === undefined) throw configError("webhooks need the DB binding (D1); see wrangler.toml");
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(raw));
    } catch {
      throw new WorkerError("INVALID_JSON", "the webhook body is not JSON");
    }
    const eventId = await eventIdOf(source, parsed, raw);
    const now = Date.now();
    // A signed event this old can only be a replay (ids are kept 180 days, Certn retries for hours):
    // answered 200 so nothing retries it, and neither kept nor handed to a run.
    const createdAt = createdAtOf(source, parsed);
    if (createdAt !== undefined && now - createdAt > MAX_WEBHOOK_EVENT_AGE_MS) {
      deps.log("warn", "webhook refused as stale", { source, eventId, createdAt });
      return json({ received: true, stale: true });
    }
    // Partner payloads are whole applicants: personal values are masked before anything is kept.
    const body = maskPersonal(parsed) as JsonValue;
    const stored = await storeWebhookEvent(db, source, eventId, JSON.stringify(body), now);
    if (stored) deps.log("info", "webhook stored", { source });
    // A repeat is offered again, from what was stored (never the repeat's body, and nothing once
    // that is past its 7 days), to the waits that have not taken it: a run whose hand-off failed
    // gets the event on Certn's next delivery; runs that took it are passed by.
    const offered = async (): Promise<JsonValue | undefined> =>
      stored ? body : ((await takeableEventBody(db, source, eventId, now)) as JsonValue | undefined);
    await afterAnswer(c, handOn(c, deps, { db, source, eventId, now }, offered));
    return json({ received: true, duplicate: !stored });
  };

  // Counted as it streams in: a body over the cap is refused before it is held in memory.
  app.use(limitBody(MAX_WEBHOOK_BYTES));
  app.post("/certn", receive("certn"));
  app.get("/certncentric", (c) => answerCertnCentricChallenge(c.req.raw) ?? c.notFound());
  app.post("/certncentric", receive("certncentric"));
  methodNotAllowed(app, "/certn", "POST");
  methodNotAllowed(app, "/certncentric", "GET, HEAD, POST");
  return app;
}
