/** The small element tree the reader builds of everything but attachment bodies. */

export const EDXML_NS = 'http://www.mic.gov.vn/TBT/QCVN_102_2016';
export const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

export interface XmlAttribute {
  /** The name as written, e.g. `Id` or `xml:lang` (namespace declarations are not kept here). */
  readonly qname: string;
  readonly uri: string;
  readonly value: string;
}

export interface XmlElement {
  readonly local: string;
  readonly uri: string;
  readonly attributes: XmlAttribute[];
  readonly children: XmlElement[];
  /** Character data directly inside the element. */
  text: string;
  /** Set on `ContentTransferEncoded` elements whose body streamed to an attachment sink. */
  attachmentIndex?: number;
}

export function escapeText(text: string): string {
  return text.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;'));
}

export function escapeAttribute(text: string): string {
  return text.replace(/[&<"\r\n\t]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function childrenNamed(element: XmlElement, local: string): XmlElement[] {
  return element.children.filter((c) => c.local === local);
}

/**
 * Writes a subtree on its own: each element in its namespace as the default one, declared
 * where it changes, so the text means the same wherever it is pasted. `onLine` learns the line
 * of each element's start tag, which `oneElementPerLine` puts on a line of its own.
 */
export function serialize(
  root: XmlElement,
  options: { oneElementPerLine?: boolean; onLine?: (element: XmlElement, line: number) => void } = {},
): string {
  const out: string[] = [];
  let line = 1;
  const walk = (element: XmlElement, parentUri: string | null) => {
    if (options.oneElementPerLine && out.length > 0) {
      out.push('\n');
      line++;
    }
    options.onLine?.(element, line);
    let tag = `<${element.local}`;
    if (element.uri !== parentUri) tag += ` xmlns="${escapeAttribute(element.uri)}"`;
    const prefixes = new Map<string, string>();
    for (const a of element.attributes) {
      const colon = a.qname.indexOf(':');
      const prefix = colon > 0 ? a.qname.slice(0, colon) : '';
      if (prefix && prefix !== 'xml' && !prefixes.has(prefix)) {
        prefixes.set(prefix, a.uri);
        tag += ` xmlns:${prefix}="${escapeAttribute(a.uri)}"`;
      }
      tag += ` ${a.qname}="${escapeAttribute(a.value)}"`;
    }
    if (element.children.length === 0 && element.text === '') {
      out.push(tag + '/>');
      return;
    }
    // On one line per element, line breaks inside text are written as references so lines still map to elements.
    const text = options.oneElementPerLine ? escapeText(element.text).replaceAll('\n', '&#10;') : escapeText(element.text);
    out.push(tag + '>' + text);
    for (const child of element.children) walk(child, element.uri);
    if (options.oneElementPerLine && element.children.length > 0) {
      out.push('\n');
      line++;
    }
    out.push(`</${element.local}>`);
  };
  walk(root, null);
  return out.join('');
}
