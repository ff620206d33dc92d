import {
  CertificateAuthority,
  CertificateVerifier,
  RevocationChecker,
  UnknownFileError,
  certificatesFromPem,
  httpRevocationFetcher,
  verifyFile,
  x509,
  type FileVerification,
  type Finding,
  type TrustList,
} from '@vanban/pki';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { dataDirOf } from '../database.js';

const HELP = `vanban verify FILE [--json] [--trust PEM]... [--ca DIR] [--offline]
  Verifies every signature of a PDF or an edXML package (the package's XML signature and the
  signatures inside the PDFs it carries): integrity, signer, certificate chain to a trusted root,
  validity and revocation at signing time. Exit code 0 only when the file carries signatures, every
  one is valid and every attachment is covered by one; 1 when not; 2 when the file cannot be read.
  --trust PEM   trusted root certificates (repeatable); by default the demo CA in <data>/ca
  --ca DIR      take the roots of the CA kept in DIR
  --offline     do not ask OCSP responders or fetch CRLs (signatures stay indeterminate)`;

const VERDICT = {
  valid: 'HỢP LỆ / VALID',
  invalid: 'KHÔNG HỢP LỆ / INVALID',
  indeterminate: 'CHƯA XÁC ĐỊNH / INDETERMINATE',
} as const;

async function trustList(trust: string[] | undefined, caDir: string | undefined): Promise<TrustList> {
  const anchors: x509.X509Certificate[] = [];
  for (const file of trust ?? []) {
    const pem = await readFile(file, 'utf8');
    anchors.push(...certificatesFromPem(pem));
  }
  const dir = caDir ?? (trust?.length ? undefined : join(dataDirOf(undefined), 'ca'));
  if (dir && (caDir || existsSync(join(dir, 'index.json')))) {
    const ca = await CertificateAuthority.open(dir);
    const list = ca.trustList();
    return { anchors: [...anchors, ...list.anchors], intermediates: list.intermediates ?? [] };
  }
  if (anchors.length === 0) throw new UnknownFileError('no trusted root: give --trust PEM or --ca DIR');
  return { anchors };
}

const line = (f: Finding, indent: string) => `${indent}- ${f.vi}${f.detail ? ` (${f.detail})` : ''}\n${indent}  ${f.en}`;

function printSignature(s: FileVerification['signatures'][number], label: string, indent: string): void {
  const name = s.kind === 'pdf' ? (s.field ?? '') : 'XML-DSig';
  console.log(`${indent}${label} ${name}: ${VERDICT[s.verdict]}`);
  const at = `${indent}  `;
  console.log(`${at}Người ký / signer: ${s.signer?.subject ?? '?'}`);
  if (s.signer?.agencyCode) console.log(`${at}Mã định danh / agency code: ${s.signer.agencyCode}`);
  console.log(`${at}Chuỗi chứng thư / chain: ${s.chain.map((c) => c.subject).join('  ←  ') || '-'}`);
  console.log(`${at}Toàn vẹn / integrity: ${s.integrity ? 'nguyên vẹn / intact' : 'bị thay đổi / changed'}`);
  if (s.kind === 'pdf') {
    console.log(
      `${at}Thời điểm ký / signing time: ${s.timestamp ? `${s.timestamp.time} (dấu thời gian / timestamp)` : `${s.claimedTime ?? '?'} (tự khai / claimed)`}`,
    );
  }
  const r = s.revocation;
  console.log(
    `${at}Thu hồi / revocation: ${!r ? '-' : r.status === 'good' ? `chưa thu hồi / not revoked (${r.source})` : r.status === 'revoked' ? `đã thu hồi / revoked ${r.revokedAt.toISOString()} (${r.source})` : 'không rõ / unknown'}`,
  );
  for (const f of s.findings) console.log(line(f, `${at}  `));
}

function print(file: string, result: FileVerification): void {
  console.log(`${file}: ${VERDICT[result.verdict]}`);
  for (const f of result.findings) console.log(line(f, '      '));
  result.signatures.forEach((s, i) => printSignature(s, `#${i + 1}`, '  '));
  for (const a of result.attachments) {
    console.log(`  Tệp đính kèm / attachment ${a.contentId}: ${VERDICT[a.verdict]}`);
    for (const f of a.findings) console.log(line(f, '      '));
    a.signatures.forEach((s, i) => printSignature(s, `#${i + 1}`, '    '));
  }
}

export const command: Command = {
  summary: 'Verify the signatures of a PDF or an edXML package',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        trust: { type: 'string', multiple: true },
        ca: { type: 'string' },
        offline: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
    const [file] = positionals;
    if (values.help || !file) {
      console.log(HELP);
      return values.help ? 0 : 2;
    }
    let result: FileVerification;
    try {
      const bytes = await readFile(file);
      const trust = await trustList(values.trust, values.ca);
      const verifier = new CertificateVerifier(trust, values.offline ? null : new RevocationChecker(httpRevocationFetcher()));
      result = await verifyFile(bytes, verifier);
    } catch (error) {
      console.error(`${file}: ${(error as Error).message}`);
      return 2;
    }
    if (values.json) console.log(JSON.stringify({ file, ...result }, null, 2));
    else print(file, result);
    return result.verdict === 'valid' ? 0 : 1;
  },
};
