import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../packages/db/src/index.js';
import { CertificateAuthority, buildCaServer, type Issued } from '../../packages/pki/src/index.js';

export interface ServedCa {
  readonly ca: CertificateAuthority;
  readonly caPem: string;
  /** The same PEM in a file, for `vanban hub serve --tls-ca/--trust`. */
  readonly caFile: string;
  /** An issued certificate's key and chain with the CA's, as HubClient and HubConnection take them. */
  pem(issued: Issued): { key: string; cert: string; ca: string };
  close(): Promise<void>;
}

/** A CA in `work` whose OCSP responder and CRLs the hub processes reach over HTTP, as in production. */
export async function startServedCa(work: string, name: string): Promise<ServedCa> {
  const port = await freePort();
  const ca = await CertificateAuthority.create(join(work, 'ca'), { name, baseUrl: `http://127.0.0.1:${port}` });
  const server = await buildCaServer(ca);
  await server.listen({ host: '127.0.0.1', port });
  const caPem = ca.caPem();
  const caFile = join(work, 'ca.pem');
  writeFileSync(caFile, caPem);
  return {
    ca,
    caPem,
    caFile,
    pem: (issued) => ({ key: readFileSync(issued.keyFile, 'utf8'), cert: readFileSync(issued.certificateFile, 'utf8'), ca: caPem }),
    close: () => server.close(),
  };
}
