import type { Readable } from 'node:stream';
import { errorCodes } from 'fastify';

/** The largest declared length taken at its word: memory for it is set aside before the bytes come. */
const SET_ASIDE = 16 * 1024 * 1024;

/**
 * Reads a sent body into shared memory, which the examiner's and the blob writer's threads read
 * where it is (a Buffer posted to a thread is copied). A body whose length is declared goes
 * straight into place; another is kept in its chunks and copied once, at its end. Fastify's own
 * reading would concatenate the chunks first: for a 2 MB package, one more copy and 2 MB more
 * for the garbage collector. Refusals are Fastify's: too large (413) and a length that is not
 * the declared one (400); a broken upload fails with 400.
 */
export function readSentBody(payload: Readable, declaredLength: string | undefined, limit: number): Promise<Buffer> {
  const declared = declaredLength === undefined ? Number.NaN : Number(declaredLength);
  return new Promise((resolve, reject) => {
    if (declared > limit) return reject(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
    const inPlace = declared <= SET_ASIDE ? Buffer.from(new SharedArrayBuffer(declared)) : null;
    const chunks: Buffer[] = [];
    let received = 0;
    const stop = (error: Error | null, body?: Buffer) => {
      payload.off('data', onData).off('end', onEnd).off('error', onError);
      if (error) reject(error);
      else resolve(body!);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) return stop(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
      if (!inPlace) return void chunks.push(chunk);
      if (received > inPlace.length) return stop(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
      chunk.copy(inPlace, received - chunk.length);
    };
    const onEnd = () => {
      if (!Number.isNaN(declared) && received !== declared) return stop(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
      if (inPlace) return stop(null, inPlace);
      const body = Buffer.from(new SharedArrayBuffer(received));
      let at = 0;
      for (const chunk of chunks) at += chunk.copy(body, at);
      stop(null, body);
    };
    const onError = (error: Error & { statusCode?: number }) => {
      if (!(typeof error.statusCode === 'number' && error.statusCode >= 400)) error.statusCode = 400;
      stop(error);
    };
    payload.on('data', onData).on('end', onEnd).on('error', onError);
    payload.resume();
  });
}
