import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { hashPassword } from '../auth/passwords.js';
import { DEMO_PASSWORD } from '../demo/seed.js';
import type { OfficeSchema } from '../schema.js';

/** The one agency of another installation, reached only through the hub, as a ministry would be. */
export const PEER_AGENCY = { code: '000.00.00.G12', name: 'Bộ Tài chính' } as const;

/**
 * Gives another installation's database its one agency, with its registers, a clerk `vt.peer` and
 * a leader `ld.peer` (the demo password): enough to receive, register and answer documents.
 */
export async function seedPeerInstallation(db: Kysely<OfficeSchema>): Promise<void> {
  const agencyId = randomUUID();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('agencies')
      .values({
        id: agencyId,
        ...PEER_AGENCY,
        short_name: 'BTC',
        notation_abbreviation: 'BTC',
        level: 'central',
        parent_id: null,
        path: `/${agencyId}/`,
      })
      .execute();
    await tx
      .insertInto('registers')
      .values([
        { agency_id: agencyId, kind: 'incoming', name: 'Sổ văn bản đến' },
        { agency_id: agencyId, kind: 'outgoing', name: 'Sổ văn bản đi' },
      ])
      .execute();
    for (const [username, fullName, role] of [
      ['vt.peer', 'Văn thư Bộ', 'clerk'],
      ['ld.peer', 'Lãnh đạo Bộ', 'agency_leader'],
    ] as const) {
      const user = await tx
        .insertInto('users')
        .values({ username, full_name: fullName, email: null, password_hash: passwordHash, totp_secret: null, locked_until: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('memberships')
        .values({ user_id: user.id, agency_id: agencyId, department_id: null, roles: [role], position: null })
        .execute();
    }
  });
}
