/**
 * Turns a request item into a `Request`: templates expanded, URL resolved and checked against the
 * base origin, header names checked against the blocked list, body encoded. Nothing is sent here.
 * All the templates of one request expand from one budget (`MAX_EXPANDED_LENGTH` characters), so
 * neither one field nor many can fill memory.
 */
import type { HttpMethod, JsonValue, RequestSpec } from "../collection/model.ts";
import { ExpansionBudget, expandJson, expandText, type VariableLookup } from "../collection/template.ts";
import { isBlockedHeader } from "../core/blocked-headers.ts";
import { setOwn, toJsonPointer } from "../core/json.ts";
import { resolveRequestUrl } from "./egress.ts";
import { ItemFailure, RunnerErrorCode } from "./errors.ts";

const METHODS: ReadonlySet<string> = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);

/** A request ready to send, with what a report may show of it. */
export interface BuiltRequest {
  method: HttpMethod;
  url: URL;
  request: Request;
  /** The headers the collection set (names as written), for `includeBodies`. */
  headers: Record<string, string>;
  /** The body as data (JSON value, form object or text), for `includeBodies`. */
  body?: JsonValue;
}

function stringRecord(value: unknown, field: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ItemFailure(RunnerErrorCode.INVALID_REQUEST, `request.${field} must be an object of strings`);
  }
  return value as Record<string, unknown>;
}

/**
 * A query, header or form value (or the text body) as text, its templates expanded.
 * @param at Where the value is in the item, such as `["request", "headers", "X-Trace"]`.
 */
function textOf(
  value: unknown,
  at: readonly string[],
  lookup: VariableLookup,
  budget: ExpansionBudget,
): string {
  if (typeof value === "string") return expandText(value, lookup, toJsonPointer(at), budget);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new ItemFailure(RunnerErrorCode.INVALID_REQUEST, `${at.join(".")} must be a string`);
}

/** A bodiless request's templates, expanded, and the key they make. */
interface Expansion {
  url: string;
  /** The query's values, in the spec's order. */
  query: string[];
  /** The headers' values, in the spec's order. */
  headers: string[];
  /** Equal keys build equal requests. */
  key: string;
}

/** The last bodiless request built for each request spec, with the key of its expansion. */
const lastBodiless = new WeakMap<RequestSpec, { key: string; built: BuiltRequest }>();

/**
 * Expands a bodiless request's templates (against `baseUrl`) and keys them. Undefined when an
 * expansion fails: the full build then reports it, in its own order.
 */
function expandBodiless(
  spec: RequestSpec,
  method: string,
  baseUrl: string,
  lookup: VariableLookup,
): Expansion | undefined {
  try {
    // Each part prefixed by its length, so no two different lists of parts make the same key.
    const part = (text: string): string => `${text.length}:${text}`;
    const budget = new ExpansionBudget();
    const url = expandText(spec.url, lookup, "/request/url", budget);
    let key = part(method) + part(baseUrl) + part(url);
    const values = (field: "query" | "headers"): string[] => {
      key += "|";
      return Object.entries(stringRecord(spec[field], field)).map(([name, value]) => {
        const text = textOf(value, ["request", field, name], lookup, budget);
        key += part(name) + part(text);
        return text;
      });
    };
    const query = values("query");
    const headers = values("headers");
    return { url, query, headers, key };
  } catch {
    return undefined;
  }
}

/**
 * Builds the request of an item.
 * @throws UnknownVariableError, TemplateTooLargeError (naming the field's JSON Pointer within the
 *   item), or ItemFailure (egress refused, blocked header, invalid request).
 */
export function buildRequest(spec: RequestSpec, lookup: VariableLookup, baseUrl: string): BuiltRequest {
  const method = typeof spec.method === "string" ? spec.method.toUpperCase() : "";
  if (!METHODS.has(method)) {
    throw new ItemFailure(
      RunnerErrorCode.INVALID_REQUEST,
      `request.method must be one of ${[...METHODS].join(", ")}`,
    );
  }
  if (typeof spec.url !== "string" || spec.url.trim() === "") {
    throw new ItemFailure(RunnerErrorCode.INVALID_REQUEST, "request.url must be a non-empty string");
  }

  // Header names first: a blocked header refuses the item whatever its templates would say.
  const rawHeaders = stringRecord(spec.headers, "headers");
  for (const name of Object.keys(rawHeaders)) {
    if (isBlockedHeader(name)) {
      throw new ItemFailure(
        RunnerErrorCode.BLOCKED_HEADER,
        `request.headers: "${name}" cannot be set by a collection (the client attaches credentials itself)`,
      );
    }
  }

  // A bodiless request is never consumed by sending: when an item's templates expand as last time
  // (every iteration of most collections), the request built then, already checked, is reused.
  const bodiless =
    !Object.hasOwn(spec, "json") && !Object.hasOwn(spec, "form") && !Object.hasOwn(spec, "text");
  const expansion = bodiless ? expandBodiless(spec, method, baseUrl, lookup) : undefined;
  const last = expansion === undefined ? undefined : lastBodiless.get(spec);
  if (last !== undefined && last.key === expansion?.key) return last.built;

  // Built from the expansion just keyed, when there is one: each template is expanded once.
  const budget = new ExpansionBudget();
  const url = resolveRequestUrl(
    expansion?.url ?? expandText(spec.url, lookup, "/request/url", budget),
    baseUrl,
  );
  Object.entries(stringRecord(spec.query, "query")).forEach(([name, value], index) => {
    url.searchParams.append(
      name,
      expansion?.query[index] ?? textOf(value, ["request", "query", name], lookup, budget),
    );
  });

  const headers = new Headers();
  const reportHeaders: Record<string, string> = {};
  for (const [index, [name, value]] of Object.entries(rawHeaders).entries()) {
    const text = expansion?.headers[index] ?? textOf(value, ["request", "headers", name], lookup, budget);
    try {
      headers.append(name, text);
    } catch {
      throw new ItemFailure(
        RunnerErrorCode.INVALID_REQUEST,
        `request.headers: "${name}" is not a valid header name, or its value holds a line break`,
      );
    }
    setOwn(reportHeaders, name, text);
  }

  const bodies = ["json", "form", "text"].filter((key) => Object.hasOwn(spec, key));
  if (bodies.length > 1) {
    throw new ItemFailure(
      RunnerErrorCode.INVALID_REQUEST,
      `request has ${bodies.join(" and ")}: use at most one body`,
    );
  }
  let body: BodyInit | undefined;
  let reportBody: JsonValue | undefined;
  if (spec.json !== undefined) {
    reportBody = expandJson(spec.json, lookup, "/request/json", budget);
    body = JSON.stringify(reportBody);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  } else if (spec.form !== undefined) {
    const form: Record<string, string> = {};
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(stringRecord(spec.form, "form"))) {
      const text = textOf(value, ["request", "form", name], lookup, budget);
      setOwn(form, name, text);
      params.append(name, text);
    }
    reportBody = form;
    body = params.toString();
    if (!headers.has("content-type")) headers.set("content-type", "application/x-www-form-urlencoded");
  } else if (spec.text !== undefined) {
    reportBody = textOf(spec.text, ["request", "text"], lookup, budget);
    body = reportBody;
    if (!headers.has("content-type")) headers.set("content-type", "text/plain;charset=UTF-8");
  }
  if (body !== undefined && (method === "GET" || method === "HEAD")) {
    throw new ItemFailure(RunnerErrorCode.INVALID_REQUEST, `a ${method} request cannot have a body`);
  }

  const init: RequestInit = { method, headers, redirect: "manual" };
  if (body !== undefined) init.body = body;
  const built: BuiltRequest = {
    method: method as HttpMethod,
    url,
    request: new Request(url.href, init),
    headers: reportHeaders,
  };
  if (reportBody !== undefined) built.body = reportBody;
  if (expansion !== undefined) lastBodiless.set(spec, { key: expansion.key, built });
  return built;
}
