/**
 * A strict little XML parser for reading JUnit reports back in tests: elements, attributes,
 * text, CDATA, comments, the XML declaration and the five predefined entities plus numeric
 * references. Anything malformed (unclosed or mismatched tags, bad attributes, stray `<` or `&`)
 * throws, which is the point: a report that is not well-formed XML fails the test.
 */

/** An element. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The concatenated text directly inside this element. */
  text: string;
}

const NAME = /^[A-Za-z_:][A-Za-z0-9_.:-]*/;

function decode(text: string, at: number): string {
  return text.replace(/&([^;]*);|&/g, (whole, entity: string | undefined) => {
    if (entity === undefined) throw new Error(`bare "&" near offset ${at}`);
    const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
    if (entity in named) return named[entity]!;
    const numeric = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(entity);
    if (numeric)
      return String.fromCodePoint(
        Number.parseInt(entity.slice(entity[1] === "x" ? 2 : 1), entity[1] === "x" ? 16 : 10),
      );
    throw new Error(`unknown entity ${whole} near offset ${at}`);
  });
}

/** Parses a document and returns its root element. */
export function parseXml(source: string): XmlElement {
  let position = 0;
  const skipMisc = () => {
    for (;;) {
      const rest = source.slice(position);
      const space = /^\s+/.exec(rest);
      if (space) position += space[0].length;
      else if (rest.startsWith("<?")) position = end("?>", position) + 2;
      else if (rest.startsWith("<!--")) position = end("-->", position) + 3;
      else return;
    }
  };
  const end = (token: string, from: number) => {
    const index = source.indexOf(token, from);
    if (index === -1) throw new Error(`unterminated construct at offset ${from}`);
    return index;
  };

  const element = (): XmlElement => {
    if (source[position] !== "<") throw new Error(`expected an element at offset ${position}`);
    position++;
    const name = NAME.exec(source.slice(position))?.[0];
    if (!name) throw new Error(`bad element name at offset ${position}`);
    position += name.length;
    const node: XmlElement = { name, attributes: {}, children: [], text: "" };
    for (;;) {
      const space = /^\s*/.exec(source.slice(position))![0];
      position += space.length;
      if (source.startsWith("/>", position)) {
        position += 2;
        return node;
      }
      if (source[position] === ">") {
        position++;
        break;
      }
      if (space === "") throw new Error(`expected whitespace before an attribute at offset ${position}`);
      const attr = /^([A-Za-z_:][A-Za-z0-9_.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(source.slice(position));
      if (!attr) throw new Error(`bad attribute at offset ${position}`);
      if (attr[1]! in node.attributes)
        throw new Error(`duplicate attribute ${attr[1]} at offset ${position}`);
      node.attributes[attr[1]!] = decode(attr[3] ?? attr[4] ?? "", position);
      position += attr[0].length;
    }
    for (;;) {
      if (position >= source.length) throw new Error(`<${name}> is never closed`);
      if (source.startsWith("</", position)) {
        const close = /^<\/([A-Za-z_:][A-Za-z0-9_.:-]*)\s*>/.exec(source.slice(position));
        if (!close || close[1] !== name)
          throw new Error(`</${close?.[1] ?? "?"}> does not close <${name}> at offset ${position}`);
        position += close[0].length;
        return node;
      }
      if (source.startsWith("<!--", position)) {
        position = end("-->", position) + 3;
      } else if (source.startsWith("<![CDATA[", position)) {
        const close = end("]]>", position);
        node.text += source.slice(position + 9, close);
        position = close + 3;
      } else if (source[position] === "<") {
        node.children.push(element());
      } else {
        const next = source.indexOf("<", position);
        const raw = source.slice(position, next === -1 ? source.length : next);
        if (raw.includes(">") && raw.includes("]]>")) throw new Error(`"]]>" in text at offset ${position}`);
        node.text += decode(raw, position);
        position += raw.length;
      }
    }
  };

  skipMisc();
  const root = element();
  skipMisc();
  if (position !== source.length) throw new Error(`content after the root element at offset ${position}`);
  return root;
}

/** Every descendant element with this name, in document order. */
export function findAll(node: XmlElement, name: string): XmlElement[] {
  return node.children.flatMap((child) => [...(child.name === name ? [child] : []), ...findAll(child, name)]);
}
