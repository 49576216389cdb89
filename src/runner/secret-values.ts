/**
 * What a run masks for its `secrets`. A secret may be any JSON value: an object or array shows up
 * whole (`"{{creds}}"` inside a longer text is its JSON text) and in pieces (as an assertion's
 * expected value, each string in it is a value of its own), so each string and number inside is
 * masked too. Every text is also masked as the URL parser rewrites it, for secrets sent in URLs.
 */
import type { JsonValue } from "../collection/model.ts";
import { urlParserForms } from "../core/mask-secrets.ts";

/**
 * Most values one secret may hold, its objects and arrays and everything in them counted: each is
 * masked wherever it appears, so a secret is a few values (credentials), not a data set.
 */
export const MAX_SECRET_PARTS = 64;

/** Fewest characters a string or number inside an object or array secret needs to be masked on its own. */
export const MIN_PART_LENGTH = 4;

/**
 * The strings and numbers (as text) inside a secret's value, the value itself when it is one;
 * undefined when it holds more than {@link MAX_SECRET_PARTS} values. Keys, booleans and nulls of
 * an object or array are its shape, not its secret.
 */
export function secretParts(value: JsonValue): string[] | undefined {
  const parts: string[] = [];
  const pending: JsonValue[] = [value];
  let count = 1;
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === "string" || typeof next === "number") parts.push(String(next));
    else if (typeof next === "object" && next !== null) {
      const members = Array.isArray(next) ? next : Object.values(next);
      count += members.length;
      if (count > MAX_SECRET_PARTS) return undefined;
      pending.push(...members);
    }
  }
  return parts;
}

/**
 * Every text the run's secrets are masked as: each value as text (an object or array as its JSON
 * text, and each string and number in it of at least {@link MIN_PART_LENGTH} characters), each in
 * the forms the URL parser rewrites it to.
 * Worked out once per run; values must have been checked (at most {@link MAX_SECRET_PARTS} each).
 * @example
 * const mask = createSecretMasker(secretTexts({ apiToken: "tk-123456", account: { pin: 4821 } }));
 */
export function secretTexts(secrets: Readonly<Record<string, JsonValue>>): string[] {
  const texts = new Set<string>();
  for (const value of Object.values(secrets)) {
    if (typeof value !== "object" || value === null) {
      texts.add(String(value));
      continue;
    }
    texts.add(JSON.stringify(value));
    // Short values inside (a `version: 1`, a `region: "us"`) describe the secret more than they
    // are it, and masked as text they would cut every "1" and "us" out of the reports.
    for (const part of secretParts(value) ?? []) if (part.length >= MIN_PART_LENGTH) texts.add(part);
  }
  return [...texts].flatMap((text) => [text, ...urlParserForms(text)]);
}
