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
import { type EventBudget, eventText, type WebhookWait } from "../runner/index.ts";
import type { Env } from "./env.ts";

/** A match as a wait's row keeps it: `clear` values as they are, `keyed` ones as digests. */
export interface StoredMatch {
  clear: Record<string, string>;
  keyed: Record<string, string>;
}

const SALT = new TextEncoder().encode("certn-edge/wait-match");
const INFO = new TextEncoder().encode("certn-edge wait match v1 hmac-sha256");

/** The last key derived per source: a receiver compares one event with many waits. */
const derived = new Map<WebhookSource, { secret: string; key: Promise<CryptoKey> }>();

/**
 * The key a source's keyed match values are digested under; a random one (which nothing can
 * match) when the source has no webhook secret, since then no event of it is ever accepted.
 */
export function matchKey(env: Env, source: WebhookSource): Promise<CryptoKey> {
  const secret = source === "certn" ? env.CERTN_WEBHOOK_SECRET : env.CERTN_CENTRIC_WEBHOOK_SECRET;
  if (secret === undefined || secret === "") {
    return crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
    ]) as Promise<CryptoKey>;
  }
  const cached = derived.get(source);
  if (cached?.secret === secret) return cached.key;
  const key = (async () => {
    const material = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), "HKDF", false, [
      "deriveKey",
    ]);
    return crypto.subtle.deriveKey(
      { name: "HKDF", hash: "SHA-256", salt: SALT, info: INFO },
      material,
      { name: "HMAC", hash: "SHA-256", length: 256 },
      false,
      ["sign"],
    );
  })();
  derived.set(source, { secret, key });
  return key;
}

async function digest(key: CryptoKey, selector: string, text: string): Promise<string> {
  const input = new TextEncoder().encode(JSON.stringify([selector, text]));
  return bytesToBase64(new Uint8Array(await crypto.subtle.sign("HMAC", key, input)));
}

/**
 * What a wait's row keeps of `wait.match`: each value its masked form (`wait.shown`) leaves as it
 * is, in clear; each other one digested.
 * @example
 * const stored = await storedMatch(wait, await matchKey(env, wait.webhook));
 */
export async function storedMatch(wait: WebhookWait, key: CryptoKey): Promise<StoredMatch> {
  const stored: StoredMatch = { clear: {}, keyed: {} };
  for (const [selector, expected] of Object.entries(wait.match)) {
    if (wait.shown?.[selector] === expected) setOwn(stored.clear, selector, expected);
    else setOwn(stored.keyed, selector, await digest(key, selector, expected));
  }
  return stored;
}

/**
 * Whether `body` matches a stored match: the clear values compared, the keyed ones digested. The
 * selections spend from `budget`, one event's for all the waits it is compared with.
 */
export async function storedMatchMatches(
  match: StoredMatch,
  body: unknown,
  key: CryptoKey,
  budget: EventBudget,
): Promise<boolean> {
  for (const [selector, expected] of Object.entries(match.clear)) {
    if (eventText(selector, body, budget) !== expected) return false;
  }
  for (const [selector, expected] of Object.entries(match.keyed)) {
    const text = eventText(selector, body, budget);
    if (text === undefined || (await digest(key, selector, text)) !== expected) return false;
  }
  return true;
}

/** Reads a row's match: the stored form, or a row written before it (every value in clear). */
export function parseStoredMatch(text: string): StoredMatch {
  const parsed = JSON.parse(text) as unknown;
  if (typeof parsed === "object" && parsed !== null && "keyed" in parsed && "clear" in parsed) {
    return parsed as StoredMatch;
  }
  return { clear: parsed as Record<string, string>, keyed: {} };
}
