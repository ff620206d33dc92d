import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XmlDocument, XmlParseError, XmlValidateError, XsdValidator } from './libxml2.js';
import { elementPath } from './reader.js';
import { problem, type Problem } from './problem.js';
import { serialize, type XmlElement } from './xml-tree.js';

export const SCHEMA_PATH = join(import.meta.dirname, '..', 'schema', 'qcvn-102-2016.xsd');

let validator: XsdValidator | null = null;

function schemaValidator(): XsdValidator {
  if (!validator) {
    const xsd = XmlDocument.fromString(readFileSync(SCHEMA_PATH, 'utf8'));
    // The validator keeps what it needs of the schema document.
    validator = XsdValidator.fromDoc(xsd);
    xsd.dispose();
  }
  return validator;
}

/**
 * Checks the element tree (attachment bodies already taken out) against the QCVN 102:2016
 * schema. Each element is written on a line of its own so that libxml2's line numbers name it.
 */
export function checkSchema(root: XmlElement): Problem[] {
  const byLine: XmlElement[] = [];
  const parents = new Map<XmlElement, XmlElement>();
  const walk = (e: XmlElement) => e.children.forEach((c) => (parents.set(c, e), walk(c)));
  walk(root);
  const text = serialize(root, { oneElementPerLine: true, onLine: (element, line) => (byLine[line] = element) });
  const pathAt = (line: number) => {
    const stack: XmlElement[] = [];
    for (let e: XmlElement | undefined = byLine[line]; e; e = parents.get(e)) stack.unshift(e);
    return elementPath(stack);
  };
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromString(text);
  } catch (err) {
    // The reader lets through only what XML allows; should libxml2 still disagree, say so rather than fail.
    if (!(err instanceof XmlParseError)) throw err;
    return err.details.map((d) =>
      problem(pathAt(d.line), 'well-formed', `XML sai cú pháp: ${d.message.trim()}`, `Malformed XML: ${d.message.trim()}`),
    );
  }
  try {
    schemaValidator().validate(doc);
    return [];
  } catch (err) {
    if (!(err instanceof XmlValidateError)) throw err;
    return err.details.map((detail) => schemaProblem(pathAt(detail.line), detail.message));
  } finally {
    doc.dispose();
  }
}

/** libxml2's message, without namespace noise, and a Vietnamese reading of the usual ones. */
function schemaProblem(path: string, raw: string): Problem {
  const en = raw
    .replace(/\{[^}]*\}/g, '')
    .replace(/^Element '[^']*'(?:, attribute '[^']*')?: /, '')
    .replace(/\s+/g, ' ')
    .trim();
  return problem(path, 'schema', translate(en), en);
}

const TRANSLATIONS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^This element is not expected\. Expected is one of \( (.*) \)\.$/, (m) => `Phần tử không được phép ở đây; cần một trong: ${m[1]}.`],
  [/^This element is not expected\. Expected is \( (.*) \)\.$/, (m) => `Phần tử không được phép ở đây; cần: ${m[1]}.`],
  [/^This element is not expected\.$/, () => 'Phần tử không được phép ở đây.'],
  [/^Missing child element\(s\)\. Expected is one of \( (.*) \)\.$/, (m) => `Thiếu phần tử con, cần một trong: ${m[1]}.`],
  [/^Missing child element\(s\)\. Expected is \( (.*) \)\.$/, (m) => `Thiếu phần tử con: ${m[1]}.`],
  [/^\[facet '(\w+)'\] The value '(.*)' .*$/s, (m) => `Giá trị '${m[2]}' không thỏa ràng buộc ${m[1]}.`],
  [
    /^'(.*)' is not a valid value of the (?:atomic|union|local atomic) type '?([^']*)'?\.$/s,
    (m) => `Giá trị '${m[1]}' không hợp lệ (kiểu ${m[2]}).`,
  ],
  [/^Character content other than whitespace is not allowed.*$/, () => 'Phần tử này chỉ chứa phần tử con, không chứa văn bản.'],
  [/^Element content is not allowed.*$/, () => 'Phần tử này chỉ chứa văn bản, không chứa phần tử con.'],
  [
    /^No matching global declaration available for the validation root\.$/,
    () => 'Phần tử gốc không phải edXML, edXMLEnvelope hay Status của QCVN 102:2016.',
  ],
  [/^The attribute '(.*)' is not allowed\.$/, (m) => `Không được có thuộc tính '${m[1]}'.`],
];

function translate(en: string): string {
  for (const [pattern, vi] of TRANSLATIONS) {
    const m = pattern.exec(en);
    if (m) return vi(m);
  }
  return `Không đúng lược đồ: ${en}`;
}
