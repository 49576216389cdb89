/**
 * The one implementation of "a secret in every form it can take, replaced". The client masks its
 * own credentials with it where errors are made, and the runner's redactor (results/redact.ts)
 * builds on it; it lives in `core` so both layers share it.
 */
import { utf8ToBase64 } from "./base64.ts";

/** What a secret value is replaced with. */
export const SECRET_PLACEHOLDER = "[secret]";

const encoder = new TextEncoder();

/** Percent-encodes every character outside printable ASCII and every character of `alsoEncode`. */
function percentEncode(text: string, alsoEncode: string): string {
  let out = "";
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code > 0x20 && code < 0x7f && !alsoEncode.includes(char)) out += char;
    else
      for (const byte of encoder.encode(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/**
 * The forms in which a secret's value can appear in a message or result: raw, percent-encoded
 * (component, URI, WHATWG path and query encodings, form encoding with `+`), JSON-escaped and
 * Base64 (standard, unpadded, URL-safe). Longest first, so a form is never half-replaced by a
 * shorter one it contains.
 */
export function secretForms(secret: string): string[] {
  if (secret === "") return [];
  const forms = new Set<string>([secret]);
  const add = (produce: () => string): void => {
    try {
      forms.add(produce());
    } catch {
      // A lone surrogate cannot be encoded; the raw form still covers it.
    }
  };
  add(() => encodeURIComponent(secret));
  add(() => encodeURI(secret));
  add(() => new URLSearchParams([["x", secret]]).toString().slice(2));
  add(() => percentEncode(secret, '"#<>?`{}')); // WHATWG path percent-encode set
  add(() => percentEncode(secret, "\"#<>'")); // WHATWG special-query percent-encode set
  add(() => JSON.stringify(secret).slice(1, -1));
  add(() => JSON.stringify(encodeURIComponent(secret)).slice(1, -1));
  add(() => utf8ToBase64(secret));
  add(() => utf8ToBase64(secret).replace(/=+$/, ""));
  add(() => utf8ToBase64(secret).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""));
  forms.delete("");
  return [...forms].sort((a, b) => b.length - a.length);
}

/** Fewest characters a URL form of a secret needs when it holds only part of it (see {@link urlParserForms}). */
const MIN_URL_PART_LENGTH = 3;

/**
 * The forms the WHATWG URL parser gives a secret written into an `http:`/`https:` URL, as host,
 * path, query, fragment or user info: tabs and newlines dropped, `\` read as `/`, the host
 * lower-cased and punycoded, the rest percent-encoded by each part's own set. A host starts after
 * an `@` and ends at a `/`, `\`, `?`, `#` or `:`, and a path loses its dot segments, so a form may
 * hold only part of the secret: such a part is kept when it has at least three characters (shorter
 * ones would mask common text everywhere and tell little; a part of three may still mask a common
 * word, which is the safer mistake, since it is shown where the reported URL would show it). Kept apart from {@link secretForms},
 * which each of these forms also takes, because only the runner writes secrets into URLs: the
 * client's own credentials never go there, and its bundle does without this.
 */
export function urlParserForms(secret: string): string[] {
  const forms = new Set<string>();
  const text = secret.replace(/[\t\n\r]/g, "");
  addUrlForms(text, forms);
  // A URL template is trimmed as JavaScript trims (no-break and ideographic spaces too), so a
  // secret that ends one loses its own spaces at that end.
  if (text.trim() !== text) addUrlForms(text.trim(), forms);
  return [...forms];
}

function addUrlForms(text: string, forms: Set<string>): void {
  const keep = (form: string): void => {
    if (form !== "" && form.length >= Math.min(MIN_URL_PART_LENGTH, text.length)) forms.add(form);
  };
  const parse = (produce: () => void): void => {
    try {
      produce();
    } catch {
      // Not a valid URL in that place: nothing is sent or reported with it there.
    }
  };
  keep(text);
  keep(text.replace(/\\/g, "/"));
  keep(text.toLowerCase());
  // As path, query and fragment. The parser trims spaces and controls at the ends of its input: a
  // `!` (left as it is in every part) keeps the secret's own ends in.
  for (const part of ["", "?", "#"]) {
    parse(() => keep(new URL(`http://h/${part}${text}!`).href.slice(`http://h/${part}`.length, -1)));
  }
  // A path ends at a `?` or `#` and a query at a `#`, and the report leaves out the fragment: the
  // part of the secret before that is all a reported URL shows.
  parse(() => keep(new URL(`http://h/${text}`).pathname.slice(1)));
  parse(() => keep(new URL(`http://h/?${text}`).search.slice(1)));
  // A query read and written again (`searchParams.append` next to `query`) is form-encoded anew.
  keep(new URLSearchParams(`x=${text}`).toString().slice(2));
  parse(() => {
    const url = new URL("http://h/");
    url.username = text;
    keep(url.username);
  });
  // A secret that is itself a URL is no host: read as one, its scheme ("https") would be a form.
  if (text.includes("://")) return;
  parse(() => {
    const url = new URL(`http://${text}`);
    keep(url.hostname);
    url.username = "";
    url.password = "";
    // The host and what followed it; when the whole secret was a host, without the added `/`.
    const rest = url.href.slice("http://".length);
    keep(rest === `${url.host}/` ? url.host : rest);
  });
}

/** How {@link createSecretMasker} replaces. */
export interface SecretMaskOptions {
  /** The replacement. Default {@link SECRET_PLACEHOLDER}. */
  placeholder?: string;
  /**
   * Replace a form only where no letter or digit touches it on either side. For personal values,
   * which may be short words: masking "Li" must not turn "Limited" into "[redacted]mited".
   */
  wholeWords?: boolean;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

function isWordAt(text: string, index: number): boolean {
  const char = text[index];
  return char !== undefined && WORD_CHAR.test(char);
}

const HEX_DIGIT = /^[0-9A-Fa-f]$/;

/**
 * Whether a percent-escape (`%20`, `%2C`) ends at `index`. Its hex digits are letters and digits,
 * but it stands for a separator: `search={{first}} {{last}}` is sent as `Zelda%20Quixote`, and
 * the last name must count as a whole word there.
 */
function escapeEndsAt(text: string, index: number): boolean {
  return (
    text[index - 2] === "%" && HEX_DIGIT.test(text[index - 1] ?? "") && HEX_DIGIT.test(text[index] ?? "")
  );
}

/** Whether a word may start at `index`: no letter or digit before it, or only a percent-escape. */
function wordMayStartAt(text: string, index: number): boolean {
  return !isWordAt(text, index - 1) || escapeEndsAt(text, index - 1);
}

function replaceWholeWords(text: string, form: string, placeholder: string): string {
  let out = "";
  let from = 0;
  let at = text.indexOf(form);
  while (at !== -1) {
    if (wordMayStartAt(text, at) && !isWordAt(text, at + form.length)) {
      out += text.slice(from, at) + placeholder;
      from = at + form.length;
      at = text.indexOf(form, from);
    } else {
      at = text.indexOf(form, at + 1);
    }
  }
  return from === 0 ? text : out + text.slice(from);
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

/** A function that replaces the given secrets, in every form of {@link secretForms}, in a text. */
export type SecretMasker = (text: string) => string;

/**
 * Builds a masker for `secrets` (empty values are ignored). Besides the listed forms, a text that
 * still shows a secret once percent-decoded is returned decoded and masked, as a catch-all for
 * encodings not listed (not for `wholeWords`, where a decoded match could be part of a word).
 */
export function createSecretMasker(secrets: Iterable<string>, options: SecretMaskOptions = {}): SecretMasker {
  const placeholder = options.placeholder ?? SECRET_PLACEHOLDER;
  if (!options.wholeWords) return substringMasker(secrets, placeholder);
  const forms = formsOf(uniqueValues(secrets));
  const candidates = wordIndex(forms);
  return (text) => {
    let out = text;
    for (const form of candidates(text)) if (out.includes(form)) out = replaceWholeWords(out, form, MARK);
    return unmark(out, text, placeholder);
  };
}

/**
 * A run of letters and digits as {@link isWordAt} reads them, one UTF-16 unit at a time (so a
 * letter outside the BMP, two units, is no word character).
 */
const WORD_RUN = /(?:(?![\u{10000}-\u{10FFFF}])[\p{L}\p{N}])+/gu;

/** A node of {@link wordIndex}'s trie: the forms whose key ends here, and the next characters. */
interface TrieNode {
  next: Map<string, TrieNode>;
  forms?: string[];
}

/**
 * How many characters of a form its key in the trie holds: enough to tell forms apart, few enough
 * that a captured value of any length costs a bounded trie and a bounded walk from each place.
 */
const TRIE_KEY_LENGTH = 32;

/** Up to this many forms, each is searched for in every text (the trie costs more than it saves). */
const FEW_FORMS = 16;

/**
 * The forms that can match `text` as whole words, in the masker's order (longest first). Checking
 * each form against each text cost the number of forms times the text (500 captured personal
 * values, 2,000 forms: 5 s for one 4 MB capture). A form that starts with a letter or digit can
 * only match where a run of them starts in the text, so a trie of the forms' first characters is
 * walked from each such place; the forms found are then searched for as before, and only forms
 * that start otherwise are always searched for.
 */
function wordIndex(forms: readonly string[]): (text: string) => readonly string[] {
  // A few forms are searched for faster than the text's runs are found.
  if (forms.length <= FEW_FORMS) return () => forms;
  const root: TrieNode = { next: new Map() };
  const always: string[] = [];
  for (const form of forms) {
    if (!isWordAt(form, 0)) {
      always.push(form);
      continue;
    }
    let node = root;
    for (const char of form.slice(0, TRIE_KEY_LENGTH).split("")) {
      let child = node.next.get(char);
      if (child === undefined) {
        child = { next: new Map() };
        node.next.set(char, child);
      }
      node = child;
    }
    if (node.forms === undefined) node.forms = [form];
    else node.forms.push(form);
  }
  const order = new Map(forms.map((form, index) => [form, index]));
  return (text) => {
    const found = new Set<string>();
    // A node reached again (many runs share a prefix) has given its forms already.
    const reached = new Set<TrieNode>();
    const walkFrom = (start: number): void => {
      let node: TrieNode | undefined = root;
      for (let at = start; node !== undefined && at < text.length; at += 1) {
        node = node.next.get(text[at] as string);
        if (node?.forms === undefined || reached.has(node)) continue;
        reached.add(node);
        for (const form of node.forms) found.add(form);
      }
    };
    for (const run of text.matchAll(WORD_RUN)) walkFrom(run.index);
    // A word also starts after a percent-escape inside a run (`%20Quixote`), see wordMayStartAt.
    for (let at = text.indexOf("%"); at !== -1; at = text.indexOf("%", at + 1)) {
      if (escapeEndsAt(text, at + 2) && isWordAt(text, at + 3)) walkFrom(at + 3);
    }
    if (found.size === 0) return always;
    for (const form of always) found.add(form);
    return [...found].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  };
}

/**
 * What each form is replaced by until all are done: a shorter form must not match inside a
 * placeholder already written (`[secret]` holds `sec` and `ret`), nor across two of them.
 */
const MARK = "\uE000";

const unmark = (out: string, text: string, placeholder: string): string =>
  out === text ? text : out.split(MARK).join(placeholder);

const uniqueValues = (secrets: Iterable<string>): string[] =>
  [...new Set(secrets)].filter((secret) => secret !== "");

const formsOf = (values: string[]): string[] =>
  [...new Set(values.flatMap(secretForms))].sort((a, b) => b.length - a.length);

/**
 * The masker without `wholeWords`, on its own so that a {@link SecretSet} (which the client
 * holds) does not pull the whole-word matching, used only by the runner's redactor, into the
 * client's bundle.
 */
function substringMasker(secrets: Iterable<string>, placeholder: string): SecretMasker {
  const values = uniqueValues(secrets);
  const forms = formsOf(values);
  if (forms.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const form of forms) if (out.includes(form)) out = out.split(form).join(MARK);
    out = unmark(out, text, placeholder);
    if (out.includes("%") || out.includes("+")) {
      const decoded = safeDecode(out);
      if (decoded !== undefined && values.some((secret) => decoded.includes(secret))) {
        let clean = decoded;
        for (const secret of values) clean = clean.split(secret).join(placeholder);
        return clean;
      }
    }
    return out;
  };
}

/** The secrets one client holds: fixed credentials, plus the tokens it has used lately. */
export interface SecretSet {
  /** Remembers a value (a token just obtained or attached); known and empty values are ignored. */
  add(value: string): void;
  /** `text` with every remembered value, in every form, replaced by {@link SECRET_PLACEHOLDER}. */
  mask(text: string): string;
}

/** How many added (non-fixed) values a {@link SecretSet} remembers; the oldest go first. */
export const REMEMBERED_SECRETS = 32;

/**
 * A set of secrets kept in a closure (nothing reads them back out; callers can only mask with
 * them). `fixed` values (a client secret, its Basic form, an API key) are always kept; added ones
 * (access tokens) up to {@link REMEMBERED_SECRETS}, most recent first.
 */
export function createSecretSet(fixed: Iterable<string>, limit = REMEMBERED_SECRETS): SecretSet {
  const pinned = [...fixed].filter((value) => value !== "");
  const added: string[] = [];
  let masker: SecretMasker | undefined;
  return {
    add(value) {
      if (typeof value !== "string" || value === "" || pinned.includes(value) || added.includes(value))
        return;
      added.push(value);
      if (added.length > limit) added.shift();
      masker = undefined;
    },
    mask(text) {
      masker ??= substringMasker([...pinned, ...added], SECRET_PLACEHOLDER);
      return masker(text);
    },
  };
}

/** How many objects of an error's `cause` and `errors` chain {@link maskErrorText} visits at most. */
const MAX_MASKED_OBJECTS = 16;

/**
 * Masks an error's text in place: every string property of the error (its `message`, its `stack`,
 * which repeats the message as it was when the error was made, and any other, such as the raw
 * response bytes undici keeps in a parser error's `data`), and the same of every object in its
 * `cause` chain and `errors` lists (a CertnCentric error's `detail`, `attr` and `code`, a
 * runtime's network error under the client's own). A fetch that failed mid-response can hold the
 * request's `Authorization` header, echoed back, several causes deep. Returns the error.
 */
export function maskErrorText<T>(error: T, mask: SecretMasker): T {
  const seen = new Set<object>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.size < MAX_MASKED_OBJECTS) {
    const next = queue.shift();
    if (typeof next !== "object" || next === null || seen.has(next)) continue;
    seen.add(next);
    const record = next as Record<string, unknown>;
    // `message` and `stack` too when they are inherited or accessors, as some runtimes make them.
    for (const key of new Set(["message", "stack", ...Object.getOwnPropertyNames(record)])) {
      try {
        const value = record[key];
        if (typeof value === "string") {
          const masked = mask(value);
          if (masked !== value) record[key] = masked;
        } else if (key === "cause") {
          queue.push(value);
        } else if (key === "errors" && Array.isArray(value)) {
          queue.push(...(value as unknown[]));
        }
      } catch {
        // A frozen or exotic property keeps its text; the runner's redactor masks what it reports.
      }
    }
  }
  return error;
}
