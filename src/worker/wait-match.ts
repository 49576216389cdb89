/**
 * What a wait's row in D1 keeps of its match. The receivers must compare each event with it, but
 * a match may hold a secret or a personal value (`{"$.reference": "{{secretRef}}"}`), and no D1
 * row holds either: a value the runner's masking changes is kept as a keyed digest, HMAC-SHA256
 * under a key derived by HKDF from the source's webhook secret (which the run and the receiver
 * both hold), and compared by digesting what the event's selector selects. Other values (case
 * ids, statuses) stay as they are, so they survive a rotated webhook secret.
 */
import type { WebhookSource } from "../collection/model.ts";
import { bytesToBase64 } from "../core/base64.ts";
import { setOwn } from "../core/json.ts";
import { eventMatches, eventText, type WebhookWait } from "../runner/index.ts";
import type { Env } from "./env.ts";

/** A match as a wait's row keeps it: `clear` values as they are, `keyed` ones as digests. */
export interface StoredMatch {
  clear: Record<string, string>;
  keyed: Record<string, string>;
}

const SALT = new TextEncoder().encode("certn-edge/wait-match");
const INFO = new TextEncoder().encode("certn-edge wait match v1 hmac-sha256");

/**
 * The last key derived per source, once derived: only the resolved key is kept between requests,
 * never a promise one request made and another would wait on (a Worker request's pending work
 * belongs to it).
 */
const derived = new Map<WebhookSource, { secret: string; key: CryptoKey }>();

/**
 * The key a source's keyed match values are digested under; a random one (which nothing can
 * match) when the source has no webhook secret, since then no event of it is ever accepted.
 */
export async function matchKey(env: Env, source: WebhookSource): Promise<CryptoKey> {
  const secret = source === "certn" ? env.CERTN_WEBHOOK_SECRET : env.CERTN_CENTRIC_WEBHOOK_SECRET;
  if (secret === undefined || secret === "") {
    return (await crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, ["sign"])) as CryptoKey;
  }
  const cached = derived.get(source);
  if (cached?.secret === secret) return cached.key;
  const material = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), "HKDF", false, [
    "deriveKey",
  ]);
  const key = await crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: SALT, info: INFO },
    material,
    { name: "HMAC", hash: "SHA-256", length: 256 },
    false,
    ["sign"],
  );
  derived.set(source, { secret, key });
  return key;
}

async function digest(key: CryptoKey, text: string): Promise<string> {
  const input = new TextEncoder().encode(text);
  return bytesToBase64(new Uint8Array(await crypto.subtle.sign("HMAC", key, input)));
}

/**
 * What a wait's row keeps of `wait.match`: each value its masked form (`wait.shown`) leaves as it
 * is, in clear; each other one digested. A match with nothing to digest is kept as the plain
 * object it always was, so a Worker version from before digests still reads it.
 * @example
 * const stored = await storedMatch(wait, await matchKey(env, wait.webhook));
 */
export async function storedMatch(wait: WebhookWait, key: CryptoKey): Promise<StoredMatch> {
  const stored: StoredMatch = { clear: {}, keyed: {} };
  for (const [selector, expected] of Object.entries(wait.match)) {
    if (wait.shown?.[selector] === expected) setOwn(stored.clear, selector, expected);
    else setOwn(stored.keyed, selector, await digest(key, expected));
  }
  return stored;
}

/** A stored match as a wait's row holds it (see {@link storedMatch}). */
export function storedMatchText(match: StoredMatch): string {
  return JSON.stringify(Object.keys(match.keyed).length === 0 ? match.clear : match);
}

/**
 * One delivered event, compared with many waits: each node's text and each text's digest are
 * made once, however many waits select them (a thousand waits would otherwise sign and serialize
 * the same values a thousand times).
 */
export class EventComparison {
  readonly #texts = new WeakMap<object, string>();
  readonly #digests = new Map<string, Promise<string>>();

  constructor(
    private readonly body: unknown,
    private readonly key: CryptoKey,
  ) {}

  /** Whether the event matches a stored match: the clear values compared, the keyed ones digested. */
  async matches(match: StoredMatch): Promise<boolean> {
    if (!eventMatches(match.clear, this.body, this.#texts)) return false;
    for (const [selector, expected] of Object.entries(match.keyed)) {
      const text = eventText(selector, this.body, this.#texts);
      if (text === undefined) return false;
      let digested = this.#digests.get(text);
      if (digested === undefined) {
        digested = digest(this.key, text);
        this.#digests.set(text, digested);
      }
      if ((await digested) !== expected) return false;
    }
    return true;
  }
}

/** Reads a row's match: the stored form, or a row written before it (every value in clear). */
export function parseStoredMatch(text: string): StoredMatch {
  const parsed = JSON.parse(text) as unknown;
  if (typeof parsed === "object" && parsed !== null && "keyed" in parsed && "clear" in parsed) {
    return parsed as StoredMatch;
  }
  return { clear: parsed as Record<string, string>, keyed: {} };
}
