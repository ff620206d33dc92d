import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { issueCertificate, privateKeyPem, type CertificateProfile, type KeyAndCertificate, type Subject } from './certificates.js';
import { makeCrl, type Revocation, type RevocationReason } from './crl.js';
import { answerOcsp, type CertificateStatus } from './ocsp-responder.js';
import { answerTimestamp } from './timestamp-authority.js';
import { signingKeyFromKeys, signingKeyFromPem, type SigningKey } from './signing-key.js';
import type { RevocationFetcher } from './revocation.js';
import type { TrustList } from './trust.js';
import { RSA_SHA256, certificatesFromPem, normalizeSerial, subtle, x509, type KeyPair } from './x509.js';

const DAY = 86_400_000;
const CRL_VALIDITY = DAY;
const OCSP_VALIDITY = 3600_000;

export interface IssuedEntry {
  serial: string;
  /** File name stem and handle: an agency code, a user name, a host name. */
  name: string;
  profile: CertificateProfile;
  subject: string;
  notAfter: string;
}

interface CaIndex {
  version: 1;
  name: string;
  baseUrl: string;
  issued: IssuedEntry[];
  revoked: { serial: string; at: string; reason: RevocationReason }[];
}

export interface CaOptions {
  /** Shown in the CA certificates' names, e.g. "vanban Demo". */
  name: string;
  /** Where the CA's HTTP service is reached: CRLs at /crl/..., OCSP at /ocsp, timestamps at /tsa. */
  baseUrl: string;
  now?: Date;
}

export interface IssueOptions {
  name: string;
  profile: Exclude<CertificateProfile, 'root-ca' | 'intermediate-ca'>;
  subject: Subject;
  notBefore?: Date;
  notAfter?: Date;
  dnsNames?: string[];
  ipAddresses?: string[];
}

export interface Issued extends KeyAndCertificate {
  keyFile: string;
  /** The certificate, then the issuing CA's: what a TLS client or a signer presents. */
  certificateFile: string;
}

export class CaError extends Error {}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

async function loadPair(dir: string, stem: string): Promise<KeyAndCertificate> {
  const [keyPem, certPem] = await Promise.all([
    readFile(join(dir, `${stem}.key.pem`), 'utf8'),
    readFile(join(dir, `${stem}.crt.pem`), 'utf8'),
  ]);
  const certificate = certificatesFromPem(certPem)[0]!;
  const privateKey = await subtle.importKey('pkcs8', x509.PemConverter.decode(keyPem)[0]!, RSA_SHA256, true, ['sign']);
  const publicKey = await certificate.publicKey.export(RSA_SHA256, ['verify']);
  return { certificate, keys: { privateKey, publicKey } as KeyPair };
}

async function savePair(dir: string, stem: string, pair: KeyAndCertificate, chain: x509.X509Certificate[] = []) {
  const keyFile = join(dir, `${stem}.key.pem`);
  const certificateFile = join(dir, `${stem}.crt.pem`);
  await writeFile(keyFile, await privateKeyPem(pair.keys), { mode: 0o600 });
  await writeFile(certificateFile, [pair.certificate, ...chain].map((c) => c.toString('pem')).join('\n') + '\n');
  return { keyFile, certificateFile };
}

/**
 * A small certification authority kept in a folder, for the demo province and for tests: a root,
 * an issuing CA under it, an OCSP responder and a timestamp authority. Revocations are kept in
 * index.json, re-read when another process (`vanban ca revoke`) changes it.
 */
export class CertificateAuthority {
  private index!: CaIndex;
  private indexTime = 0;
  // Issues may run in parallel (key generation is the slow part); their index writes take turns.
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    readonly dir: string,
    readonly root: KeyAndCertificate,
    readonly issuing: KeyAndCertificate,
    readonly ocsp: KeyAndCertificate,
    readonly tsa: KeyAndCertificate,
    private readonly clock: () => Date,
  ) {}

  static async create(dir: string, options: CaOptions): Promise<CertificateAuthority> {
    const now = options.now ?? new Date();
    const base = options.baseUrl.replace(/\/+$/, '');
    const at = (days: number) => new Date(now.getTime() + days * DAY);
    await mkdir(join(dir, 'issued'), { recursive: true });
    try {
      await stat(join(dir, 'index.json'));
      throw new CaError(`${dir} already holds a certification authority`);
    } catch (error) {
      if (error instanceof CaError) throw error;
    }
    const organization = options.name;
    const root = await issueCertificate({
      profile: 'root-ca',
      subject: { commonName: `${options.name} Root CA`, organization },
      notBefore: at(-1),
      notAfter: at(20 * 365),
    });
    const issuing = await issueCertificate({
      profile: 'intermediate-ca',
      subject: { commonName: `${options.name} Signing CA`, organization },
      issuer: root,
      notBefore: at(-1),
      notAfter: at(10 * 365),
      crlUrl: `${base}/crl/root.crl`,
    });
    const ocsp = await issueCertificate({
      profile: 'ocsp',
      subject: { commonName: `${options.name} OCSP Responder`, organization },
      issuer: issuing,
      notBefore: at(-1),
      notAfter: at(2 * 365),
    });
    const tsa = await issueCertificate({
      profile: 'timestamp',
      subject: { commonName: `${options.name} Timestamp Authority`, organization },
      issuer: issuing,
      notBefore: at(-1),
      notAfter: at(10 * 365),
      crlUrl: `${base}/crl/issuing.crl`,
      ocspUrl: `${base}/ocsp`,
    });
    await savePair(dir, 'root', root);
    await savePair(dir, 'issuing', issuing);
    await savePair(dir, 'ocsp', ocsp);
    await savePair(dir, 'tsa', tsa, [issuing.certificate]);
    const ca = new CertificateAuthority(dir, root, issuing, ocsp, tsa, () => new Date());
    ca.index = { version: 1, name: options.name, baseUrl: base, issued: [], revoked: [] };
    await ca.saveIndex();
    return ca;
  }

  static async open(dir: string, clock: () => Date = () => new Date()): Promise<CertificateAuthority> {
    try {
      const [root, issuing, ocsp, tsa] = await Promise.all(['root', 'issuing', 'ocsp', 'tsa'].map((stem) => loadPair(dir, stem)));
      const ca = new CertificateAuthority(dir, root!, issuing!, ocsp!, tsa!, clock);
      await ca.reload();
      return ca;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CaError(`${dir} holds no certification authority (vanban ca init)`);
      throw error;
    }
  }

  get name(): string {
    return this.index.name;
  }

  get baseUrl(): string {
    return this.index.baseUrl;
  }

  private async reload(): Promise<void> {
    // Our own unsaved changes first, or the file would look changed by someone else.
    await this.saving;
    const file = join(this.dir, 'index.json');
    const { mtimeMs } = await stat(file);
    if (mtimeMs === this.indexTime) return;
    this.index = JSON.parse(await readFile(file, 'utf8')) as CaIndex;
    this.indexTime = mtimeMs;
  }

  private saveIndex(): Promise<void> {
    const file = join(this.dir, 'index.json');
    const write = async () => {
      await writeFile(`${file}.tmp`, JSON.stringify(this.index, null, 2));
      await rename(`${file}.tmp`, file);
      this.indexTime = (await stat(file)).mtimeMs;
    };
    const next = this.saving.then(write);
    this.saving = next.catch(() => undefined);
    return next;
  }

  trustList(): TrustList {
    return { anchors: [this.root.certificate], intermediates: [this.issuing.certificate] };
  }

  /** The root and issuing CA certificates in PEM: what a TLS client or server is told to trust. */
  caPem(): string {
    return [this.root.certificate, this.issuing.certificate].map((c) => c.toString('pem')).join('\n');
  }

  async issue(options: IssueOptions): Promise<Issued> {
    if (!NAME.test(options.name)) throw new CaError(`"${options.name}" cannot name a certificate: letters, digits, . _ - only`);
    await this.reload();
    const now = this.clock();
    const issued = await issueCertificate({
      profile: options.profile,
      subject: options.subject,
      issuer: this.issuing,
      notBefore: options.notBefore ?? new Date(now.getTime() - 60_000),
      notAfter: options.notAfter ?? new Date(now.getTime() + 2 * 365 * DAY),
      crlUrl: `${this.index.baseUrl}/crl/issuing.crl`,
      ocspUrl: `${this.index.baseUrl}/ocsp`,
      ...(options.dnsNames ? { dnsNames: options.dnsNames } : {}),
      ...(options.ipAddresses ? { ipAddresses: options.ipAddresses } : {}),
    });
    const files = await savePair(join(this.dir, 'issued'), options.name, issued, [this.issuing.certificate]);
    this.index.issued.push({
      serial: normalizeSerial(issued.certificate.serialNumber),
      name: options.name,
      profile: options.profile,
      subject: issued.certificate.subject,
      notAfter: issued.certificate.notAfter.toISOString(),
    });
    await this.saveIndex();
    return { ...issued, ...files };
  }

  async list(): Promise<(IssuedEntry & { revoked?: { at: string; reason: RevocationReason } })[]> {
    await this.reload();
    return this.index.issued.map((entry) => {
      const revoked = this.index.revoked.find((r) => r.serial === entry.serial);
      return revoked ? { ...entry, revoked: { at: revoked.at, reason: revoked.reason } } : entry;
    });
  }

  /** Revokes by serial number or by the name it was issued under (its latest certificate). */
  async revoke(serialOrName: string, reason: RevocationReason, at: Date = this.clock()): Promise<IssuedEntry> {
    await this.reload();
    const serial = normalizeSerial(serialOrName);
    const entry = this.index.issued.find((e) => e.serial === serial) ?? this.index.issued.filter((e) => e.name === serialOrName).at(-1);
    if (!entry) throw new CaError(`no certificate ${serialOrName} was issued here`);
    if (this.index.revoked.some((r) => r.serial === entry.serial)) throw new CaError(`certificate ${entry.serial} is already revoked`);
    this.index.revoked.push({ serial: entry.serial, at: at.toISOString(), reason });
    await this.saveIndex();
    return entry;
  }

  async signingKey(name: string): Promise<SigningKey> {
    const dir = join(this.dir, 'issued');
    const [key, certificates] = await Promise.all([
      readFile(join(dir, `${name}.key.pem`), 'utf8'),
      readFile(join(dir, `${name}.crt.pem`), 'utf8'),
    ]).catch(() => {
      throw new CaError(`no key was issued here under the name ${name}`);
    });
    return signingKeyFromPem(key, certificates);
  }

  private revocations(): Revocation[] {
    return this.index.revoked.map((r) => ({ serial: r.serial, at: new Date(r.at), reason: r.reason }));
  }

  async crl(which: 'root' | 'issuing'): Promise<Uint8Array> {
    await this.reload();
    // The root revokes only the issuing CA, which is never revoked in a demo; its CRL stays empty.
    return which === 'root'
      ? makeCrl(this.root, [], this.clock(), CRL_VALIDITY)
      : makeCrl(this.issuing, this.revocations(), this.clock(), CRL_VALIDITY);
  }

  private statusOf(serial: string): CertificateStatus {
    const revoked = this.index.revoked.find((r) => r.serial === serial);
    if (revoked) return { status: 'revoked', revocation: { serial, at: new Date(revoked.at), reason: revoked.reason } };
    return this.index.issued.some((e) => e.serial === serial) || this.isInfrastructure(serial) ? { status: 'good' } : { status: 'unknown' };
  }

  private isInfrastructure(serial: string): boolean {
    return [this.ocsp, this.tsa].some((p) => normalizeSerial(p.certificate.serialNumber) === serial);
  }

  async answerOcsp(request: Uint8Array): Promise<Uint8Array> {
    await this.reload();
    return answerOcsp(request, {
      responder: this.ocsp,
      issuer: this.issuing.certificate,
      statusOf: (serial) => this.statusOf(serial),
      now: this.clock(),
      validFor: OCSP_VALIDITY,
    });
  }

  async answerTimestamp(request: Uint8Array): Promise<Uint8Array> {
    return answerTimestamp(request, {
      tsa: signingKeyFromKeys(this.tsa.keys, this.tsa.certificate, [this.issuing.certificate]),
      now: this.clock(),
    });
  }

  /** Answers CRL and OCSP requests in process, for a verifier living beside the CA (tests, one-machine demo). */
  fetcher(): RevocationFetcher {
    const base = this.index.baseUrl;
    return {
      ocsp: async (url, request) => {
        if (url !== `${base}/ocsp`) throw new Error(`${url} is not this CA's responder`);
        return this.answerOcsp(request);
      },
      crl: async (url) => {
        if (url === `${base}/crl/root.crl`) return this.crl('root');
        if (url === `${base}/crl/issuing.crl`) return this.crl('issuing');
        throw new Error(`${url} is not a CRL of this CA`);
      },
    };
  }
}
