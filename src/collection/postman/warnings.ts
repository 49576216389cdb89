/**
 * The importer's warnings: said once each, grouped when the same thing happens to many requests
 * (which requests are named, up to a few), and scrubbed of anything that looks like a credential.
 */

const MAX_NAMED = 3;

/** Collects warnings in the order they first occur. */
export class WarningLog {
  readonly #entries: {
    text?: string;
    group?: { describe: (count: number, names: string) => string; items: string[] };
  }[] = [];
  readonly #groups = new Map<
    string,
    { describe: (count: number, names: string) => string; items: string[] }
  >();
  readonly #seen = new Set<string>();

  /** Adds a warning (an identical one is kept once). */
  add(text: string): void {
    const clean = redactCredentials(text);
    if (this.#seen.has(clean)) return;
    this.#seen.add(clean);
    this.#entries.push({ text: clean });
  }

  /** Adds `item` to the group `key`; the group becomes one warning worded by `describe`. */
  group(key: string, item: string, describe: (count: number, names: string) => string): void {
    let group = this.#groups.get(key);
    if (group === undefined) {
      group = { describe, items: [] };
      this.#groups.set(key, group);
      this.#entries.push({ group });
    }
    group.items.push(item);
  }

  /** All warnings, groups worded with their counts. */
  list(): string[] {
    return this.#entries.map((entry) => {
      if (entry.text !== undefined) return entry.text;
      const { describe, items } = entry.group!;
      const shown = items.slice(0, MAX_NAMED).map((name) => `"${name}"`);
      const more = items.length - shown.length;
      const names = more > 0 ? `${shown.join(", ")} and ${more} more` : shown.join(", ");
      return redactCredentials(describe(items.length, names));
    });
  }
}

/** `1 request` / `3 requests` */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/**
 * Replaces what looks like a credential written into a script or a name (a JWT, the value after
 * Bearer/Basic/Token, a long opaque token) with `[redacted]`, so a warning never repeats one.
 */
export function redactCredentials(text: string): string {
  return text
    .replace(/eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g, "[redacted]")
    .replace(/\b(Bearer|Basic|Token|Api-Key)\s+(?!\{\{)[^\s"'`,)]{8,}/gi, "$1 [redacted]")
    .replace(/(?<![\w/.+-])[A-Za-z0-9+/_-]{32,}={0,2}(?![\w/.+-])/g, (word) =>
      looksOpaque(word) ? "[redacted]" : word,
    );
}

/** Long, and mixes upper case, lower case and digits, as keys and tokens do (paths and names rarely). */
function looksOpaque(word: string): boolean {
  return /[a-z]/.test(word) && /[A-Z]/.test(word) && /\d/.test(word);
}
