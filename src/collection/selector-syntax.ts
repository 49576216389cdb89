/**
 * Syntax of selectors (`status`, `duration`, `header NAME`, `body`, `$...`, `var NAME`), checked
 * when a collection is validated so a typo is reported before anything is sent.
 */
import { compileJsonPath, JsonPathSyntaxError } from "../syntax/jsonpath/index.ts";
import { isHeaderToken } from "./header-name.ts";
import { closestMatch, quote } from "./messages.ts";

const KEYWORDS = ["status", "duration", "body", "header", "var"] as const;

/** The forms a selector may take, for messages. */
export const SELECTOR_FORMS = "status, duration, body, header NAME, var NAME or a JSONPath starting with $";

/** Why a JSONPath is invalid (the compiler's message, with its position), or null. */
function jsonPathProblem(expression: string): string | null {
  try {
    compileJsonPath(expression);
    return null;
  } catch (error) {
    if (error instanceof JsonPathSyntaxError) return error.message;
    throw error;
  }
}

/**
 * Longest a webhook `match` selector may be: a name path such as `$.applicant['email']` is a few
 * dozen characters, and a receiver compiles every open wait's selectors for each event (a valid
 * selector padded to 900 KB held 145 MB of syntax tree per delivery).
 */
export const MAX_MATCH_SELECTOR_LENGTH = 256;

/**
 * Why a webhook `match` selector is invalid, or null: it must be a singular JSONPath query over
 * the event body (RFC 9535 §2.3.5.1: names and indexes only), starting with `$` and used as
 * written (no surrounding spaces). A match compares one value, and a singular query costs a step
 * per name: the receivers compare each event with every open wait, and one wait whose filters or
 * `..` walked the event for each of its nodes held the CPU for them all.
 */
export function eventSelectorProblem(selector: string): string | null {
  if (selector.length > MAX_MATCH_SELECTOR_LENGTH) {
    return `a match selector is at most ${MAX_MATCH_SELECTOR_LENGTH} characters (got ${selector.length}): it names one value, such as "$.object_id"`;
  }
  if (!selector.startsWith("$")) {
    const hint = selector.trim().startsWith("$") ? " (remove the spaces around it)" : "";
    return `${quote(selector)} is not a JSONPath: a match selector starts with $, for example "$.object_id"${hint}`;
  }
  let singular: boolean;
  try {
    singular = compileJsonPath(selector).singular;
  } catch (error) {
    if (error instanceof JsonPathSyntaxError) return `invalid JSONPath ${quote(selector)}: ${error.message}`;
    throw error;
  }
  return singular
    ? null
    : `${quote(selector)} may select several values: a match selector names one, with names and indexes only ("$.object_id", "$.applicant['email']", "$.checks[0].status"; no filters, wildcards, slices or ..)`;
}

/** Why a variable name cannot be used (`var NAME`, capture targets, variables), or null. */
export function variableNameProblem(name: string): string | null {
  if (name.trim() === "") return "a variable name cannot be empty";
  if (name.includes("{") || name.includes("}")) return "a variable name cannot hold { or }";
  return null;
}

/** Why a selector is invalid, or null when its syntax is fine. */
export function selectorProblem(selector: string): string | null {
  const text = selector.trim();
  if (text === "status" || text === "duration" || text === "body") return null;
  if (text.startsWith("$")) {
    const problem = jsonPathProblem(text);
    return problem === null ? null : `invalid JSONPath ${quote(text)}: ${problem}`;
  }
  const [keyword = "", ...rest] = text.split(/\s+/);
  const argument = rest.join(" ");
  if (keyword === "header") {
    if (argument === "") return `"header" needs a header name, for example "header Location"`;
    return isHeaderToken(argument) ? null : `${quote(argument)} is not a valid header name`;
  }
  if (keyword === "var") {
    if (argument === "") return `"var" needs a variable name, for example "var applicantId"`;
    return variableNameProblem(argument);
  }
  const guess = closestMatch(keyword, KEYWORDS);
  const hint = guess !== undefined && guess !== keyword ? ` (did you mean "${guess}"?)` : "";
  if (keyword.startsWith("{{")) return `a selector is never templated; use ${SELECTOR_FORMS}`;
  return `unknown selector ${quote(text)}${hint}; use ${SELECTOR_FORMS}`;
}
