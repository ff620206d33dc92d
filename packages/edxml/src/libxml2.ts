/**
 * libxml2-wasm, with its classes made optimizable on Node 20: import it from here.
 *
 * libxml2-wasm 0.7 declares its classes with TypeScript's decorator helpers, which redefine each
 * class's `name`. That leaves each class, a function object, with dictionary properties. V8 11
 * (Node 20) then never keeps optimized code for a function that constructs one of them:
 * - TurboFan skips the default constructors up to the one that makes the object, guarded by a
 *   dependency on the map of every class on the way being stable;
 * - the check made when the code is installed fails on those maps;
 * - so the code is thrown away ("Bailed out due to dependency change", `--trace-opt`) and compiled
 *   again, and again.
 *
 * That hit every function that makes nodes: the node constructors, libxml2-wasm's `createNode`, the
 * getters that walk a document, and ours that call them. In a hub under load it meant about 1,500
 * compilations thrown away per 4,000 packages, 7.6 s of compiling, and the XML code left unoptimized.
 *
 * A class that another class extends becomes a prototype, and V8 gives a prototype fast properties.
 * So each decorated class is extended once here, by a class that is then dropped.
 */
import * as nodes from 'libxml2-wasm/lib/nodes.mjs';
import { RelaxNGValidator, XmlDocument, XmlDtd, XmlXPath, XsdValidator } from 'libxml2-wasm';

export * from 'libxml2-wasm';

/** Every class libxml2-wasm 0.7 declares with a decorator. */
export const DECORATED_CLASSES: readonly (abstract new (...args: never[]) => object)[] = [
  nodes.XmlElement,
  nodes.XmlAttribute,
  nodes.XmlText,
  nodes.XmlCData,
  nodes.XmlComment,
  nodes.XmlEntityReference,
  nodes.XmlProcessingInstructionNode,
  nodes.XmlDocumentNode,
  nodes.XmlDocumentTypeNode,
  nodes.XmlElementDeclNode,
  nodes.XmlAttributeDeclNode,
  nodes.XmlEntityDeclNode,
  nodes.XmlNamespaceDeclNode,
  XmlDocument,
  XmlDtd,
  XmlXPath,
  XsdValidator,
  RelaxNGValidator,
];

for (const decorated of DECORATED_CLASSES) void class extends decorated {};
