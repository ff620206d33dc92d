// @peculiar/x509 needs reflect-metadata loaded first and a WebCrypto provider set once; pkijs needs
// its engine pointed at the same WebCrypto.
import 'reflect-metadata';
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { LRUCache } from 'lru-cache';
import * as pkijs from 'pkijs';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as pkijs.CryptoEngineParameters['crypto'] }));

export { x509, pkijs };
export const subtle = webcrypto.subtle;

/** RSA 2048 with SHA-256 (PKCS#1 v1.5): what Vietnamese CAs issue and every verifier accepts. */
export const RSA_SHA256 = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
} as const;

export type KeyPair = webcrypto.CryptoKeyPair;

/** A pkijs certificate from a @peculiar/x509 one (both are views of the same DER). */
export function toPkijs(certificate: x509.X509Certificate): pkijs.Certificate {
  return pkijs.Certificate.fromBER(certificate.rawData);
}

export function fromPkijs(certificate: pkijs.Certificate): x509.X509Certificate {
  return new x509.X509Certificate(certificate.toSchema().toBER(false));
}

/** Serial numbers compare as numbers: lower case, no leading zeros. */
export function normalizeSerial(hex: string): string {
  return hex.toLowerCase().replace(/^0+(?=.)/, '');
}

/** Whole seconds: NSS (and so pdfsig) rejects OCSP times with fractions; timestamps follow suit. */
export function wholeSeconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

/**
 * Bytes made into the content of a positive DER INTEGER: the top bit cleared (else negative) and
 * the first byte never zero (DER forbids a leading zero before a byte below 0x80, and openssl
 * refuses it as "illegal padding").
 */
export function positiveInteger(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  out[0] = out[0]! & 0x7f || 0x01;
  return out;
}

/** Random bytes read as a positive DER INTEGER (serial numbers, nonces). */
export function positiveRandom(length: number): Buffer {
  return positiveInteger(randomBytes(length));
}

/** Every certificate in a PEM text, in order (a chain file: the certificate, then its issuers). */
export function certificatesFromPem(pem: string): x509.X509Certificate[] {
  return x509.PemConverter.decode(pem).map((der) => new x509.X509Certificate(der));
}

const parsed = new LRUCache<string, x509.X509Certificate>({ max: 2000 });

/**
 * A certificate from its DER bytes, parsed once: the same few agency and CA certificates come with
 * every signed package, and parsing them is most of the cost of checking a small one.
 */
export function certificateFromDer(der: Uint8Array): x509.X509Certificate {
  const key = createHash('sha256').update(der).digest('base64');
  let certificate = parsed.get(key);
  if (!certificate) parsed.set(key, (certificate = new x509.X509Certificate(der)));
  return certificate;
}
