import type { FastifyRequest } from 'fastify';
import { AppError } from './errors.js';

export interface UploadedFile {
  readonly bytes: Buffer;
  /** The file name the browser gave, without any folder. */
  readonly name: string;
  readonly contentType: string;
}

/** The one file of a multipart upload, in its field named "file", with its name. */
export async function uploadedNamedFile(request: FastifyRequest): Promise<UploadedFile> {
  if (!request.isMultipart()) throw new AppError('unsupported_media_type');
  const file = await request.file();
  if (!file || file.fieldname !== 'file') {
    throw new AppError('validation_failed', [{ path: '/file', message: 'a multipart field named "file" is required' }]);
  }
  // toBuffer fails with FST_REQ_FILE_TOO_LARGE past the configured limit.
  const bytes = await file.toBuffer();
  const name = (file.filename.split(/[\\/]/).pop() ?? '').trim().slice(0, 500) || 'tep-dinh-kem';
  return { bytes, name, contentType: file.mimetype || 'application/octet-stream' };
}

/** The one file of a multipart upload, in its field named "file". */
export async function uploadedFile(request: FastifyRequest): Promise<Buffer> {
  return (await uploadedNamedFile(request)).bytes;
}
