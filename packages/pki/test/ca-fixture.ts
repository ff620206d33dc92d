import { mkdtempSync } from 'node:fs';
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
