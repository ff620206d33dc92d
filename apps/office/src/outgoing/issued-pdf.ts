import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addTextAnnotations, signPdf, textMeasure, type SigningKey } from '@vanban/pki';
import { AppError } from '../http/errors.js';
import { placeNumber, wordsOfBbox, type NumberToWrite } from './number-placement.js';

/** The words of a PDF's first page with their boxes, as poppler's pdftotext reads them. */
async function firstPageWords(pdf: Uint8Array) {
  const dir = await mkdtemp(join(tmpdir(), 'vanban-number-'));
  try {
    const file = join(dir, 'signed.pdf');
    await writeFile(file, pdf);
    const xhtml = await new Promise<string>((resolve, reject) =>
      execFile('pdftotext', ['-bbox', '-f', '1', '-l', '1', file, '-'], { timeout: 30_000, maxBuffer: 16 * 1024 * 1024 }, (error, out) =>
        error ? reject(error) : resolve(out),
      ),
    );
    return wordsOfBbox(xhtml);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('pdf_tools_unavailable');
    throw new AppError('invalid_main_file', { reason: `pdftotext could not read the signed PDF: ${(error as Error).message}` });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Widths in the annotation font: the font file is read and parsed once per process, not per document. */
let measure: ReturnType<typeof textMeasure> | undefined;

/**
 * The issued PDF: the signer's PDF with the number, notation and date of issue written where the
 * template leaves them blank (added text, so the signer's signature stays valid), then signed by
 * the agency with its seal over the signer's stamp.
 */
export async function issuedPdf(
  signed: Uint8Array,
  wanted: NumberToWrite,
  agency: { readonly key: SigningKey; readonly sealImage: Uint8Array | null; readonly at: Date },
): Promise<{ pdf: Uint8Array; where: 'number_line' | 'top_margin' }> {
  const { words, pageHeight } = await firstPageWords(signed);
  measure ??= textMeasure();
  const placement = placeNumber(words, pageHeight, wanted, await measure);
  if (!placement.ok) {
    throw new AppError('notation_mismatch', { onPage: placement.onPage, expected: `/${wanted.notation}` });
  }
  const numbered = await addTextAnnotations(signed, placement.texts);
  const pdf = await signPdf(numbered, {
    key: agency.key,
    role: 'agency',
    at: agency.at,
    reason: `Phát hành văn bản số ${wanted.number}/${wanted.notation}`,
    ...(agency.sealImage ? { sealImage: agency.sealImage } : {}),
  });
  return { pdf, where: placement.where };
}
