import type { BlobStore } from '@vanban/db';
import type { FastifyReply } from 'fastify';

/** A file of a document as the file store keeps it. */
export interface StoredFile {
  readonly name: string;
  readonly content_type: string;
  readonly sha256: string;
  readonly size: number | string;
}

/**
 * Sends a stored file for the PDF viewer or as a download. Files come from outside: only what a
 * browser shows harmlessly is shown in place, anything else is downloaded in a sandbox.
 */
export async function sendStoredFile(reply: FastifyReply, files: BlobStore, file: StoredFile, download: boolean) {
  const viewable = ['application/pdf', 'image/png', 'image/jpeg'].includes(file.content_type);
  const disposition = download || !viewable ? 'attachment' : 'inline';
  if (!viewable) reply.header('content-security-policy', "sandbox; default-src 'none'");
  return reply
    .header('content-type', viewable ? file.content_type : 'application/octet-stream')
    .header('content-length', String(file.size))
    .header('content-disposition', `${disposition}; filename*=UTF-8''${encodeURIComponent(file.name)}`)
    .header('x-content-type-options', 'nosniff')
    .send(await files.read(file.sha256));
}
