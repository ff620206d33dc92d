import { CertificateAuthority, buildCaServer } from '@vanban/pki';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_CA_URL = 'http://127.0.0.1:3100';

/** Where a CA's HTTP service listens: the port of the URL its certificates name, unless told otherwise. */
export function servicePort(baseUrl: string, option?: string): number {
  const url = new URL(baseUrl);
  // URL.port is empty for the scheme's default port.
  return Number(option ?? (url.port || (url.protocol === 'https:' ? '443' : '80')));
}

/**
 * The installation's demo certification authority in `<data>/ca`, created on first use. Its URL is
 * written into every certificate it issues, so it is chosen once, at creation.
 */
export async function openDemoCa(dataDir: string, url = DEFAULT_CA_URL): Promise<{ ca: CertificateAuthority; created: boolean }> {
  const dir = join(dataDir, 'ca');
  if (existsSync(join(dir, 'index.json'))) return { ca: await CertificateAuthority.open(dir), created: false };
  return { ca: await CertificateAuthority.create(dir, { name: 'vanban Demo', baseUrl: url }), created: true };
}

/** Serves the CA's CRLs, OCSP responder and timestamp authority on the host and port of its URL. */
export async function serveCa(ca: CertificateAuthority, options: { host?: string; port?: string } = {}) {
  const host = options.host ?? new URL(ca.baseUrl).hostname;
  const port = servicePort(ca.baseUrl, options.port);
  const server = await buildCaServer(ca);
  try {
    await server.listen({ host, port });
  } catch (error) {
    await server.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`The CA service cannot listen on ${host}:${port}, which another program holds (the CA's URL is ${ca.baseUrl}).`, {
        cause: error,
      });
    }
    throw error;
  }
  return { server, url: `http://${host}:${port}` };
}
