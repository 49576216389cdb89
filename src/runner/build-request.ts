/**
 * Turns a request item into a `Request`: templates expanded, URL resolved and checked against the
 * base origin, header names checked against the blocked list, body encoded. Nothing is sent here.
 */
import type { HttpMethod, JsonValue, RequestSpec } from "../collection/model.ts";
import { expandJson, expandText, type VariableLookup } from "../collection/template.ts";
import { isBlockedHeader } from "../core/blocked-headers.ts";
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

function setOwn(target: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function textOf(value: unknown, field: string, lookup: VariableLookup): string {
  if (typeof value === "string") return expandText(value, lookup);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new ItemFailure(RunnerErrorCode.INVALID_REQUEST, `${field} must be a string`);
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
    const url = expandText(spec.url, lookup);
    let key = part(method) + part(baseUrl) + part(url);
    const values = (record: unknown): string[] => {
      key += "|";
      return Object.entries(stringRecord(record, "query or headers")).map(([name, value]) => {
        const text = textOf(value, name, lookup);
        key += part(name) + part(text);
        return text;
      });
    };
    const query = values(spec.query);
    const headers = values(spec.headers);
    return { url, query, headers, key };
  } catch {
    return undefined;
  }
}

/**
 * Builds the request of an item.
 * @throws UnknownVariableError, or ItemFailure (egress refused, blocked header, invalid request).
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
  const url = resolveRequestUrl(expansion?.url ?? expandText(spec.url, lookup), baseUrl);
  Object.entries(stringRecord(spec.query, "query")).forEach(([name, value], index) => {
    url.searchParams.append(name, expansion?.query[index] ?? textOf(value, `request.query.${name}`, lookup));
  });

  const headers = new Headers();
  const reportHeaders: Record<string, string> = {};
  for (const [index, [name, value]] of Object.entries(rawHeaders).entries()) {
    const text = expansion?.headers[index] ?? textOf(value, `request.headers.${name}`, lookup);
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
    reportBody = expandJson(spec.json, lookup);
    body = JSON.stringify(reportBody);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  } else if (spec.form !== undefined) {
    const form: Record<string, string> = {};
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(stringRecord(spec.form, "form"))) {
      const text = textOf(value, `request.form.${name}`, lookup);
      setOwn(form, name, text);
      params.append(name, text);
    }
    reportBody = form;
    body = params.toString();
    if (!headers.has("content-type")) headers.set("content-type", "application/x-www-form-urlencoded");
  } else if (spec.text !== undefined) {
    reportBody = textOf(spec.text, "request.text", lookup);
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
