/**
 * Postman's dynamic variables (`{{$guid}}`, `{{$randomInt}}`...): those with an equivalent
 * built-in are renamed to it; the others are kept and reported, since at run time an unknown
 * variable makes the item `errored`, naming it. Templates are found as the runner finds them
 * (`{{`, one or more characters other than `}`, then `}}`: see ../template.ts), so `{{{$guid}}`
 * names `{$guid`, no dynamic variable, and is left alone.
 */
import { ExpansionBudget, expandText, templateNames } from "../template.ts";

const EQUIVALENTS: Record<string, string> = {
  $guid: "$uuid",
  $randomUUID: "$uuid",
  $uuid: "$uuid",
  $timestamp: "$timestamp",
  $isoTimestamp: "$isoTimestamp",
  $randomInt: "$randomInt",
};

/** Whether a template's (trimmed) name is one of Postman's dynamic variables. */
function isDynamic(name: string): boolean {
  return name.startsWith("$");
}

/**
 * Renames dynamic variables in a string; `onUnknown` hears each one without an equivalent. A
 * string without one is returned as it is; in one with, every template is written back with its
 * name trimmed (`{{ $guid }}` becomes `{{$uuid}}`, `{{ id }}` becomes `{{id}}`), which the runner
 * reads the same, since it trims names too.
 * @example
 * mapDynamicVariables("/x/{{$guid}}", () => {}); // "/x/{{$uuid}}"
 */
export function mapDynamicVariables(text: string, onUnknown: (name: string) => void): string {
  if (!text.includes("{{") || !templateNames(text).some(isDynamic)) return text;
  // The runner's own expander, over the same scanner, with each template's replacement as its
  // "value": inserted as written, never scanned again. Nothing grows (a replacement is never
  // longer than its template), so no limit applies.
  return expandText(
    text,
    (name) => {
      if (!isDynamic(name)) return name === "" ? "{{ }}" : `{{${name}}}`;
      const equivalent = Object.hasOwn(EQUIVALENTS, name) ? EQUIVALENTS[name] : undefined;
      if (equivalent !== undefined) return `{{${equivalent}}}`;
      onUnknown(name);
      return `{{${name}}}`;
    },
    "",
    new ExpansionBudget(Number.POSITIVE_INFINITY),
  );
}
