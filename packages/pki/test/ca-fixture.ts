import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertificateAuthority, CertificateVerifier, RevocationChecker } from '../src/index.js';

export const DAY = 86_400_000;

/** A fresh CA in a temporary folder; its revocation service answered in process. */
export async function makeCa(options: { baseUrl?: string; name?: string; now?: Date } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'vanban-ca-'));
  const ca = await CertificateAuthority.create(dir, {
    name: options.name ?? 'vanban Test',
    baseUrl: options.baseUrl ?? 'http://ca.test',
    ...(options.now ? { now: options.now } : {}),
  });
  const verifier = () => new CertificateVerifier(ca.trustList(), new RevocationChecker(ca.fetcher()));
  return { dir, ca, verifier };
}

export const signerSubject = (name = 'Nguyễn Văn An') => ({
  commonName: name,
  organization: 'Ủy ban nhân dân tỉnh Bình An',
  email: 'an@binhan.gov.vn',
});

/** A port free now, for a service whose URL must be known before it starts (the CA's base URL is in its certificates). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
