import { CertificateAuthority, REVOCATION_REASONS, type IssueOptions, type RevocationReason } from '@vanban/pki';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { dataDirOf } from '../database.js';
import { DEFAULT_CA_URL, serveCa } from '../demo-ca.js';

const PROFILES = ['signer', 'agency', 'tls-server', 'tls-client'] as const;

const HELP = `vanban ca <action> [--dir DIR]      the demo and test certification authority (default DIR: <data>/ca)
  init   [--name NAME] [--url URL]      create the root, issuing CA, OCSP responder and timestamp authority;
                                        URL is where "vanban ca serve" will be reached (default http://127.0.0.1:3100)
  issue  --profile ${PROFILES.join('|')} --name FILE_NAME --cn COMMON_NAME
         [--org O] [--agency-code CODE] [--email E] [--dns HOST]... [--ip ADDRESS]... [--days N]
                                        writes issued/FILE_NAME.key.pem and .crt.pem
  revoke SERIAL|NAME [--reason ${Object.keys(REVOCATION_REASONS).join('|')}]
  list   [--json]                       issued certificates and their revocation
  serve  [--host H] [--port P]          CRLs (/crl/*.crl), OCSP (/ocsp) and timestamps (/tsa) over HTTP`;

export const command: Command = {
  summary: 'Run the demo certification authority: init, issue, revoke, list, serve',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        dir: { type: 'string' },
        name: { type: 'string' },
        url: { type: 'string' },
        profile: { type: 'string' },
        cn: { type: 'string' },
        org: { type: 'string' },
        'agency-code': { type: 'string' },
        email: { type: 'string' },
        dns: { type: 'string', multiple: true },
        ip: { type: 'string', multiple: true },
        days: { type: 'string' },
        reason: { type: 'string', default: 'unspecified' },
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
    const [action, target] = positionals;
    if (values.help || !action) {
      console.log(HELP);
      return values.help ? 0 : 2;
    }
    const dir = values.dir ?? join(dataDirOf(undefined), 'ca');
    switch (action) {
      case 'init': {
        const ca = await CertificateAuthority.create(dir, {
          name: values.name ?? 'vanban Demo',
          baseUrl: values.url ?? DEFAULT_CA_URL,
        });
        console.log(`Certification authority "${ca.name}" created in ${dir}; its service URL is ${ca.baseUrl}.`);
        return 0;
      }
      case 'issue': {
        const profile = values.profile as IssueOptions['profile'] | undefined;
        if (!profile || !PROFILES.includes(profile as (typeof PROFILES)[number]) || !values.name || !values.cn) {
          console.error('issue needs --profile, --name and --cn\n\n' + HELP);
          return 2;
        }
        const days = values.days ? Number(values.days) : 730;
        if (!Number.isInteger(days) || days < 1) throw new Error(`--days takes a whole number of days, not ${values.days}`);
        const ca = await CertificateAuthority.open(dir);
        const issued = await ca.issue({
          name: values.name,
          profile,
          subject: {
            commonName: values.cn,
            ...(values.org ? { organization: values.org } : {}),
            ...(values['agency-code'] ? { agencyCode: values['agency-code'] } : {}),
            ...(values.email ? { email: values.email } : {}),
          },
          notAfter: new Date(Date.now() + days * 86_400_000),
          ...(values.dns ? { dnsNames: values.dns } : {}),
          ...(values.ip ? { ipAddresses: values.ip } : {}),
        });
        console.log(
          `Issued ${issued.certificate.subject}, serial ${issued.certificate.serialNumber}\n  ${issued.certificateFile}\n  ${issued.keyFile}`,
        );
        return 0;
      }
      case 'revoke': {
        if (!target) {
          console.error('revoke needs a serial number or a name');
          return 2;
        }
        if (!(values.reason in REVOCATION_REASONS)) throw new Error(`--reason is one of ${Object.keys(REVOCATION_REASONS).join(', ')}`);
        const entry = await (await CertificateAuthority.open(dir)).revoke(target, values.reason as RevocationReason);
        console.log(`Revoked ${entry.subject} (serial ${entry.serial}).`);
        return 0;
      }
      case 'list': {
        const entries = await (await CertificateAuthority.open(dir)).list();
        if (values.json) console.log(JSON.stringify(entries, null, 2));
        else
          for (const e of entries)
            console.log(
              `${e.serial}  ${e.profile.padEnd(10)} ${e.name.padEnd(20)} ${e.revoked ? `REVOKED ${e.revoked.at}` : `until ${e.notAfter}`}  ${e.subject}`,
            );
        return 0;
      }
      case 'serve': {
        const ca = await CertificateAuthority.open(dir);
        const { server, url } = await serveCa(ca, { host: values.host, ...(values.port ? { port: values.port } : {}) });
        // Listening before saying so: whoever reads "Ctrl-C stops" may press it at once.
        const stopped = new Promise<void>((resolve) => process.once('SIGINT', resolve));
        console.log(`CA service of "${ca.name}" on ${url} (CRLs /crl/root.crl /crl/issuing.crl, OCSP /ocsp, TSA /tsa). Ctrl-C stops.`);
        await stopped;
        await server.close();
        return 0;
      }
      default:
        console.error(`Unknown action ${action}\n\n${HELP}`);
        return 2;
    }
  },
};
