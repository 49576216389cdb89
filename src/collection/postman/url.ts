/**
 * Postman URLs (a string, or an object with `raw`, `protocol`, `host`, `port`, `path`, `query`
 * and `variable`) as a collection's `url` and `query`. A host that is exactly one template
 * (`{{baseUrl}}`) is dropped, making the URL a path resolved against the runner's base URL;
 * `:name` path variables take their value from `url.variable`, else become `{{name}}`.
 */
import { enabledRows, objectOf, stringOf, textOf } from "./values.ts";

/** The URL of a converted request. */
export interface ConvertedUrl {
  url: string;
  query: [string, string][];
  /** The host template that was dropped (`{{baseUrl}}`), if any. */
  droppedHost?: string;
  /** The origin kept in an absolute URL, if any. */
  absoluteOrigin?: string;
  /** Path variables turned into templates because they had no value. */
  templatedPathVariables: string[];
  empty: boolean;
}

const ONE_TEMPLATE = /^\{\{[^}]+\}\}$/;

/** Converts a Postman URL. */
export function convertUrl(input: unknown): ConvertedUrl {
  const object = objectOf(input);
  const raw = stringOf(input) ?? stringOf(object?.raw) ?? "";
  const parsed = parseRawUrl(raw);
  const hostField = object?.host;
  const pathField = object?.path;
  const hasParts = object !== undefined && (hostField !== undefined || pathField !== undefined);
  const protocol = hasParts ? stringOf(object.protocol) : parsed.protocol;
  const host = hasParts ? joinParts(hostField, ".") : parsed.host;
  const port = hasParts ? textOf(object.port) : parsed.port;
  const pathText = hasParts ? joinParts(pathField, "/") : parsed.path;
  const query: [string, string][] =
    object?.query !== undefined
      ? enabledRows(object.query).map(({ key, value }) => [decode(key), decode(textOf(value) ?? "")])
      : parsed.query;

  const variables = new Map<string, string>();
  for (const { key, value } of enabledRows(object?.variable)) {
    const text = textOf(value);
    if (text !== undefined && text !== "") variables.set(key, text);
  }
  const templatedPathVariables: string[] = [];
  const segments = pathText
    .replace(/^\/+/, "")
    .split("/")
    .map((segment) => {
      if (!/^:[A-Za-z0-9_.-]+$/.test(segment)) return segment;
      const name = segment.slice(1);
      const value = variables.get(name);
      if (value !== undefined) return value;
      templatedPathVariables.push(name);
      return `{{${name}}}`;
    });
  const path = `/${segments.join("/")}`;

  const result: ConvertedUrl = {
    url: path,
    query,
    templatedPathVariables,
    empty: raw.trim() === "" && !hasParts,
  };
  if (host === "") return result;
  if (ONE_TEMPLATE.test(host)) return { ...result, droppedHost: host };
  const origin = `${protocol ?? "https"}://${host}${port ? `:${port}` : ""}`;
  return {
    ...result,
    url: `${origin}${path === "/" && pathText === "" ? "" : path}`,
    absoluteOrigin: origin,
  };
}

interface ParsedRaw {
  protocol: string | undefined;
  host: string;
  port: string | undefined;
  path: string;
  query: [string, string][];
}

/** Splits a raw URL string into its parts (it may hold templates, so `URL` cannot parse it). */
export function parseRawUrl(raw: string): ParsedRaw {
  let rest = raw.trim();
  const hash = rest.indexOf("#");
  if (hash !== -1) rest = rest.slice(0, hash);
  let queryText = "";
  const question = rest.indexOf("?");
  if (question !== -1) {
    queryText = rest.slice(question + 1);
    rest = rest.slice(0, question);
  }
  let protocol: string | undefined;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(rest);
  if (scheme) {
    protocol = scheme[1];
    rest = rest.slice(scheme[0].length);
  }
  let host = "";
  let port: string | undefined;
  if (!rest.startsWith("/")) {
    const slash = rest.indexOf("/");
    const authority = slash === -1 ? rest : rest.slice(0, slash);
    rest = slash === -1 ? "" : rest.slice(slash);
    const portMatch = /:(\d+|\{\{[^}]+\}\})$/.exec(authority);
    host = portMatch ? authority.slice(0, portMatch.index) : authority;
    port = portMatch?.[1];
  }
  const query: [string, string][] = [];
  for (const pair of queryText.split("&")) {
    if (pair === "") continue;
    const equals = pair.indexOf("=");
    const key = equals === -1 ? pair : pair.slice(0, equals);
    const value = equals === -1 ? "" : pair.slice(equals + 1);
    query.push([decode(key), decode(value)]);
  }
  return { protocol, host, port, path: rest, query };
}

function joinParts(value: unknown, separator: string): string {
  if (Array.isArray(value)) return value.map((part) => textOf(part) ?? "").join(separator);
  return textOf(value) ?? "";
}

/** Decodes `%XX` escapes and `+` (the runner encodes query values itself); leaves bad escapes as they are. */
function decode(text: string): string {
  if (!text.includes("%") && !text.includes("+")) return text;
  try {
    return decodeURIComponent(text.replaceAll("+", " "));
  } catch {
    return text;
  }
}
