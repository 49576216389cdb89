/**
 * Postman bodies as a collection's `json`, `form` or `text`: raw JSON is parsed (raw text that
 * is not valid JSON, such as JSON with an unquoted `{{number}}`, stays text with its
 * Content-Type), urlencoded fields become `form`, form-data text fields become `form` (files are
 * dropped), GraphQL becomes `json` `{ query, variables }`.
 */
import { mapJsonStrings } from "../json-map.ts";
import type { JsonValue, RequestSpec } from "../model.ts";
import type { HeaderList } from "./headers.ts";
import { enabledRows, isReservedKey, objectOf, stringOf, textOf } from "./values.ts";

/** The body fields of a request spec. */
export type BodyFields = Pick<RequestSpec, "json" | "form" | "text">;

/** A converted body, with what the user should be told. */
export interface ConvertedBody {
  body: BodyFields;
  notes: string[];
}

const LANGUAGE_TYPES: Record<string, string> = {
  json: "application/json",
  xml: "application/xml",
  html: "text/html",
  javascript: "application/javascript",
  text: "text/plain",
};

/** Converts a Postman body; may add or remove a Content-Type header. */
export function convertBody(
  input: unknown,
  headers: HeaderList,
  map: (text: string) => string,
): ConvertedBody {
  const body = objectOf(input);
  if (body === undefined || body.disabled === true) return { body: {}, notes: [] };
  const mode = stringOf(body.mode);
  switch (mode) {
    case undefined:
      return { body: {}, notes: [] };
    case "raw":
      return rawBody(
        textOf(body.raw) ?? "",
        stringOf(objectOf(objectOf(body.options)?.raw)?.language),
        headers,
        map,
      );
    case "urlencoded":
      return formBody(body.urlencoded, map, []);
    case "formdata":
      return formData(body.formdata, headers, map);
    case "graphql":
      return graphqlBody(objectOf(body.graphql), map);
    case "file":
      return { body: {}, notes: ["its file body was dropped (a collection cannot read files)"] };
    default:
      return { body: {}, notes: [`its body of mode "${mode}" was dropped (unknown mode)`] };
  }
}

function rawBody(
  raw: string,
  language: string | undefined,
  headers: HeaderList,
  map: (text: string) => string,
): ConvertedBody {
  if (raw.trim() === "") return { body: {}, notes: [] };
  const contentType = headers.get("content-type");
  const looksJson =
    language === "json" ||
    (contentType !== undefined && /json/i.test(contentType)) ||
    (language === undefined && contentType === undefined && /^\s*[[{]/.test(raw));
  if (looksJson) {
    try {
      return { body: { json: mapJsonStrings(JSON.parse(raw) as JsonValue, map) }, notes: [] };
    } catch {
      headers.add("Content-Type", "application/json");
      return {
        body: { text: map(raw) },
        notes: [
          "its JSON body is not valid JSON (an unquoted {{variable}}?), so it is sent as text with Content-Type: application/json",
        ],
      };
    }
  }
  const type = language === undefined ? undefined : LANGUAGE_TYPES[language];
  if (type !== undefined && contentType === undefined) headers.add("Content-Type", type);
  return { body: { text: map(raw) }, notes: [] };
}

function formBody(rows: unknown, map: (text: string) => string, notes: string[]): ConvertedBody {
  const form: Record<string, string> = {};
  let duplicate = false;
  let count = 0;
  for (const { key, value, row } of enabledRows(rows)) {
    if (row.type === "file") continue;
    if (key === "" || isReservedKey(key)) {
      notes.push(`a form field named ${JSON.stringify(key)} was dropped`);
      continue;
    }
    if (Object.hasOwn(form, key)) {
      duplicate = true;
      continue;
    }
    form[key] = map(textOf(value) ?? "");
    count++;
  }
  if (duplicate) notes.push("a form field appears more than once; only its first value is kept");
  return { body: count === 0 ? {} : { form }, notes };
}

function formData(rows: unknown, headers: HeaderList, map: (text: string) => string): ConvertedBody {
  const notes: string[] = [];
  const files = enabledRows(rows).filter(({ row }) => row.type === "file");
  if (files.length > 0)
    notes.push(`its form-data file field(s) ${files.map(({ key }) => `"${key}"`).join(", ")} were dropped`);
  const converted = formBody(rows, map, notes);
  if (converted.body.form !== undefined) {
    notes.push("its multipart form-data text fields are sent as an application/x-www-form-urlencoded form");
    const type = headers.get("content-type");
    if (type !== undefined && /multipart/i.test(type)) headers.delete("content-type");
  }
  return converted;
}

function graphqlBody(
  graphql: Record<string, unknown> | undefined,
  map: (text: string) => string,
): ConvertedBody {
  const query = stringOf(graphql?.query) ?? "";
  const variablesText = graphql?.variables;
  const notes: string[] = [];
  let variables: JsonValue = {};
  if (typeof variablesText === "string" && variablesText.trim() !== "") {
    try {
      variables = JSON.parse(variablesText) as JsonValue;
    } catch {
      notes.push("its GraphQL variables are not valid JSON and were dropped");
    }
  } else if (objectOf(variablesText) !== undefined) {
    variables = variablesText as JsonValue;
  }
  return { body: { json: mapJsonStrings({ query, variables }, map) }, notes };
}
