import { createHash, createPublicKey, createVerify, type KeyObject } from 'node:crypto';

/** Digest algorithm OIDs, by the names node:crypto knows them. */
export const DIGEST_NAMES: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** Signature algorithm OIDs and their digest; null for rsaEncryption, where the signer's digest algorithm decides. */
export const SIGNATURE_DIGESTS: Readonly<Record<string, string | null>> = {
  '1.2.840.113549.1.1.1': null,
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
};

export function digestWith(algorithm: string, parts: Iterable<Uint8Array>): Buffer {
  const hash = createHash(algorithm);
  for (const part of parts) hash.update(part);
  return hash.digest();
}

export function sha256(...parts: Uint8Array[]): Buffer {
  return digestWith('sha256', parts);
}

// Certificates are parsed once and kept (x509.ts), so their key bytes are the same object each time.
const keys = new WeakMap<ArrayBuffer, KeyObject>();

function publicKey(spki: ArrayBuffer): KeyObject {
  let key = keys.get(spki);
  if (!key) keys.set(spki, (key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' })));
  return key;
}

/** Checks a signature against a SubjectPublicKeyInfo (DER); a key or signature that cannot be read is a mismatch. */
export function verifiesWithKey(hash: string, data: Uint8Array | string, spki: ArrayBuffer, signature: Uint8Array): boolean {
  try {
    return createVerify(hash).update(data).verify(publicKey(spki), signature);
  } catch {
    return false;
  }
}
