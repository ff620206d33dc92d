import * as asn1js from 'asn1js';
import { ParseSpeeds, PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString } from 'pdf-lib';
import { OID, attributeValue, parseSignedData } from '../cms.js';
import { checkSigner } from '../cms-verify.js';
import { digestWith } from '../algorithms.js';
import { finding, verdictOf, type Finding, type Verdict } from '../findings.js';
import { verifyTimestamp } from '../timestamp.js';
import { summarize, type CertificateSummary, type CertificateVerifier, type ChainReport } from '../trust.js';
import { addedTexts, contentChanges } from './revisions.js';

const SUPPORTED_SUBFILTERS = new Set(['ETSI.CAdES.detached', 'adbe.pkcs7.detached']);

export interface PdfSignatureReport {
  kind: 'pdf';
  /** The signature field's name. */
  field: string | null;
  subFilter: string | null;
  signer: CertificateSummary | null;
  chain: CertificateSummary[];
  /** The signed bytes are unchanged. */
  integrity: boolean;
  /** The signature covers the whole file; otherwise later revisions were appended. */
  coversWholeFile: boolean;
  /** The time the signer's system claims (/M), not proven. */
  claimedTime: string | null;
  /** A trusted time from an RFC 3161 timestamp (PAdES B-T). */
  timestamp: { time: string; authority: CertificateSummary | null } | null;
  /** The time validity was judged at: the timestamp's when it holds, otherwise the verification time. */
  judgedAt: string;
  revocation: ChainReport['revocation'];
  findings: Finding[];
  verdict: Verdict;
}

interface FoundSignature {
  ref: PDFRef;
  field: string | null;
  byteRange: number[];
  contents: Uint8Array;
  subFilter: string | null;
  claimedTime: Date | null;
}

function text(o: unknown): string | null {
  return o instanceof PDFString || o instanceof PDFHexString ? o.decodeText() : null;
}

function findSignatures(doc: PDFDocument): FoundSignature[] {
  const fieldNames = new Map<number, string>();
  const found: FoundSignature[] = [];
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict)) continue;
    const value = object.get(PDFName.of('V'));
    if (object.get(PDFName.of('FT')) === PDFName.of('Sig') && value instanceof PDFRef) {
      fieldNames.set(value.objectNumber, text(object.get(PDFName.of('T'))) ?? '');
    }
    const byteRange = object.lookupMaybe(PDFName.of('ByteRange'), PDFArray);
    const contents = object.get(PDFName.of('Contents'));
    if (!byteRange || !(contents instanceof PDFHexString || contents instanceof PDFString)) continue;
    const m = text(object.get(PDFName.of('M')));
    const subFilter = object.lookupMaybe(PDFName.of('SubFilter'), PDFName);
    found.push({
      ref,
      field: null,
      byteRange: byteRange.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : NaN)),
      contents: contents.asBytes(),
      subFilter: subFilter ? subFilter.decodeText() : null,
      claimedTime: m ? parsePdfDate(m) : null,
    });
  }
  for (const s of found) s.field = fieldNames.get(s.ref.objectNumber) ?? null;
  return found.sort((a, b) => (a.byteRange[2] ?? 0) - (b.byteRange[2] ?? 0));
}

function parsePdfDate(value: string): Date | null {
  const m = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?/.exec(value);
  if (!m) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', zone = 'Z'] = m;
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.replace(/'/g, '').slice(3, 5)}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The DER inside /Contents, without the zero padding after it. */
function derOf(contents: Uint8Array): Uint8Array {
  const parsed = asn1js.fromBER(contents);
  if (parsed.offset === -1) throw new Error(parsed.result.error);
  return contents.subarray(0, parsed.offset);
}

/** Verifies every signature of a PDF, revisions included. An empty list: the PDF is not signed. */
export async function verifyPdfSignatures(pdf: Uint8Array, verifier: CertificateVerifier, now = new Date()): Promise<PdfSignatureReport[]> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false, ignoreEncryption: true, parseSpeed: ParseSpeeds.Fastest });
  const reports: PdfSignatureReport[] = [];
  const revisions = new Map<number, PDFDocument>();
  for (const signature of findSignatures(doc)) reports.push(await verifyOne(pdf, doc, signature, verifier, now, revisions));
  return reports;
}

async function verifyOne(
  pdf: Uint8Array,
  doc: PDFDocument,
  s: FoundSignature,
  verifier: CertificateVerifier,
  now: Date,
  revisions: Map<number, PDFDocument>,
): Promise<PdfSignatureReport> {
  const findings: Finding[] = [];
  const base = {
    kind: 'pdf' as const,
    field: s.field,
    subFilter: s.subFilter,
    signer: null,
    chain: [],
    integrity: false,
    coversWholeFile: false,
    claimedTime: s.claimedTime?.toISOString() ?? null,
    timestamp: null,
    judgedAt: now.toISOString(),
    revocation: null,
  };
  const done = (extra: Partial<PdfSignatureReport>): PdfSignatureReport => {
    const all = [...findings];
    return { ...base, ...extra, findings: all, verdict: verdictOf(all) };
  };
  const [a, b, c, d] = s.byteRange;
  // The only unsigned bytes must be the /Contents hex string itself.
  if (
    s.byteRange.length !== 4 ||
    a !== 0 ||
    !Number.isInteger(b) ||
    !Number.isInteger(c) ||
    !Number.isInteger(d) ||
    b! >= c! ||
    c! + d! > pdf.length ||
    pdf[b!] !== 0x3c ||
    pdf[c! - 1] !== 0x3e
  ) {
    findings.push(finding('malformed', `ByteRange [${s.byteRange.join(' ')}]`));
    return done({});
  }
  if (!s.subFilter || !SUPPORTED_SUBFILTERS.has(s.subFilter)) {
    findings.push(finding('unsupported-algorithm', `SubFilter ${s.subFilter ?? '(none)'}`));
    return done({});
  }
  let signedData;
  try {
    signedData = parseSignedData(derOf(s.contents));
  } catch (error) {
    findings.push(finding('malformed', (error as Error).message));
    return done({});
  }
  const ranges = [pdf.subarray(0, b), pdf.subarray(c!, c! + d!)];
  const signer = checkSigner(signedData, (algorithm) => digestWith(algorithm, ranges));
  findings.push(...signer.findings);
  const integrity = !signer.findings.some((f) => f.code === 'integrity');
  const end = c! + d!;
  const coversWholeFile = end === pdf.length || /^\s*$/.test(Buffer.from(pdf.subarray(end)).toString('latin1'));
  if (!coversWholeFile) {
    let revision = revisions.get(end);
    if (!revision) {
      revision = await PDFDocument.load(pdf.subarray(0, end), {
        updateMetadata: false,
        ignoreEncryption: true,
        parseSpeed: ParseSpeeds.Fastest,
      });
      revisions.set(end, revision);
    }
    const changed = contentChanges(revision, doc);
    const texts = changed.length ? [] : addedTexts(revision, doc);
    findings.push(
      changed.length
        ? finding('content-changed-later', `objects ${changed.slice(0, 10).join(', ')}`)
        : texts.length
          ? finding('later-text', texts.map((t) => `“${t}”`).join('; '))
          : finding('later-changes'),
    );
  }
  let at = now;
  let timestamp: PdfSignatureReport['timestamp'] = null;
  const token = signer.signerInfo.unsignedAttrs?.attributes.find((x) => x.type === OID.signatureTimeStampToken)?.values[0] as
    asn1js.BaseBlock | undefined;
  if (token) {
    try {
      const report = await verifyTimestamp(new Uint8Array(token.toBER()), signer.signerInfo.signature.valueBlock.valueHexView, verifier);
      const problems = [...report.findings, ...report.authority.findings].filter((f) => f.code !== 'revoked-later');
      const open = problems.filter((f) => f.code === 'revocation-unknown');
      if (problems.length === open.length) {
        at = report.time;
        timestamp = { time: report.time.toISOString(), authority: report.authority.chain[0] ?? null };
        findings.push(...open.map((f) => ({ ...f, detail: `timestamp authority: ${f.detail ?? ''}` })));
      } else {
        findings.push(finding('timestamp-invalid', problems.map((p) => p.detail ?? p.en).join('; ')));
      }
    } catch (error) {
      findings.push(finding('timestamp-invalid', (error as Error).message));
    }
  }
  if (attributeValue(signer.signerInfo.signedAttrs, OID.signingTime) && !s.claimedTime) {
    const time = (attributeValue(signer.signerInfo.signedAttrs, OID.signingTime) as asn1js.UTCTime).toDate();
    base.claimedTime = time.toISOString();
  }
  if (!signer.certificate) return done({ integrity, coversWholeFile, timestamp, judgedAt: at.toISOString() });
  const chain = await verifier.check(signer.certificate, { at, purpose: 'document', embedded: signer.embedded });
  findings.push(...chain.findings);
  return done({
    signer: summarize(signer.certificate),
    chain: chain.chain,
    integrity,
    coversWholeFile,
    timestamp,
    judgedAt: at.toISOString(),
    revocation: chain.revocation,
  });
}
