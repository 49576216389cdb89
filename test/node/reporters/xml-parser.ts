/**
 * A small strict XML parser for the reporter tests: elements, attributes, text, the five
 * predefined entities and numeric references; throws on anything not well-formed.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.-]*/;

function decode(raw: string, where: number): string {
  return raw.replace(/&([^;]*);?/g, (whole, entity: string) => {
    if (!whole.endsWith(";")) throw new Error(`unterminated entity at ${where}`);
    const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
    if (entity in named) return named[entity] ?? "";
    const numeric = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(entity);
    if (!numeric) throw new Error(`unknown entity &${entity}; at ${where}`);
    const code = entity[1] === "x" ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1));
    return String.fromCodePoint(code);
  });
}

function checkChars(text: string): void {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    const ok =
      code === 9 || code === 10 || code === 13 || (code >= 0x20 && code !== 0xfffe && code !== 0xffff);
    if (!ok) throw new Error(`character U+${code.toString(16)} is not allowed in XML at ${index}`);
  }
}

/** Parses a document and returns its root element. */
export function parseXml(xml: string): XmlElement {
  checkChars(xml);
  let at = 0;
  if (xml.startsWith("<?xml")) {
    const end = xml.indexOf("?>");
    if (end < 0) throw new Error("unterminated declaration");
    at = end + 2;
  }
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (at < xml.length) {
    const lt = xml.indexOf("<", at);
    const text = xml.slice(at, lt < 0 ? xml.length : lt);
    if (text.includes(">") || (text.includes("&") && !/&[^;\s]+;/.test(text)))
      throw new Error(`bad text at ${at}`);
    const parent = stack[stack.length - 1];
    if (parent) parent.text += decode(text, at);
    else if (text.trim() !== "") throw new Error(`text outside the root at ${at}`);
    if (lt < 0) break;
    at = lt + 1;
    if (xml[at] === "/") {
      const name = NAME.exec(xml.slice(at + 1))?.[0];
      const open = stack.pop();
      if (!name || open?.name !== name) throw new Error(`mismatched </${name}> at ${at}`);
      at = xml.indexOf(">", at) + 1;
      if (at === 0) throw new Error("unterminated end tag");
      continue;
    }
    const name = NAME.exec(xml.slice(at))?.[0];
    if (!name) throw new Error(`bad tag name at ${at}`);
    at += name.length;
    const element: XmlElement = { name, attributes: {}, children: [], text: "" };
    for (;;) {
      const rest = xml.slice(at);
      const space = /^\s*/.exec(rest)?.[0] ?? "";
      at += space.length;
      if (xml.startsWith("/>", at) || xml[at] === ">") break;
      if (space === "") throw new Error(`missing space before attribute at ${at}`);
      const attribute = /^([A-Za-z_][\w.:-]*)="([^"<]*)"/.exec(xml.slice(at));
      if (!attribute) throw new Error(`bad attribute at ${at}`);
      const [whole, key = "", value = ""] = attribute;
      if (key in element.attributes) throw new Error(`duplicate attribute ${key}`);
      element.attributes[key] = decode(value, at);
      at += whole.length;
    }
    const selfClosing = xml.startsWith("/>", at);
    at += selfClosing ? 2 : 1;
    const holder = stack[stack.length - 1];
    if (holder) holder.children.push(element);
    else if (root) throw new Error("two root elements");
    else root = element;
    if (!selfClosing) stack.push(element);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1]?.name}>`);
  if (!root) throw new Error("no root element");
  return root;
}
