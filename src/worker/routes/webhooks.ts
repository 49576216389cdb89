/**
 * Certn's webhooks: `POST /webhooks/certn` (partner API, `Certn-Signature`, secret
 * `CERTN_WEBHOOK_SECRET`) and `POST /webhooks/certncentric` (`X-Signature`, secret
 * `CERTN_CENTRIC_WEBHOOK_SECRET`; `GET` and `HEAD` answer the endpoint-verification challenge),
 * each with or without a trailing slash. No caller JWT: the signature is the authentication,
 * checked by the library's verifiers before anything is stored. A verified event is stored once by
 * its id (personal values masked, the values masked kept only as keyed digests), and handed to the
 * open wait of each durable run it matches (`sendEvent`) before the answer, within
 * {@link HANDOFF_BUDGET_MS}: a hand-off that fails is answered 503, so Certn delivers it again; one
 * that takes longer finishes after the answer. A repeat offers the stored event again only while
 * an earlier hand-off of it has not completed.
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
  webhookEventId,
} from "../../webhooks/index.ts";
import { limitBody } from "../body.ts";
import type { DurableRunParams } from "../env.ts";
import { configError, WorkerError } from "../errors.ts";
import { errorKind, type Logger } from "../log.ts";
import { pruneExpired } from "../store/retention.ts";
import { type OpenWait, openWaitsFor, WAITS_PAGE } from "../store/waits.ts";
import {
  MAX_WEBHOOK_EVENT_AGE_MS,
  offerCompleted,
  pendingOffer,
  storeWebhookEvent,
} from "../store/webhook-events.ts";
import { claimWait, releaseClaim } from "../store/webhook-takes.ts";
import { EventComparison, maskedValueDigests, matchKey } from "../wait-match.ts";
import { type AppContext, type AppEnv, afterAnswer, json, type RouteDeps } from "./context.ts";
import { methodNotAllowed } from "./method-not-allowed.ts";

/** Largest webhook body accepted, in bytes (Certn's are a few KB). */
export const MAX_WEBHOOK_BYTES = 256 * 1024;

/**
 * How long a delivery's hand-off to the waiting runs may hold its answer: Certn waits 10 s, and
 * retries only an answer that is not 2xx, so a hand-off that fails within this is answered 503 and
 * delivered again; one still going past it is answered 200 and finishes after the answer.
 */
export const HANDOFF_BUDGET_MS = 4_000;

/**
 * What `sendEvent` hands a waiting run: the event id and its (masked) body as JSON text; or, from
 * `POST /runs/:id/cancel`, `cancel: true` (the run stops instead of waiting on).
 */
export interface WebhookEventPayload {
  eventId: string;
  json: string;
  cancel?: boolean;
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

/** An event offered to the open waits: what the runs get, and what the waits are compared with. */
export interface OfferedEvent {
  eventId: string;
  /** The body the runs get: as stored, personal values masked. */
  body: JsonValue;
  /** The event as the waits compare it: as it arrived (in memory), or as stored with its digests. */
  comparison: EventComparison;
}

/** How a hand-off went: the runs that got the event, and those it could not be handed to. */
export interface HandOff {
  woken: number;
  failed: number;
}

/**
 * Hands an event to the open wait of each run of `source` it matches: the wait is claimed for it
 * and the take recorded first, in one transaction (so a wait gets one event, and a run takes an
 * event once), then the run's instance gets it as an event of the wait's type; a hand-off that
 * fails gives the claim and the take back, so the run's next look at stored events, or a repeat of
 * the delivery, can still take it. A wait claimed for another event is passed by: this event stays
 * untaken by that run, for its next wait.
 */
export async function wakeWaitingRuns(
  db: D1Database,
  runs: Workflow<DurableRunParams>,
  source: WebhookSource,
  event: OfferedEvent,
  log: Logger,
): Promise<HandOff> {
  const now = Date.now();
  const handOff: HandOff = { woken: 0, failed: 0 };
  // Page by page: memory stays one page however many runs wait. Match selectors are singular
  // queries (a step per name), and each selected text and digest is made once for all the waits.
  for (
    let page = await openWaitsFor(db, source, now, event.eventId);
    page.length > 0;
    page =
      page.length < WAITS_PAGE
        ? []
        : await openWaitsFor(db, source, now, event.eventId, page[page.length - 1])
  ) {
    for (const wait of page) {
      if (!(await event.comparison.matches(wait.match))) continue;
      if ((await claimWait(db, wait, source, event.eventId, now)) === "lost") continue;
      if (await handToRun(db, runs, source, event, wait, log)) handOff.woken += 1;
      else handOff.failed += 1;
    }
  }
  return handOff;
}

/** Sends the event to the waiting run's instance; on failure gives its claim back. True when sent. */
async function handToRun(
  db: D1Database,
  runs: Workflow<DurableRunParams>,
  source: WebhookSource,
  event: OfferedEvent,
  wait: OpenWait,
  log: Logger,
): Promise<boolean> {
  try {
    const instance = await runs.get(wait.runId);
    const payload: WebhookEventPayload = { eventId: event.eventId, json: JSON.stringify(event.body) };
    await instance.sendEvent({ type: wait.eventType, payload });
    return true;
  } catch (error) {
    log("warn", "webhook not delivered to a run", { runId: wait.runId, error: errorKind(error) });
  }
  // A claim kept for an event the run never got would leave its wait unwoken until its timeout.
  // (A send that failed after the engine had the event may then be sent twice; a lost event costs
  // more.) Should the release fail as well, the run misses this event.
  try {
    await releaseClaim(db, wait, source, event.eventId);
  } catch (error) {
    log("error", "webhook claim not released", { runId: wait.runId, error: errorKind(error) });
  }
  return false;
}

/**
 * Offers the event to the waiting runs, then notes its hand-off complete when every run it
 * matched got it; a failure leaves it pending, so a repeat of the delivery offers it again.
 */
async function offer(
  db: D1Database,
  runs: Workflow<DurableRunParams>,
  source: WebhookSource,
  event: OfferedEvent,
  log: Logger,
): Promise<HandOff> {
  const handOff = await wakeWaitingRuns(db, runs, source, event, log);
  if (handOff.failed === 0) await offerCompleted(db, source, event.eventId);
  return handOff;
}

/** Resolves with how `work` ended, or with undefined once `ms` pass first. */
async function within<T>(
  work: Promise<T>,
  ms: number,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown } | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([
      work.then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * About one delivery in a hundred sweeps what is past its retention (bounded batches), after the
 * answer, so storage stays bounded even where no Cron Trigger is configured.
 */
async function sweep(db: D1Database, now: number, log: Logger): Promise<void> {
  try {
    await pruneExpired(db, now);
  } catch (error) {
    log("error", "webhook retention sweep failed", { error: errorKind(error) });
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
    const eventId = await webhookEventId(source, raw);
    const now = Date.now();
    // A signed event this old can only be a replay (ids are kept 180 days, Certn retries for hours):
    // answered 200 so nothing retries it, and neither kept nor handed to a run.
    const createdAt = createdAtOf(source, parsed);
    if (createdAt !== undefined && now - createdAt > MAX_WEBHOOK_EVENT_AGE_MS) {
      deps.log("warn", "webhook refused as stale", { source, eventId, createdAt });
      return json({ received: true, stale: true });
    }
    // Partner payloads are whole applicants: personal values are masked before anything is kept,
    // and what the masking replaced is kept only as keyed digests, for waits that match on it.
    const body = maskPersonal(parsed) as JsonValue;
    const key = await matchKey(c.env, source);
    // Without the Workflow binding no run can be waiting: the event is only kept.
    const runs = c.env.RUNS;
    const stored = await storeWebhookEvent(
      db,
      source,
      eventId,
      {
        body: JSON.stringify(body),
        digests: await maskedValueDigests(parsed, body, key),
        offerPending: runs !== undefined,
      },
      now,
    );
    if (stored) deps.log("info", "webhook stored", { source });
    if (Math.random() < 0.01) await afterAnswer(c, sweep(db, now, deps.log));
    if (runs === undefined) return json({ received: true, duplicate: !stored });
    // A new event is compared as it arrived (in memory only). A repeat is offered again only while
    // an earlier hand-off of it has not completed, from what was stored (never the repeat's body,
    // and nothing once that is past its 7 days): the runs that took it are passed by.
    let event: OfferedEvent | undefined;
    if (stored) {
      event = { eventId, body, comparison: new EventComparison(parsed, key) };
    } else {
      const pending = await pendingOffer(db, source, eventId, now);
      if (pending !== undefined) {
        const comparison = new EventComparison(pending.body, key, pending.digests);
        event = { eventId, body: pending.body as JsonValue, comparison };
      }
    }
    if (event === undefined) return json({ received: true, duplicate: true });
    const handOff = offer(db, runs, source, event, deps.log);
    const outcome = await within(handOff, HANDOFF_BUDGET_MS);
    if (outcome === undefined) {
      // Past the budget: answered now, so Certn does not give up on it; a failure from here on is
      // found by the run's next look at stored events (a long wait looks again now and then).
      await afterAnswer(
        c,
        handOff.then(
          () => undefined,
          (error: unknown) =>
            deps.log("error", "webhook hand-off failed", { source, error: errorKind(error) }),
        ),
      );
      return json({ received: true, duplicate: !stored });
    }
    if (!outcome.ok || outcome.value.failed > 0) {
      // Certn delivers it again (it retries an answer that is not 2xx): the repeat offers it to
      // the waits it could not reach; the runs that got it are passed by.
      if (!outcome.ok)
        deps.log("error", "webhook hand-off failed", { source, error: errorKind(outcome.error) });
      return json({ received: true, duplicate: !stored, handedOff: false }, 503, { "retry-after": "60" });
    }
    return json({ received: true, duplicate: !stored });
  };

  const challenge = (c: AppContext): Response | Promise<Response> =>
    answerCertnCentricChallenge(c.req.raw) ?? c.notFound();

  // Counted as it streams in: a body over the cap is refused before it is held in memory.
  app.use(limitBody(MAX_WEBHOOK_BYTES));
  // Each route with and without a trailing slash: a URL set up either way reaches it.
  for (const path of ["/certn", "/certn/"]) {
    app.post(path, receive("certn"));
    methodNotAllowed(app, path, "POST");
  }
  for (const path of ["/certncentric", "/certncentric/"]) {
    app.get(path, challenge);
    app.post(path, receive("certncentric"));
    methodNotAllowed(app, path, "GET, HEAD, POST");
  }
  return app;
}
