import type { FastifyRequest } from 'fastify';
import { AppError } from './errors.js';

/** The one file of a multipart upload, in its field named "file". */
export async function uploadedFile(request: FastifyRequest): Promise<Buffer> {
  if (!request.isMultipart()) throw new AppError('unsupported_media_type');
  const file = await request.file();
  if (!file || file.fieldname !== 'file') {
    throw new AppError('validation_failed', [{ path: '/file', message: 'a multipart field named "file" is required' }]);
  }
  // toBuffer fails with FST_REQ_FILE_TOO_LARGE past the configured limit.
  return file.toBuffer();
}
