import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HubConnection } from '@vanban/office';
import { assignAgencies, certificateFingerprint, registerPeer, registerSystem, setRoute, startHub, type RunningHub } from '@vanban/hub';
import { certificatesFromPem, type CertificateAuthority } from '@vanban/pki';
import type { Logger } from 'pino';

/** The demo's hub codes: the national axis and the demo province's hub (H99). */
export const NATIONAL_HUB_CODE = '000.00.00.G01';
export const PROVINCE_HUB_CODE = '000.00.00.G99';

interface Pem {
  key: string;
  cert: string;
  sha256: string;
}

/** A TLS certificate from the demo CA, issued once and reused on later starts. */
async function tlsPair(ca: CertificateAuthority, caDir: string, name: string, profile: 'tls-server' | 'tls-client'): Promise<Pem> {
  const keyFile = join(caDir, 'issued', `${name}.key.pem`);
  const certificateFile = join(caDir, 'issued', `${name}.crt.pem`);
  if (!existsSync(keyFile) || !existsSync(certificateFile)) {
    await ca.issue({
      name,
      profile,
      subject: { commonName: name, organization: 'vanban Demo' },
      ...(profile === 'tls-server' ? { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] } : {}),
    });
  }
  const cert = readFileSync(certificateFile, 'utf8');
  const [leaf] = certificatesFromPem(cert);
  if (!leaf) throw new Error(`${certificateFile} holds no certificate`);
  return { key: readFileSync(keyFile, 'utf8'), cert, sha256: certificateFingerprint(leaf.rawData) };
}

export interface DemoExchange {
  readonly national: RunningHub;
  readonly province: RunningHub;
  /** How the demo office reaches the provincial hub. */
  readonly office: HubConnection;
  /** Lets the provincial hub deliver to the office for these agencies (the demo province's). */
  registerOfficeAgencies(agencies: readonly { code: string; name: string }[]): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The demo's exchange: the national hub and the demo province's hub, each on its own database,
 * federated (the province sends what is not its own to the national hub, which sends H99 back),
 * with the office connected to the provincial hub. Certificates come from the demo CA.
 */
export async function startDemoExchange(options: {
  ca: CertificateAuthority;
  caDir: string;
  databases: { national: string; province: string };
  blobsDir: string;
  host: string;
  ports: { national: number; province: number };
  logger: Logger;
}): Promise<DemoExchange> {
  const { ca, caDir } = options;
  const caPem = ca.caPem();
  const pairs = {
    nationalServer: await tlsPair(ca, caDir, 'hub-national-server', 'tls-server'),
    nationalClient: await tlsPair(ca, caDir, 'hub-national-client', 'tls-client'),
    provinceServer: await tlsPair(ca, caDir, 'hub-province-server', 'tls-server'),
    provinceClient: await tlsPair(ca, caDir, 'hub-province-client', 'tls-client'),
    office: await tlsPair(ca, caDir, 'office-hub-client', 'tls-client'),
  };
  const hub = (name: 'national' | 'province', code: string, server: Pem, client: Pem) =>
    startHub({
      databaseUrl: options.databases[name],
      blobsDir: join(options.blobsDir, name),
      hubCode: code,
      host: options.host,
      port: options.ports[name],
      tls: { key: server.key, cert: server.cert, ca: caPem, client: { key: client.key, cert: client.cert } },
      trust: ca.trustList(),
      logger: options.logger.child({ hub: name }),
    });
  const national = await hub('national', NATIONAL_HUB_CODE, pairs.nationalServer, pairs.nationalClient);
  let province: RunningHub;
  try {
    province = await hub('province', PROVINCE_HUB_CODE, pairs.provinceServer, pairs.provinceClient);
  } catch (error) {
    await national.stop();
    throw error;
  }
  try {
    await registerPeer(national.pool, {
      id: 'province-h99',
      name: 'Trục liên thông tỉnh (demo H99)',
      hubCode: PROVINCE_HUB_CODE,
      baseUrl: province.url,
      certSha256: pairs.provinceClient.sha256,
    });
    await setRoute(national.pool, '*.H99', 'province-h99');
    await registerPeer(province.pool, {
      id: 'national',
      name: 'Trục liên thông văn bản quốc gia (demo)',
      hubCode: NATIONAL_HUB_CODE,
      baseUrl: national.url,
      certSha256: pairs.nationalClient.sha256,
    });
    await setRoute(province.pool, '*', 'national');
    await registerSystem(province.pool, { id: 'office', name: 'vanban (demo province)', certSha256: pairs.office.sha256 });
  } catch (error) {
    await province.stop();
    await national.stop();
    throw error;
  }
  return {
    national,
    province,
    office: { url: province.url, tls: { key: pairs.office.key, cert: pairs.office.cert, ca: caPem } },
    registerOfficeAgencies: (agencies) => assignAgencies(province.pool, 'office', agencies),
    stop: async () => {
      await province.stop();
      await national.stop();
    },
  };
}
