import { readFile } from 'node:fs/promises';
import fontkit from '@pdf-lib/fontkit';
import {
  PDFArray,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFRef,
  PDFString,
  beginText,
  endText,
  moveText,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  setFillingColor,
  setFontAndSize,
  showText,
  type PDFFont,
} from 'pdf-lib';
import { appendIncrement, reserveObjectNumbers } from './incremental.js';
import { PdfSignError, DEFAULT_STAMP_FONT } from './sign.js';

/** A line of text to lay on a page: its baseline starts at x, y (points from the lower left corner). */
export interface PlacedText {
  /** 1-based. */
  readonly page: number;
  readonly x: number;
  readonly y: number;
  readonly text: string;
  readonly size: number;
}

/** Print, ReadOnly, Locked and LockedContents: the text is part of the issued document, not a note. */
const FLAGS = 4 | 64 | 128 | 512;

/** How wide `text` is at `size` in the font the annotations are written with. */
export async function textMeasure(fontFile = DEFAULT_STAMP_FONT): Promise<(text: string, size: number) => number> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(await readFile(fontFile), { subset: true });
  return (text, size) => font.widthOfTextAtSize(text, size);
}

/** How far the font reaches below its baseline at `size`. */
const descentOf = (font: PDFFont, size: number) =>
  Math.abs(font.heightAtSize(size, { descender: true }) - font.heightAtSize(size, { descender: false }));

function appearance(doc: PDFDocument, font: PDFFont, text: string, size: number, box: { width: number; height: number; descent: number }) {
  const ops = [
    pushGraphicsState(),
    setFillingColor(rgb(0, 0, 0)),
    beginText(),
    setFontAndSize('F1', size),
    moveText(0, box.descent),
    showText(font.encodeText(text)),
    endText(),
    popGraphicsState(),
  ];
  return doc.context.formXObject(ops, { BBox: [0, 0, box.width, box.height], Resources: { Font: { F1: font.ref } } as never });
}

/**
 * Writes lines of text on pages as locked FreeText annotations, in an incremental update: the
 * bytes before it, and so every earlier signature, stay as they were, and a verifier can tell
 * exactly what was added after each signature. This is how the clerk's number and date of issue
 * go onto a document its signer has already signed.
 */
export async function addTextAnnotations(
  pdf: Uint8Array,
  texts: readonly PlacedText[],
  fontFile = DEFAULT_STAMP_FONT,
): Promise<Uint8Array> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(pdf, { updateMetadata: false });
  } catch (error) {
    throw new PdfSignError(`not a readable PDF: ${(error as Error).message}`);
  }
  if (doc.isEncrypted) throw new PdfSignError('encrypted PDFs cannot be annotated');
  reserveObjectNumbers(pdf, doc);
  const largestBefore = doc.context.largestObjectNumber;
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(await readFile(fontFile), { subset: true });
  const pages = doc.getPages();
  const changed = new Set<PDFRef>();
  for (const t of texts) {
    const page = pages[t.page - 1];
    if (!page) throw new PdfSignError(`the PDF has no page ${t.page}`);
    const width = font.widthOfTextAtSize(t.text, t.size);
    const height = font.heightAtSize(t.size);
    const descent = descentOf(font, t.size);
    const apRef = doc.context.register(appearance(doc, font, t.text, t.size, { width, height, descent }));
    const annotation = doc.context.register(
      doc.context.obj({
        Type: 'Annot',
        Subtype: 'FreeText',
        Rect: [t.x, t.y - descent, t.x + width, t.y - descent + height],
        Contents: PDFHexString.fromText(t.text),
        DA: PDFString.of(`/F1 ${t.size} Tf 0 g`),
        F: FLAGS,
        P: page.ref,
        AP: { N: apRef },
      }),
    );
    const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
    const next = doc.context.obj([]) as PDFArray;
    for (let i = 0; annots && i < annots.size(); i++) next.push(annots.get(i));
    next.push(annotation);
    page.node.set(PDFName.of('Annots'), next);
    changed.add(page.ref);
  }
  await font.embed();
  for (const [ref] of doc.context.enumerateIndirectObjects()) if (ref.objectNumber > largestBefore) changed.add(ref);
  return appendIncrement(pdf, doc, [...changed]);
}
