// @peculiar/x509 needs reflect-metadata loaded first and a WebCrypto provider set once.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509 };
export const subtle = webcrypto.subtle;

/** RSA 2048 with SHA-256 (PKCS#1 v1.5): what Vietnamese CAs issue and every verifier accepts. */
export const RSA_SHA256 = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
} as const;

export type KeyPair = webcrypto.CryptoKeyPair;
