/**
 * What a wait's row in D1 keeps of its match, and what an event's row keeps of the values its
 * masking replaced. The receivers must compare each event with each open wait, and a run's wait
 * compares the events stored before it, but a match may hold a secret or a personal value
 * (`{"$.reference": "{{secretRef}}"}`, `{"$.email": "{{email}}"}`), and no D1 row holds either.
 * Both are kept as keyed digests, HMAC-SHA256 under a key derived by HKDF from the source's
 * webhook secret (which the run and the receiver both hold): a match value the runner's masking
 * changes is kept digested in the wait's row; a value of the event that the receiver's masking
 * replaces is kept digested in the event's row, at its place in the body. A receiver compares the
 * event as it arrived (in memory only); a wait's look at stored events compares the masked body
 * and those digests. Other values (case ids, statuses) stay as they are, so they survive a
 * rotated webhook secret.
 */
import type { WebhookSource } from "../collection/model.ts";
import { bytesToBase64 } from "../core/base64.ts";
import { type JsonValue, setOwn } from "../core/json.ts";
import { eventMatches, eventText, maskPersonal, type WebhookWait } from "../runner/index.ts";
import { hmacKeyDeriver } from "./derived-keys.ts";
import type { Env } from "./env.ts";

/** A match as a wait's row keeps it: `clear` values as they are, `keyed` ones as digests. */
export interface StoredMatch {
  clear: Record<string, string>;
  keyed: Record<string, string>;
}

/** The key match values are digested under, from the source's webhook secret. */
const digestKey = hmacKeyDeriver("certn-edge/wait-match", "certn-edge wait match v1 hmac-sha256");

/**
 * The key a source's keyed match values are digested under; a random one (which nothing can
 * match) when the source has no webhook secret, since then no event of it is ever accepted.
 */
export async function matchKey(env: Env, source: WebhookSource): Promise<CryptoKey> {
  const secret = source === "certn" ? env.CERTN_WEBHOOK_SECRET : env.CERTN_CENTRIC_WEBHOOK_SECRET;
  if (secret === undefined || secret === "") {
    return (await crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, ["sign"])) as CryptoKey;
  }
  return digestKey(secret);
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
 * How a digest is written in an event's digests (a mirror of its body, where every string is
 * one): the mark tells it from the JSON text of an object or array a selector may select there.
 */
const DIGEST_MARK = "hmac:";

/** Most values of one event digested: past it, the rest are left out (a receiver still compares them). */
export const MAX_EVENT_DIGESTS = 1000;

/**
 * Longest an event's digests may be as JSON text (a long array with one masked value is mostly
 * `null`s): past it none are kept, and only a receiver, in memory, compares the masked values.
 */
export const MAX_EVENT_DIGESTS_TEXT = 256 * 1024;

/**
 * The digests of the values that masking replaced in an event (`received` as it arrived,
 * `masked` as it is stored), at their places: a mirror of the body holding only them (objects
 * keep the members that hold one, arrays keep their length with `null` between), as JSON text;
 * undefined when the masking replaced nothing (or past {@link MAX_EVENT_DIGESTS_TEXT}). Each is
 * the digest of the text a match selector selecting that value compares. A member whose name the masking changes (an e-mail address as a
 * name) is left out, so no personal value is kept, not even as a name.
 * @example
 * const digests = await maskedValueDigests(parsed, maskPersonal(parsed), await matchKey(env, "certn"));
 */
export async function maskedValueDigests(
  received: unknown,
  masked: unknown,
  key: CryptoKey,
): Promise<string | undefined> {
  const digests = new Map<string, Promise<string>>();
  const budget = { left: MAX_EVENT_DIGESTS };
  const mirror = await mirrorOf(
    received,
    masked,
    async (text) => {
      let digested = digests.get(text);
      if (digested === undefined) {
        digested = digest(key, text);
        digests.set(text, digested);
      }
      return `${DIGEST_MARK}${await digested}`;
    },
    budget,
  );
  const text = mirror === undefined ? undefined : JSON.stringify(mirror);
  return text !== undefined && text.length <= MAX_EVENT_DIGESTS_TEXT ? text : undefined;
}

/** Whether masking leaves a member name as it is (it changes e-mail addresses). */
function keepsName(name: string): boolean {
  return Object.hasOwn(maskPersonal({ [name]: 0 }) as object, name);
}

async function mirrorOf(
  received: unknown,
  masked: unknown,
  digestOf: (text: string) => Promise<string>,
  budget: { left: number },
): Promise<JsonValue | undefined> {
  if (Array.isArray(received)) {
    // An array replaced whole (under a personal name) has no counterpart: each value is digested.
    const counterpart = Array.isArray(masked) && masked.length === received.length ? masked : undefined;
    const items: JsonValue[] = [];
    let any = false;
    for (const [index, value] of received.entries()) {
      const item = await mirrorOf(value, counterpart?.[index], digestOf, budget);
      items.push(item ?? null);
      any ||= item !== undefined;
    }
    return any ? items : undefined;
  }
  if (typeof received === "object" && received !== null) {
    const counterpart =
      typeof masked === "object" && masked !== null && !Array.isArray(masked)
        ? (masked as Record<string, unknown>)
        : undefined;
    const members: Record<string, JsonValue> = {};
    let any = false;
    for (const [name, value] of Object.entries(received)) {
      if (!keepsName(name)) continue;
      const kept =
        counterpart !== undefined && Object.hasOwn(counterpart, name) ? counterpart[name] : undefined;
      const member = await mirrorOf(value, kept, digestOf, budget);
      if (member === undefined) continue;
      setOwn(members, name, member);
      any = true;
    }
    return any ? members : undefined;
  }
  // A value the masking kept as it was needs no digest: the stored body holds it.
  if (masked !== undefined && masked === received) return undefined;
  const text = eventText("$", received);
  if (text === undefined || budget.left <= 0) return undefined;
  budget.left -= 1;
  return digestOf(text);
}

/** What a selector selects in an event: its text, or the digest of a value the masking replaced. */
type Selected = { text: string } | { digest: string } | undefined;

/**
 * One event, compared with many waits: each node's text and each text's digest are made once,
 * however many waits select them (a thousand waits would otherwise sign and serialize the same
 * values a thousand times). The event is the body as it arrived (a receiver, in memory), or a
 * stored body, masked, with the digests of what its masking replaced ({@link maskedValueDigests}).
 */
export class EventComparison {
  readonly #texts = new WeakMap<object, string>();
  readonly #digests = new Map<string, Promise<string>>();

  constructor(
    private readonly body: unknown,
    private readonly key: CryptoKey,
    private readonly maskedDigests?: unknown,
  ) {}

  /** Whether the event matches a stored match: the clear values compared, the keyed ones digested. */
  async matches(match: StoredMatch): Promise<boolean> {
    if (this.maskedDigests === undefined) {
      if (!eventMatches(match.clear, this.body, this.#texts)) return false;
    } else {
      for (const [selector, expected] of Object.entries(match.clear)) {
        const selected = this.#select(selector);
        if (selected === undefined) return false;
        if (
          "text" in selected ? selected.text !== expected : selected.digest !== (await this.#digest(expected))
        )
          return false;
      }
    }
    for (const [selector, expected] of Object.entries(match.keyed)) {
      const selected = this.#select(selector);
      if (selected === undefined) return false;
      if (("text" in selected ? await this.#digest(selected.text) : selected.digest) !== expected)
        return false;
    }
    return true;
  }

  /**
   * Whether the event matches a run's own match, as the run holds it (every value in clear).
   * @example
   * if (await new EventComparison(stored.body, key, stored.digests).matchesWait(wait.match)) take(stored);
   */
  matchesWait(match: Readonly<Record<string, string>>): Promise<boolean> {
    return this.matches({ clear: { ...match }, keyed: {} });
  }

  #select(selector: string): Selected {
    if (this.maskedDigests !== undefined) {
      const mirrored = eventText(selector, this.maskedDigests, this.#texts);
      if (mirrored?.startsWith(DIGEST_MARK)) return { digest: mirrored.slice(DIGEST_MARK.length) };
    }
    const text = eventText(selector, this.body, this.#texts);
    return text === undefined ? undefined : { text };
  }

  #digest(text: string): Promise<string> {
    let digested = this.#digests.get(text);
    if (digested === undefined) {
      digested = digest(this.key, text);
      this.#digests.set(text, digested);
    }
    return digested;
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
