import {
  PDFName,
  beginText,
  degrees,
  drawEllipse,
  drawImage,
  drawRectangle,
  endText,
  moveText,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  setFillingColor,
  setFontAndSize,
  showText,
  type PDFContentStream,
  type PDFDocument,
  type PDFFont,
  type PDFImage,
  type PDFOperator,
} from 'pdf-lib';

export interface Box {
  width: number;
  height: number;
}

const INK = rgb(0.05, 0.2, 0.55);
const SEAL_RED = rgb(0.85, 0.1, 0.1);
/** Height of the strip under the signer's stamp where the agency's name and time are written. */
export const AGENCY_STRIP = 26;

/** Vietnam has one time zone, UTC+7, and no daylight saving. */
export function vietnamTime(at: Date): string {
  const local = new Date(at.getTime() + 7 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(local.getUTCDate())}/${p(local.getUTCMonth() + 1)}/${local.getUTCFullYear()} ${p(local.getUTCHours())}:${p(local.getUTCMinutes())}:${p(local.getUTCSeconds())}`;
}

/** Lines of text, each shrunk until it fits the width. */
function textBlock(font: PDFFont, lines: string[], x: number, top: number, width: number, size: number, color = INK): PDFOperator[] {
  const ops: PDFOperator[] = [pushGraphicsState(), setFillingColor(color)];
  let y = top;
  for (const line of lines) {
    let s = size;
    while (s > 4 && font.widthOfTextAtSize(line, s) > width) s -= 0.5;
    y -= s * 1.25;
    ops.push(beginText(), setFontAndSize('F1', s), moveText(x, y), showText(font.encodeText(line)), endText());
  }
  ops.push(popGraphicsState());
  return ops;
}

function appearance(doc: PDFDocument, box: Box, ops: PDFOperator[], font: PDFFont, image?: PDFImage): PDFContentStream {
  const resources: Record<string, unknown> = { Font: { F1: font.ref } };
  if (image) resources.XObject = { Im1: image.ref };
  return doc.context.formXObject(ops, { BBox: [0, 0, box.width, box.height], Resources: resources as never });
}

/** The signer's stamp: a frame with "Ký bởi", the name, the position and the signing time. */
export function signerAppearance(doc: PDFDocument, font: PDFFont, box: Box, lines: string[]): PDFContentStream {
  const frame = drawRectangle({
    x: 0.5,
    y: 0.5,
    width: box.width - 1,
    height: box.height - 1,
    borderWidth: 1,
    color: undefined,
    borderColor: INK,
    rotate: degrees(0),
    xSkew: degrees(0),
    ySkew: degrees(0),
  });
  return appearance(doc, box, [...frame, ...textBlock(font, lines, 6, box.height - 3, box.width - 12, 9)], font);
}

/**
 * The agency's stamp: the seal over the left third of the signer's stamp (STANDARDS.md), the
 * agency's name and the signing time beside it. Without a seal image a red ring with the agency's
 * name stands in, so a demo agency still shows where its seal goes.
 */
export function agencyAppearance(
  doc: PDFDocument,
  font: PDFFont,
  box: Box,
  lines: string[],
  seal: PDFImage | null,
  sealName: string,
): PDFContentStream {
  const side = Math.min(box.height, box.width / 3);
  const ops: PDFOperator[] = [];
  if (seal) {
    ops.push(
      ...drawImage(PDFName.of('Im1'), {
        x: 0,
        y: (box.height - side) / 2,
        width: side,
        height: side,
        rotate: degrees(0),
        xSkew: degrees(0),
        ySkew: degrees(0),
      }),
    );
  } else {
    const r = side / 2 - 1;
    const ring = (scale: number, width: number) =>
      drawEllipse({
        x: side / 2,
        y: box.height / 2,
        xScale: r * scale,
        yScale: r * scale,
        color: undefined,
        borderColor: SEAL_RED,
        borderWidth: width,
      });
    ops.push(...ring(1, 1.5), ...ring(0.72, 0.8));
    ops.push(...textBlock(font, [sealName], side * 0.2, box.height / 2 + 6, side * 0.6, 7, SEAL_RED));
  }
  ops.push(...textBlock(font, lines, side + 4, AGENCY_STRIP, box.width - side - 8, 8));
  return appearance(doc, box, ops, font, seal ?? undefined);
}
