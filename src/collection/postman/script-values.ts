/**
 * What script expressions mean: the part of the response a subject reads (a selector), and the
 * value an expectation compares with (a literal, a bound literal, or a variable as a template).
 */
import type { Assertion, JsonValue } from "../model.ts";
import {
  type Chain,
  jsonPath,
  parseChain,
  parseLiteral,
  type Segment,
  stringLiteral,
  unwrapParens,
} from "./expressions.ts";
import type { Context, Path, Subject } from "./script-context.ts";
import type { Token } from "./tokens.ts";

export function subjectOf(
  tokens: readonly Token[],
  context: Context,
): { subject: Subject; length: boolean } | null {
  const chain = parseChain(tokens);
  return chain === null ? null : resolveSubject(chain, context);
}

/** What a chain reads from the response, if it reads the response at all. */
export function resolveSubject(chain: Chain, context: Context): { subject: Subject; length: boolean } | null {
  const { base, segments } = chain;
  const [s0, s1, s2, s3] = segments;
  if (base === "responseCode" && segments.length === 1 && isProp(s0, "code"))
    return plain({ kind: "status" });
  if (base === "responseTime" && segments.length === 0) return plain({ kind: "duration" });
  if (base === "pm" && isProp(s0, "response")) {
    if (segments.length === 2 && isProp(s1, "code")) return plain({ kind: "status" });
    if (segments.length === 2 && isProp(s1, "responseTime")) return plain({ kind: "duration" });
    if (segments.length === 4 && isProp(s1, "headers") && isProp(s2, "get") && s3?.kind === "call") {
      const name = s3.args.length === 1 ? stringLiteral(s3.args[0]) : undefined;
      return name === undefined ? null : plain({ kind: "header", name });
    }
    if (isProp(s1, "json") && s2?.kind === "call" && s2.args.length === 0)
      return jsonSubject([], segments.slice(3));
    return null;
  }
  if (base === "JSON" && isProp(s0, "parse") && s1?.kind === "call" && s1.args.length === 1) {
    const [argument] = s1.args;
    if (argument?.length !== 1 || argument[0]!.text !== "responseBody") return null;
    return jsonSubject([], segments.slice(2));
  }
  if (base === "postman" && segments.length === 2 && isProp(s0, "getResponseHeader") && s1?.kind === "call") {
    const name = s1.args.length === 1 ? stringLiteral(s1.args[0]) : undefined;
    return name === undefined ? null : plain({ kind: "header", name });
  }
  if (base === "responseHeaders" && segments.length === 1) {
    if (s0?.kind === "prop") return plain({ kind: "header", name: s0.name });
    if (s0?.kind === "index" && typeof s0.key === "string") return plain({ kind: "header", name: s0.key });
    return null;
  }
  const binding = context.bindings.get(base);
  if (binding?.kind !== "json") return null;
  context.touched.add(binding);
  return jsonSubject(binding.path, segments);
}

function plain(subject: Subject): { subject: Subject; length: boolean } {
  return { subject, length: false };
}

function jsonSubject(base: Path, segments: readonly Segment[]): { subject: Subject; length: boolean } | null {
  const path = [...base];
  let length = false;
  for (const [index, segment] of segments.entries()) {
    if (segment.kind === "call") return null;
    if (segment.kind === "prop" && segment.name === "length" && index === segments.length - 1) {
      length = true;
      break;
    }
    path.push(segment.kind === "prop" ? segment.name : segment.key);
  }
  return { subject: { kind: "json", path }, length };
}

export function selectorOf(subject: Subject): string {
  switch (subject.kind) {
    case "status":
      return "status";
    case "duration":
      return "duration";
    case "header":
      return `header ${subject.name}`;
    case "json":
      return jsonPath(subject.path);
  }
}

const GETTER_SCOPES = new Set([
  "environment",
  "collectionVariables",
  "variables",
  "globals",
  "iterationData",
]);

/** An expected value: a literal, a bound literal, or a variable read (as a `{{template}}`). */
export function resolveExpected(
  tokens: readonly Token[],
  context: Context,
): { value: JsonValue | undefined } | null {
  const literal = parseLiteral(tokens);
  if (literal !== null) return literal;
  const inner = unwrapParens(tokens);
  if (inner.length === 1 && inner[0]!.kind === "name") {
    const binding = context.bindings.get(inner[0]!.text);
    if (binding?.kind !== "value") return null;
    context.touched.add(binding);
    return { value: binding.value };
  }
  const chain = parseChain(inner);
  if (chain === null) return null;
  const [s0, s1, s2] = chain.segments;
  let name: string | undefined;
  if (
    chain.base === "pm" &&
    s0?.kind === "prop" &&
    GETTER_SCOPES.has(s0.name) &&
    isProp(s1, "get") &&
    s2?.kind === "call"
  ) {
    if (chain.segments.length === 3 && s2.args.length === 1) name = stringLiteral(s2.args[0]);
  } else if (
    chain.base === "postman" &&
    chain.segments.length === 2 &&
    (isProp(s0, "getEnvironmentVariable") || isProp(s0, "getGlobalVariable")) &&
    s1?.kind === "call" &&
    s1.args.length === 1
  ) {
    name = stringLiteral(s1.args[0]);
  } else if ((chain.base === "environment" || chain.base === "globals") && chain.segments.length === 1) {
    name =
      s0?.kind === "prop" ? s0.name : s0?.kind === "index" && typeof s0.key === "string" ? s0.key : undefined;
  }
  return name === undefined || /[{}]/.test(name) ? null : { value: `{{${name}}}` };
}

export function isProp(segment: Segment | undefined, name: string): boolean {
  return segment?.kind === "prop" && segment.name === name;
}

export function named(assertion: Assertion, context: Context): Assertion {
  return context.testName === undefined ? assertion : { ...assertion, name: context.testName };
}
