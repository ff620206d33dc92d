import Fastify, { type FastifyInstance } from 'fastify';
import type { CertificateAuthority } from './certificate-authority.js';

const MAX_REQUEST = 64 * 1024;

/**
 * The CA's public HTTP service: CRLs (DER, as RFC 5280 asks for HTTP distribution points),
 * the OCSP responder (RFC 6960: POST, or GET with the request base64 in the path) and the
 * timestamp authority (RFC 3161 over HTTP).
 */
export async function buildCaServer(ca: CertificateAuthority): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: MAX_REQUEST });
  for (const type of ['application/ocsp-request', 'application/timestamp-query']) {
    app.addContentTypeParser(type, { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  }
  app.get('/crl/:which', async (request, reply) => {
    const { which } = request.params as { which: string };
    if (which !== 'root.crl' && which !== 'issuing.crl') return reply.status(404).send({ error: 'no such CRL' });
    const der = await ca.crl(which === 'root.crl' ? 'root' : 'issuing');
    return reply.type('application/pkix-crl').header('cache-control', 'max-age=300').send(Buffer.from(der));
  });
  app.get('/ca/:which', async (request, reply) => {
    const { which } = request.params as { which: string };
    const pair = which === 'root.crt' ? ca.root : which === 'issuing.crt' ? ca.issuing : null;
    if (!pair) return reply.status(404).send({ error: 'no such certificate' });
    return reply.type('application/pkix-cert').send(Buffer.from(pair.certificate.rawData));
  });
  app.post('/ocsp', async (request, reply) => {
    if (!Buffer.isBuffer(request.body)) return reply.status(415).send({ error: 'send application/ocsp-request' });
    return reply.type('application/ocsp-response').send(Buffer.from(await ca.answerOcsp(request.body)));
  });
  app.get('/ocsp/*', async (request, reply) => {
    const encoded = decodeURIComponent((request.params as { '*': string })['*']);
    return reply.type('application/ocsp-response').send(Buffer.from(await ca.answerOcsp(Buffer.from(encoded, 'base64'))));
  });
  app.post('/tsa', async (request, reply) => {
    if (!Buffer.isBuffer(request.body)) return reply.status(415).send({ error: 'send application/timestamp-query' });
    return reply.type('application/timestamp-reply').send(Buffer.from(await ca.answerTimestamp(request.body)));
  });
  return app;
}
