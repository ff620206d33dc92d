import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { DOMParser, type Document, type Element, type Node } from '@xmldom/xmldom';
import {
  C14nCanonicalization,
  C14nCanonicalizationWithComments,
  ExclusiveCanonicalization,
  ExclusiveCanonicalizationWithComments,
} from 'xml-crypto';
import { x509 } from './x509.js';
import { verifiesWithKey } from './algorithms.js';
import { finding, verdictOf, type Finding, type Verdict } from './findings.js';
import type { SigningKey } from './signing-key.js';
import { summarize, type CertificateSummary, type CertificateVerifier, type ChainReport } from './trust.js';

// Loaded untyped: the package's type declarations pull the browser's DOM types into the whole program.
const xpath = createRequire(import.meta.url)('xpath') as {
  useNamespaces(namespaces: Record<string, string>): (expression: string, node: unknown) => unknown;
};

export const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
const EDXML_NS = 'http://www.mic.gov.vn/TBT/QCVN_102_2016';
const FILTER2 = 'http://www.w3.org/2002/06/xmldsig-filter2';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

const CANONICALIZATIONS = {
  [EXC_C14N]: ExclusiveCanonicalization,
  'http://www.w3.org/2001/10/xml-exc-c14n#WithComments': ExclusiveCanonicalizationWithComments,
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315': C14nCanonicalization,
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments': C14nCanonicalizationWithComments,
} as const;
const DIGESTS: Record<string, string> = {
  'http://www.w3.org/2000/09/xmldsig#sha1': 'sha1',
  [SHA256]: 'sha256',
  'http://www.w3.org/2001/04/xmlenc#sha512': 'sha512',
};
const SIGNATURES: Record<string, string> = {
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': 'sha1',
  [RSA_SHA256]: 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': 'sha512',
};

/**
 * Hubs append a TraceHeader to every package they forward (QCVN 102:2016), so the signature leaves
 * the trace headers out (XPath Filter 2.0, subtract) while covering everything else: the header,
 * the business information of TraceHeaderList, the manifest and every attachment.
 */
export const TRACE_HEADERS_XPATH = '/edXML:edXML/edXML:edXMLEnvelope/edXML:edXMLHeader/edXML:TraceHeaderList/edXML:TraceHeader';

export class XmlSignatureError extends Error {}

function parse(xml: string): Document {
  if (/<!DOCTYPE/i.test(xml)) throw new XmlSignatureError('documents with a DTD are refused');
  const errors: string[] = [];
  const doc = new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') errors.push(message);
    },
  }).parseFromString(xml, 'text/xml');
  if (errors.length > 0 || !doc.documentElement) throw new XmlSignatureError(`not well-formed XML: ${errors[0] ?? 'no root element'}`);
  return doc;
}

function childElements(parent: Node, ns: string, local: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === local) out.push(n as Element);
  }
  return out;
}

function child(parent: Node, local: string, ns = DSIG_NS): Element | undefined {
  return childElements(parent, ns, local)[0];
}

/** In-scope namespace declarations of an element's ancestors: inclusive c14n of a subtree needs them. */
function ancestorNamespaces(element: Element): { prefix: string; namespaceURI: string }[] {
  const seen = new Map<string, string>();
  for (let n = element.parentNode; n && n.nodeType === 1; n = n.parentNode) {
    const attributes = (n as Element).attributes;
    for (let i = 0; i < attributes.length; i++) {
      const a = attributes.item(i)!;
      const prefix = a.name === 'xmlns' ? '' : a.name.startsWith('xmlns:') ? a.name.slice(6) : null;
      if (prefix !== null && !seen.has(prefix)) seen.set(prefix, a.value);
    }
  }
  return [...seen].map(([prefix, namespaceURI]) => ({ prefix, namespaceURI }));
}

function canonicalize(algorithm: string, node: Element): string {
  const Algorithm = CANONICALIZATIONS[algorithm as keyof typeof CANONICALIZATIONS];
  if (!Algorithm) throw new XmlSignatureError(`canonicalization ${algorithm} is not supported`);
  return new Algorithm().process(node as never, { ancestorNamespaces: ancestorNamespaces(node) }) as string;
}

function removeNode(node: Node): void {
  node.parentNode?.removeChild(node);
}

/** Applies a Reference's transforms to a freshly parsed document (URI=""), which it changes, and returns the canonical bytes. */
function transformDocument(doc: Document, signatureIndex: number, transforms: Element[]): string {
  const root = doc.documentElement!;
  let canonical: string | null = null;
  for (const transform of transforms) {
    if (canonical !== null) throw new XmlSignatureError('a transform after canonicalization is not supported');
    const algorithm = transform.getAttribute('Algorithm') ?? '';
    if (algorithm === ENVELOPED) {
      const signature = doc.getElementsByTagNameNS(DSIG_NS, 'Signature')[signatureIndex];
      if (signature) removeNode(signature);
    } else if (algorithm === FILTER2) {
      for (const filter of childElements(transform, FILTER2, 'XPath')) {
        if (filter.getAttribute('Filter') !== 'subtract') throw new XmlSignatureError('only the subtract XPath filter is supported');
        const namespaces: Record<string, string> = {};
        for (const { prefix, namespaceURI } of [...ancestorNamespaces(filter), ...ownNamespaces(filter)]) namespaces[prefix] = namespaceURI;
        const selected = xpath.useNamespaces(namespaces)(filter.textContent ?? '', doc);
        for (const node of Array.isArray(selected) ? selected : []) removeNode(node as unknown as Node);
      }
    } else if (algorithm in CANONICALIZATIONS) {
      canonical = canonicalize(algorithm, root);
    } else {
      throw new XmlSignatureError(`transform ${algorithm} is not supported`);
    }
  }
  // A same-document reference without a final canonicalization is canonicalized with c14n 1.0.
  return canonical ?? canonicalize('http://www.w3.org/TR/2001/REC-xml-c14n-20010315', root);
}

function ownNamespaces(element: Element): { prefix: string; namespaceURI: string }[] {
  const out = [];
  for (let i = 0; i < element.attributes.length; i++) {
    const a = element.attributes.item(i)!;
    if (a.name.startsWith('xmlns:')) out.push({ prefix: a.name.slice(6), namespaceURI: a.value });
  }
  return out;
}

function signedInfoXml(digest: string): string {
  return (
    `<ds:SignedInfo>` +
    `<ds:CanonicalizationMethod Algorithm="${EXC_C14N}"/>` +
    `<ds:SignatureMethod Algorithm="${RSA_SHA256}"/>` +
    `<ds:Reference URI="">` +
    `<ds:Transforms>` +
    `<ds:Transform Algorithm="${ENVELOPED}"/>` +
    `<ds:Transform Algorithm="${FILTER2}"><dsig-xpath:XPath xmlns:dsig-xpath="${FILTER2}" xmlns:edXML="${EDXML_NS}" Filter="subtract">${TRACE_HEADERS_XPATH}</dsig-xpath:XPath></ds:Transform>` +
    `<ds:Transform Algorithm="${EXC_C14N}"/>` +
    `</ds:Transforms>` +
    `<ds:DigestMethod Algorithm="${SHA256}"/>` +
    `<ds:DigestValue>${digest}</ds:DigestValue>` +
    `</ds:Reference>` +
    `</ds:SignedInfo>`
  );
}

const HEADER_END = /<\/(?:[A-Za-z_][\w.-]*:)?edXMLHeader\s*>/;

/**
 * Signs an edXML package: an enveloped XML-DSig signature (RSA-SHA256, exclusive c14n, the
 * certificate and its chain in KeyInfo) placed last in edXMLHeader, where QCVN 102:2016 puts it.
 * The package must not carry a signature yet.
 */
export async function signEdxml(xml: string, key: SigningKey): Promise<string> {
  const doc = parse(xml);
  if (doc.getElementsByTagNameNS(DSIG_NS, 'Signature').length > 0 || doc.getElementsByTagNameNS(EDXML_NS, 'Signature').length > 0) {
    throw new XmlSignatureError('the package already carries a Signature element');
  }
  const match = HEADER_END.exec(xml);
  if (!match) throw new XmlSignatureError('the package has no edXMLHeader');
  // The transforms are read from the SignedInfo we write, so signing applies exactly what verifiers will.
  const template = child(parse(`<ds:Signature xmlns:ds="${DSIG_NS}">${signedInfoXml('')}</ds:Signature>`).documentElement!, 'SignedInfo')!;
  const transforms = childElements(child(child(template, 'Reference')!, 'Transforms')!, DSIG_NS, 'Transform');
  const digest = createHash('sha256')
    .update(transformDocument(doc, 0, transforms))
    .digest('base64');
  const signedInfo = signedInfoXml(digest);
  const standalone = parse(`<ds:Signature xmlns:ds="${DSIG_NS}">${signedInfo}</ds:Signature>`);
  const canonicalSignedInfo = canonicalize(EXC_C14N, child(standalone.documentElement!, 'SignedInfo')!);
  const value = await key.signDigest(createHash('sha256').update(canonicalSignedInfo).digest());
  const certificates = [key.certificate, ...key.chain]
    .map((c) => `<ds:X509Certificate>${Buffer.from(c.rawData).toString('base64')}</ds:X509Certificate>`)
    .join('');
  const signature =
    `<ds:Signature xmlns:ds="${DSIG_NS}">${signedInfo}` +
    `<ds:SignatureValue>${Buffer.from(value).toString('base64')}</ds:SignatureValue>` +
    `<ds:KeyInfo><ds:X509Data>${certificates}</ds:X509Data></ds:KeyInfo>` +
    `</ds:Signature>`;
  return xml.slice(0, match.index) + signature + xml.slice(match.index);
}

export interface XmlSignatureReport {
  kind: 'xml';
  /** The signer's certificate, or null when none could be found. */
  signer: CertificateSummary | null;
  chain: CertificateSummary[];
  integrity: boolean;
  revocation: ChainReport['revocation'];
  /** XML-DSig carries no trusted time: the signature is judged at verification time. */
  judgedAt: string;
  findings: Finding[];
  verdict: Verdict;
}

function report(base: Omit<XmlSignatureReport, 'kind' | 'verdict'>): XmlSignatureReport {
  return { kind: 'xml', ...base, verdict: verdictOf(base.findings) };
}

/** Verifies every XML-DSig signature of a document: references, signature value, certificate chain, revocation. */
export async function verifyXmlSignatures(xml: string, verifier: CertificateVerifier, now = new Date()): Promise<XmlSignatureReport[]> {
  const doc = parse(xml);
  const signatures = Array.from(doc.getElementsByTagNameNS(DSIG_NS, 'Signature'));
  const reports: XmlSignatureReport[] = [];
  for (const [index, signature] of signatures.entries()) reports.push(await verifyOne(xml, signature, index, verifier, now));
  return reports;
}

async function verifyOne(
  xml: string,
  signature: Element,
  index: number,
  verifier: CertificateVerifier,
  now: Date,
): Promise<XmlSignatureReport> {
  const findings: Finding[] = [];
  const base = { signer: null, chain: [], integrity: false, revocation: null, judgedAt: now.toISOString() };
  const signedInfo = child(signature, 'SignedInfo');
  const value = child(signature, 'SignatureValue')?.textContent?.replace(/\s+/g, '');
  if (!signedInfo || !value) return report({ ...base, findings: [finding('malformed', 'SignedInfo or SignatureValue is missing')] });
  const c14n = child(signedInfo, 'CanonicalizationMethod')?.getAttribute('Algorithm') ?? '';
  const method = SIGNATURES[child(signedInfo, 'SignatureMethod')?.getAttribute('Algorithm') ?? ''];
  if (!method || !(c14n in CANONICALIZATIONS)) return report({ ...base, findings: [finding('unsupported-algorithm', `${c14n}`)] });
  const references = childElements(signedInfo, DSIG_NS, 'Reference');
  if (references.length === 0) return report({ ...base, findings: [finding('malformed', 'no Reference')] });
  let integrity = true;
  for (const reference of references) {
    const uri = reference.getAttribute('URI');
    const digestMethod = DIGESTS[child(reference, 'DigestMethod')?.getAttribute('Algorithm') ?? ''];
    const expected = child(reference, 'DigestValue')?.textContent?.replace(/\s+/g, '') ?? '';
    if (uri !== '' || !digestMethod) {
      findings.push(
        finding('unsupported-algorithm', uri !== '' ? `Reference URI="${uri ?? ''}" (only the whole document, URI="")` : 'DigestMethod'),
      );
      integrity = false;
      continue;
    }
    const transforms = child(reference, 'Transforms');
    try {
      const canonical = transformDocument(parse(xml), index, transforms ? childElements(transforms, DSIG_NS, 'Transform') : []);
      if (createHash(digestMethod).update(canonical).digest('base64') !== expected) {
        findings.push(finding('integrity'));
        integrity = false;
      }
    } catch (error) {
      findings.push(finding('unsupported-algorithm', (error as Error).message));
      integrity = false;
    }
  }
  const certificates = Array.from(signature.getElementsByTagNameNS(DSIG_NS, 'X509Certificate')).flatMap((e) => {
    try {
      return [new x509.X509Certificate(Buffer.from((e.textContent ?? '').replace(/\s+/g, ''), 'base64'))];
    } catch {
      return [];
    }
  });
  const canonicalSignedInfo = canonicalize(c14n, signedInfo);
  const signatureBytes = Buffer.from(value, 'base64');
  const signer = certificates.find((c) => verifiesWithKey(method, canonicalSignedInfo, c.publicKey.rawData, signatureBytes));
  if (!signer) {
    findings.push(
      finding(
        certificates.length === 0 ? 'untrusted' : 'signature-value',
        certificates.length === 0 ? 'KeyInfo holds no certificate' : undefined,
      ),
    );
    return report({ ...base, integrity, findings });
  }
  const chain = await verifier.check(signer, { at: now, purpose: 'document', embedded: certificates });
  findings.push(...chain.findings);
  return report({
    signer: summarize(signer),
    chain: chain.chain,
    integrity,
    revocation: chain.revocation,
    judgedAt: now.toISOString(),
    findings,
  });
}
