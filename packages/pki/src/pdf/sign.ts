import { readFile } from 'node:fs/promises';
import * as asn1js from 'asn1js';
import fontkit from '@pdf-lib/fontkit';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFImage, type PDFPage } from 'pdf-lib';
import { pkijs } from '../x509.js';
import { OID, contentInfoDer, signCms } from '../cms.js';
import { sha256 } from '../algorithms.js';
import type { SigningKey } from '../signing-key.js';
import { obtainTimestamp, type TimestampSource } from '../timestamp.js';
import { appendIncrement, reserveObjectNumbers } from './incremental.js';
import { AGENCY_STRIP, agencyAppearance, signerAppearance, vietnamTime } from './stamp.js';
import { embedSealImage } from './seal-image.js';

/** Debian's fonts-dejavu-core: it covers Vietnamese. */
export const DEFAULT_STAMP_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const DEFAULT_RESERVE = 24 * 1024;
const PLACEHOLDER = '**********';

export class PdfSignError extends Error {}

export interface PdfSignOptions {
  key: SigningKey;
  /** The signer signs first; the agency signs at issue, its seal over the signer's stamp. */
  role: 'signer' | 'agency';
  /** With a timestamp authority the signature is PAdES B-T; without, B-B. */
  timestamp?: TimestampSource;
  at?: Date;
  /** 1-based page for the stamp; the last page by default. */
  page?: number;
  /** Signer's stamp: x, y, width, height in points from the lower left corner. */
  rect?: [number, number, number, number];
  /** Text of the stamp; by default the certificate's name and organization and the time. */
  lines?: string[];
  /** The agency's seal, PNG or JPEG. */
  sealImage?: Uint8Array;
  fontFile?: string;
  reason?: string;
  location?: string;
  /** Bytes kept for the CMS signature (certificates and timestamp included). */
  reserve?: number;
  /** ETSI.CAdES.detached (PAdES, the default) or adbe.pkcs7.detached for a CMS made elsewhere. */
  subFilter?: 'ETSI.CAdES.detached' | 'adbe.pkcs7.detached';
}

function nameOf(key: SigningKey, field: string): string | undefined {
  return key.certificate.subjectName.getField(field)[0];
}

/** The first signed signature widget on the page: the signer's stamp, which the agency's seal overlaps. */
function signerWidgetRect(page: PDFPage): [number, number, number, number] | null {
  const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
  for (let i = 0; annots && i < annots.size(); i++) {
    const widget = annots.lookupMaybe(i, PDFDict);
    if (widget?.get(PDFName.of('FT')) !== PDFName.of('Sig') || !widget.get(PDFName.of('V'))) continue;
    const rect = widget.lookupMaybe(PDFName.of('Rect'), PDFArray);
    if (!rect) continue;
    const [x1, y1, x2, y2] = [0, 1, 2, 3].map((k) => rect.lookup(k, PDFNumber).asNumber()) as [number, number, number, number];
    return [Math.min(x1, x2), Math.min(y1, y2), Math.abs(x2 - x1), Math.abs(y2 - y1)];
  }
  return null;
}

function signatureCount(doc: PDFDocument): number {
  return doc.context.enumerateIndirectObjects().filter(([, o]) => o instanceof PDFDict && o.get(PDFName.of('Type')) === PDFName.of('Sig'))
    .length;
}

/** Writes the signature field, its stamp and an empty signature value as an incremental update. */
export async function preparePdf(pdf: Uint8Array, options: PdfSignOptions): Promise<PreparedPdf> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(pdf, { updateMetadata: false });
  } catch (error) {
    throw new PdfSignError(`not a readable PDF: ${(error as Error).message}`);
  }
  if (doc.isEncrypted) throw new PdfSignError('encrypted PDFs cannot be signed');
  const at = options.at ?? new Date();
  const reserve = options.reserve ?? DEFAULT_RESERVE;
  reserveObjectNumbers(pdf, doc);
  const largestBefore = doc.context.largestObjectNumber;
  const fieldNumber = signatureCount(doc) + 1;
  const pages = doc.getPages();
  const pageIndex = (options.page ?? pages.length) - 1;
  const page = pages[pageIndex];
  if (!page) throw new PdfSignError(`the PDF has no page ${pageIndex + 1}`);

  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(await readFile(options.fontFile ?? DEFAULT_STAMP_FONT), { subset: true });
  const commonName = nameOf(options.key, 'CN') ?? options.key.certificate.subject;
  const organization = nameOf(options.key, 'O');
  const time = vietnamTime(at);
  let rect: [number, number, number, number];
  let ap;
  let image: PDFImage | null = null;
  if (options.role === 'signer') {
    rect = options.rect ?? [page.getWidth() - 36 - 230, 60, 230, 64];
    const lines = options.lines ?? ['Ký bởi / Signed by:', commonName, ...(organization ? [organization] : []), `Thời gian ký: ${time}`];
    ap = signerAppearance(doc, font, { width: rect[2], height: rect[3] }, lines);
  } else {
    const under = options.rect ?? signerWidgetRect(page) ?? [page.getWidth() - 36 - 230, 60, 230, 64];
    rect = [under[0], under[1] - AGENCY_STRIP, under[2], under[3] + AGENCY_STRIP];
    if (options.sealImage) {
      image = await embedSealImage(doc, options.sealImage);
    }
    const lines = options.lines ?? [organization ?? commonName, time];
    ap = agencyAppearance(doc, font, { width: rect[2], height: rect[3] }, lines, image, commonName);
  }
  await font.embed();
  if (image) await image.embed();
  const apRef = doc.context.register(ap);

  const sigDict = doc.context.obj({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: options.subFilter ?? 'ETSI.CAdES.detached',
    ByteRange: [0, PDFName.of(PLACEHOLDER), PDFName.of(PLACEHOLDER), PDFName.of(PLACEHOLDER)],
    Contents: PDFHexString.of('0'.repeat(reserve * 2)),
    M: PDFString.fromDate(at),
    // Text strings with Vietnamese letters must be UTF-16: PDFString is Latin-1 only.
    Name: PDFHexString.fromText(commonName),
    ...(options.reason ? { Reason: PDFHexString.fromText(options.reason) } : {}),
    ...(options.location ? { Location: PDFHexString.fromText(options.location) } : {}),
  });
  const sigRef = doc.context.register(sigDict);
  const widget = doc.context.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    T: PDFHexString.fromText(`${options.role === 'signer' ? 'Chữ ký' : 'Chữ ký cơ quan'} ${fieldNumber}`),
    V: sigRef,
    Rect: [rect[0], rect[1], rect[0] + rect[2], rect[1] + rect[3]],
    F: 4,
    P: page.ref,
    AP: { N: apRef },
  });
  const widgetRef = doc.context.register(widget);

  const changed: PDFRef[] = [page.ref];
  const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
  const newAnnots = doc.context.obj([]) as PDFArray;
  for (let i = 0; annots && i < annots.size(); i++) newAnnots.push(annots.get(i));
  newAnnots.push(widgetRef);
  page.node.set(PDFName.of('Annots'), newAnnots);

  const catalog = doc.catalog;
  const formEntry = catalog.get(PDFName.of('AcroForm'));
  let form: PDFDict;
  if (formEntry instanceof PDFRef) {
    form = doc.context.lookup(formEntry, PDFDict);
    changed.push(formEntry);
  } else {
    form = formEntry instanceof PDFDict ? formEntry : doc.context.obj({});
    catalog.set(PDFName.of('AcroForm'), form);
    changed.push(doc.context.trailerInfo.Root as PDFRef);
  }
  const fields = form.lookupMaybe(PDFName.of('Fields'), PDFArray);
  const newFields = doc.context.obj([]) as PDFArray;
  for (let i = 0; fields && i < fields.size(); i++) newFields.push(fields.get(i));
  newFields.push(widgetRef);
  form.set(PDFName.of('Fields'), newFields);
  form.set(PDFName.of('SigFlags'), PDFNumber.of(3));

  for (const [ref] of doc.context.enumerateIndirectObjects()) if (ref.objectNumber > largestBefore) changed.push(ref);
  const prepared = Buffer.from(appendIncrement(pdf, doc, changed));

  // Fill in the byte range around the Contents hole.
  const contentsStart = prepared.indexOf(`/Contents <${'0'.repeat(16)}`, pdf.length, 'latin1') + '/Contents '.length;
  const contentsEnd = contentsStart + reserve * 2 + 2;
  const holes = [
    ...prepared
      .subarray(pdf.length)
      .toString('latin1')
      .matchAll(/\/\*{10}/g),
  ].map((m) => m.index + pdf.length);
  if (contentsStart < pdf.length || holes.length !== 3) throw new PdfSignError('the signature placeholder was not found');
  const range = [contentsStart, contentsEnd, prepared.length - contentsEnd];
  holes.forEach((offset, i) => prepared.write(String(range[i]).padEnd(11, ' '), offset, 'latin1'));
  return new PreparedPdf(prepared, contentsStart, contentsEnd);
}

/** A PDF with its signature dictionary and stamp written and a hole left for the CMS signature. */
export class PreparedPdf {
  constructor(
    private readonly bytes: Buffer,
    private readonly contentsStart: number,
    private readonly contentsEnd: number,
  ) {}

  /** The bytes the signature covers: everything but the hole. */
  signedBytes(): Buffer[] {
    return [this.bytes.subarray(0, this.contentsStart), this.bytes.subarray(this.contentsEnd)];
  }

  /** Writes a DER CMS signature into the hole; the prepared PDF may then be discarded. */
  fill(cms: Uint8Array): Uint8Array {
    const hex = Buffer.from(cms).toString('hex');
    const room = this.contentsEnd - this.contentsStart - 2;
    if (hex.length > room) throw new PdfSignError(`the signature needs ${hex.length / 2} bytes, more than the ${room / 2} reserved`);
    const out = Buffer.from(this.bytes);
    out.write(hex, this.contentsStart + 1, 'latin1');
    return new Uint8Array(out);
  }
}

/**
 * Signs a PDF as PAdES (ETSI.CAdES.detached) in an incremental update, with a visible stamp.
 * Earlier signatures stay valid: their bytes are not touched.
 */
export async function signPdf(pdf: Uint8Array, options: PdfSignOptions): Promise<Uint8Array> {
  const prepared = await preparePdf(pdf, options);
  const signedData = await signCms({ signer: options.key, contentType: OID.data, contentDigest: sha256(...prepared.signedBytes()) });
  if (options.timestamp) {
    const signerInfo = signedData.signerInfos[0]!;
    const token = await obtainTimestamp(options.timestamp, signerInfo.signature.valueBlock.valueHexView);
    signerInfo.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
      type: 1,
      attributes: [new pkijs.Attribute({ type: OID.signatureTimeStampToken, values: [asn1js.fromBER(token).result] })],
    });
  }
  return prepared.fill(contentInfoDer(signedData));
}
