import type { CertificateAuthority, Issued } from '@vanban/pki';
import { sql, type Kysely } from 'kysely';
import { readFile } from 'node:fs/promises';
import { insertCredential } from '../signing/credentials.js';
import type { OfficeSchema } from '../schema.js';

interface Wanted {
  readonly agencyId: string;
  readonly userId: string | null;
  readonly name: string;
  readonly issue: (ca: CertificateAuthority) => Promise<Issued>;
}

/** Runs `work` over `items`, at most `limit` at a time: key generation is CPU-bound. */
async function inTurns<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Gives every agency its organisation certificate and every agency leader a personal signing
 * certificate, from the demo CA, with the keys in the CA's folder (the file backend). Only what is
 * missing is issued, so it is safe at every start and picks up agencies and leaders added since.
 */
export async function seedDemoCredentials(
  db: Kysely<OfficeSchema>,
  ca: CertificateAuthority,
  options: { agencyCodes?: readonly string[]; concurrency?: number } = {},
): Promise<{ agencies: number; signers: number }> {
  let agencyQuery = db
    .selectFrom('agencies as a')
    .select(['a.id', 'a.code', 'a.name'])
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('signing_credentials as c')
            .select('c.id')
            .whereRef('c.agency_id', '=', 'a.id')
            .where('c.user_id', 'is', null)
            .where('c.not_after', '>', sql<Date>`now()`),
        ),
      ),
    );
  let leaderQuery = db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .innerJoin('agencies as a', 'a.id', 'm.agency_id')
    .select(['m.agency_id', 'a.code', 'a.name as agencyName', 'u.id as userId', 'u.username', 'u.full_name', 'u.email', 'm.position'])
    .where(sql<boolean>`'agency_leader' = ANY(m.roles)`)
    .where('u.active', '=', true)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('signing_credentials as c')
            .select('c.id')
            .whereRef('c.agency_id', '=', 'm.agency_id')
            .whereRef('c.user_id', '=', 'm.user_id')
            .where('c.not_after', '>', sql<Date>`now()`),
        ),
      ),
    );
  if (options.agencyCodes) {
    if (options.agencyCodes.length === 0) return { agencies: 0, signers: 0 };
    agencyQuery = agencyQuery.where('a.code', 'in', options.agencyCodes);
    leaderQuery = leaderQuery.where('a.code', 'in', options.agencyCodes);
  }
  const [agencies, leaders] = await Promise.all([agencyQuery.orderBy('a.code').execute(), leaderQuery.orderBy('u.username').execute()]);
  const wanted: Wanted[] = [
    ...agencies.map((a) => ({
      agencyId: a.id,
      userId: null,
      name: `agency-${a.code}`,
      issue: (authority: CertificateAuthority) =>
        authority.issue({
          name: `agency-${a.code}`,
          profile: 'agency',
          subject: { commonName: a.name, organization: a.name, agencyCode: a.code },
        }),
    })),
    ...leaders.map((l) => ({
      agencyId: l.agency_id,
      userId: l.userId,
      name: `signer-${l.username}-${l.code}`,
      issue: (authority: CertificateAuthority) =>
        authority.issue({
          name: `signer-${l.username}-${l.code}`,
          profile: 'signer',
          subject: {
            commonName: l.full_name,
            organization: l.agencyName,
            ...(l.position ? { organizationalUnit: l.position } : {}),
            ...(l.email ? { email: l.email } : {}),
          },
        }),
    })),
  ];
  await inTurns(wanted, options.concurrency ?? 4, async (w) => {
    const issued = await w.issue(ca);
    await insertCredential(db, {
      agencyId: w.agencyId,
      userId: w.userId,
      backend: 'file',
      keyRef: w.name,
      certificateChain: await readFile(issued.certificateFile, 'utf8'),
    });
  });
  return { agencies: agencies.length, signers: leaders.length };
}
