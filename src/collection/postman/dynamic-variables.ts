/**
 * Postman's dynamic variables (`{{$guid}}`, `{{$randomInt}}`...): those with an equivalent
 * built-in are renamed to it; the others are kept as written and reported, since at run time an
 * unknown variable makes the item `errored`, naming it.
 */

const EQUIVALENTS: Record<string, string> = {
  $guid: "$uuid",
  $randomUUID: "$uuid",
  $uuid: "$uuid",
  $timestamp: "$timestamp",
  $isoTimestamp: "$isoTimestamp",
  $randomInt: "$randomInt",
};

const TEMPLATE = /\{\{\s*(\$[^{}]*?)\s*\}\}/g;

/** Renames dynamic variables in a string; `onUnknown` hears each one without an equivalent. */
export function mapDynamicVariables(text: string, onUnknown: (name: string) => void): string {
  if (!text.includes("{{")) return text;
  return text.replace(TEMPLATE, (whole, name: string) => {
    const equivalent = EQUIVALENTS[name];
    if (equivalent !== undefined) return `{{${equivalent}}}`;
    onUnknown(name);
    return whole;
  });
}
