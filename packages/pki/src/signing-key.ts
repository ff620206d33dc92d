import { constants, createHash, createPrivateKey, createPublicKey, privateEncrypt, publicDecrypt, KeyObject, webcrypto } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { certificatesFromPem, type x509 } from './x509.js';

/**
 * A key that signs documents, wherever it lives. Signing takes a SHA-256 digest rather than the
 * data, because that is what a PKCS#11 token (CKM_RSA_PKCS over a DigestInfo) and a remote
 * signing service (the CSC API's signatures/signHash) both offer: the document never leaves us.
 */
export interface SigningKey {
  /** The signer's certificate. */
  readonly certificate: x509.X509Certificate;
  /** Intermediate certificates up to, not including, the root; embedded so verifiers can build the path. */
  readonly chain: readonly x509.X509Certificate[];
  /** RSASSA-PKCS1-v1_5 signature of a SHA-256 digest. */
  signDigest(digest: Uint8Array): Promise<Uint8Array>;
}

/** DER prefix of DigestInfo { sha256, OCTET STRING(32) } (RFC 8017 section 9.2, note 1). */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

export class SigningKeyError extends Error {}

/** The file backend: a PKCS#8 key (encrypted or not) kept in memory as a Node key object. */
class KeyObjectSigningKey implements SigningKey {
  constructor(
    private readonly key: KeyObject,
    readonly certificate: x509.X509Certificate,
    readonly chain: readonly x509.X509Certificate[],
  ) {}

  async signDigest(digest: Uint8Array): Promise<Uint8Array> {
    if (digest.length !== 32) throw new SigningKeyError(`a SHA-256 digest has 32 bytes, not ${digest.length}`);
    return privateEncrypt({ key: this.key, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([SHA256_DIGEST_INFO, digest]));
  }
}

export interface SigningKeyFiles {
  /** PEM, PKCS#8 (`PRIVATE KEY` or `ENCRYPTED PRIVATE KEY`). */
  keyFile: string;
  /** PEM: the signer's certificate first, then any intermediates. */
  certificateFile: string;
  passphrase?: string;
}

export async function openSigningKeyFiles(files: SigningKeyFiles): Promise<SigningKey> {
  const [keyPem, certificatePem] = await Promise.all([readFile(files.keyFile, 'utf8'), readFile(files.certificateFile, 'utf8')]);
  return signingKeyFromPem(keyPem, certificatePem, files.passphrase);
}

export function signingKeyFromPem(keyPem: string, certificatesPem: string, passphrase?: string): SigningKey {
  let key: KeyObject;
  try {
    key = createPrivateKey(passphrase === undefined ? keyPem : { key: keyPem, passphrase });
  } catch (error) {
    throw new SigningKeyError(`cannot read the private key: ${(error as Error).message}`);
  }
  const certificates = certificatesFromPem(certificatesPem);
  const [certificate, ...chain] = certificates;
  if (!certificate) throw new SigningKeyError('the certificate file holds no certificate');
  if (key.asymmetricKeyType !== 'rsa') throw new SigningKeyError(`only RSA keys are supported, not ${key.asymmetricKeyType}`);
  const probe = createHash('sha256').update('probe').digest();
  const signature = privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([SHA256_DIGEST_INFO, probe]));
  if (!matchesCertificate(certificate, probe, signature)) throw new SigningKeyError('the private key does not belong to the certificate');
  return new KeyObjectSigningKey(key, certificate, chain);
}

function matchesCertificate(certificate: x509.X509Certificate, digest: Buffer, signature: Buffer): boolean {
  return verifyDigest(new Uint8Array(certificate.publicKey.rawData), digest, signature);
}

/** Checks an RSASSA-PKCS1-v1_5/SHA-256 signature of a digest against a SubjectPublicKeyInfo (DER). */
export function verifyDigest(spki: Uint8Array, digest: Uint8Array, signature: Uint8Array): boolean {
  try {
    const recovered = publicDecrypt(
      { key: createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }), padding: constants.RSA_PKCS1_PADDING },
      signature,
    );
    return recovered.equals(Buffer.concat([SHA256_DIGEST_INFO, digest]));
  } catch {
    return false;
  }
}

/** A signing key from keys held in memory (the CA's own OCSP and timestamp keys, tests). */
export function signingKeyFromKeys(
  keys: { privateKey: webcrypto.CryptoKey },
  certificate: x509.X509Certificate,
  chain: readonly x509.X509Certificate[] = [],
): SigningKey {
  return new KeyObjectSigningKey(KeyObject.from(keys.privateKey), certificate, chain);
}
