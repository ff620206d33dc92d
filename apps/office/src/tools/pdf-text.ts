import { readFile } from 'node:fs/promises';
import type { PDFDocument, PDFFont } from 'pdf-lib';

/** Embeds a font file (a subset of it); a missing font is named, with the Debian package that ships it. */
export async function embedFontFile(pdf: PDFDocument, file: string, purpose: string): Promise<PDFFont> {
  try {
    return await pdf.embedFont(await readFile(file), { subset: true });
  } catch (error) {
    throw new Error(`cannot ${purpose} without ${file} (Debian's fonts-dejavu-core)`, { cause: error });
  }
}

/** `text` broken between words into lines no wider than `width`; a single longer word keeps its own line. */
export function wrapped(text: string, font: PDFFont, size: number, width: number): string[] {
  // A line that fits is kept as written, its indentation included.
  if (font.widthOfTextAtSize(text, size) <= width) return [text];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const longer = line ? `${line} ${word}` : word;
    if (line && font.widthOfTextAtSize(longer, size) > width) {
      lines.push(line);
      line = word;
    } else line = longer;
  }
  lines.push(line);
  return lines;
}
