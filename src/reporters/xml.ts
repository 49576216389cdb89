/** XML 1.0 escaping for text and attribute values. */

/** Whether a UTF-16 code unit at `index` can appear in XML 1.0 (surrogates only as pairs). */
function isXmlChar(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  if (code === 0x09 || code === 0x0a || code === 0x0d) return true;
  if (code < 0x20 || code === 0xfffe || code === 0xffff) return false;
  if (code >= 0xd800 && code <= 0xdbff) {
    const next = text.charCodeAt(index + 1);
    return next >= 0xdc00 && next <= 0xdfff;
  }
  if (code >= 0xdc00 && code <= 0xdfff) {
    const previous = text.charCodeAt(index - 1);
    return previous >= 0xd800 && previous <= 0xdbff;
  }
  return true;
}

/** Replaces characters XML 1.0 cannot hold, even escaped, by a visible `\uXXXX`. */
function withoutInvalidChars(text: string): string {
  let out = "";
  for (let index = 0; index < text.length; index += 1) {
    out += isXmlChar(text, index)
      ? text[index]
      : `\\u${text.charCodeAt(index).toString(16).padStart(4, "0")}`;
  }
  return out;
}

/** Escapes text for an element's content or an attribute value (quotes included). */
export function escapeXml(text: string): string {
  return withoutInvalidChars(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** Escapes an attribute value, also keeping line breaks and tabs (which attribute normalization would eat). */
export function escapeXmlAttribute(text: string): string {
  return escapeXml(text).replace(/\r/g, "&#13;").replace(/\n/g, "&#10;").replace(/\t/g, "&#9;");
}
