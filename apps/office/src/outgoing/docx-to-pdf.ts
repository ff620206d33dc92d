import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OneAtATime } from '../tools/one-at-a-time.js';

export class ConversionError extends Error {
  constructor(
    readonly problem: 'tool_missing' | 'timeout' | 'unreadable' | 'busy',
    message: string,
  ) {
    super(message);
  }
}

// LibreOffice uses a CPU and a few hundred MB per conversion: one at a time, a short queue.
const queue = new OneAtATime(8, (waiting) => new ConversionError('busy', `${waiting} documents are already waiting for conversion`));

/**
 * Turns a Word document (DOCX) into the PDF that will be signed, with LibreOffice headless from
 * Debian (libreoffice-writer-nogui). Each conversion gets a fresh profile folder: LibreOffice
 * refuses to run twice on one profile, and a profile left by a killed run must not break the next.
 */
export function docxToPdf(docx: Uint8Array, timeoutMs = 120_000): Promise<Buffer> {
  return queue.run(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vanban-docx-'));
    try {
      const input = join(dir, 'draft.docx');
      await writeFile(input, docx);
      await soffice(
        [
          '--headless',
          '--norestore',
          `-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`,
          '--convert-to',
          'pdf',
          '--outdir',
          dir,
          input,
        ],
        timeoutMs,
      );
      const pdf = await readFile(join(dir, 'draft.pdf')).catch(() => null);
      if (!pdf || pdf.subarray(0, 5).toString('latin1') !== '%PDF-') {
        throw new ConversionError('unreadable', 'LibreOffice could not read the Word document');
      }
      return pdf;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}

function soffice(args: readonly string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('soffice', args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1024 * 1024 }, (error) => {
      if (!error) return resolve();
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT')
        return reject(new ConversionError('tool_missing', 'soffice is not installed (Debian package libreoffice-writer-nogui)'));
      if (error.killed) return reject(new ConversionError('timeout', `the conversion took longer than ${timeoutMs} ms`));
      reject(new ConversionError('unreadable', 'LibreOffice could not read the Word document'));
    });
  });
}
