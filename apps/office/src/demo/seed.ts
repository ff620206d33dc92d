import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { hashPassword } from '../auth/passwords.js';
import type { OfficeSchema } from '../schema.js';
import { generateDemoProvince, type DemoProvince, type ProvinceSize } from './province.js';
import { seedDemoFilePlan } from './file-plan.js';
import { vietnamDay } from '../calendar/working-days.js';

export const DEMO_PASSWORD = 'VanBan@2026';

/** A fixed UUID per demo object, so that the same seed gives the same ids everywhere. */
function demoId(kind: string, key: string): string {
  const h = createHash('sha256').update(`vanban-demo:${kind}:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface SeedResult {
  readonly created: boolean;
  readonly agencies: number;
  readonly users: number;
}

/**
 * Writes the demo province in one transaction; does nothing if its People's
 * Committee is already there, so it is safe at every start.
 */
export async function seedDemoProvince(db: Kysely<OfficeSchema>, seed = 2026, size?: ProvinceSize): Promise<SeedResult> {
  const province: DemoProvince = generateDemoProvince(seed, size);
  const root = province.agencies[0]!;
  const present = await db.selectFrom('agencies').select('id').where('code', '=', root.code).executeTakeFirst();
  if (present) {
    // Provinces seeded before agencies had notation abbreviations get theirs; set ones stay.
    const values = province.agencies.map((a) => sql`(${a.code}, ${a.notationAbbreviation})`);
    await sql`UPDATE agencies a SET notation_abbreviation = v.abbreviation
                FROM (VALUES ${sql.join(values)}) AS v(code, abbreviation)
               WHERE a.code = v.code AND a.notation_abbreviation IS NULL`.execute(db);
    // Each new year the demo agencies get that year's file plan.
    await seedDemoFilePlan(db, Number(vietnamDay(new Date()).slice(0, 4)));
    return { created: false, agencies: 0, users: 0 };
  }
  // One hash serves every demo account: they share the published demo password anyway.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction().execute(async (tx) => {
    const paths = new Map<string, { id: string; path: string }>();
    const agencyRows = province.agencies.map((a) => {
      const id = demoId('agency', a.code);
      const parent = a.parentCode ? paths.get(a.parentCode)! : null;
      const path = `${parent?.path ?? '/'}${id}/`;
      paths.set(a.code, { id, path });
      return {
        id,
        code: a.code,
        name: a.name,
        short_name: a.shortName,
        notation_abbreviation: a.notationAbbreviation,
        level: a.level,
        parent_id: parent?.id ?? null,
        path,
      };
    });
    await tx.insertInto('agencies').values(agencyRows).execute();
    const departmentRows = province.agencies.flatMap((a) =>
      a.departments.map((d) => ({
        id: demoId('department', `${a.code}/${d.code}`),
        agency_id: paths.get(a.code)!.id,
        code: d.code,
        name: d.name,
      })),
    );
    await tx.insertInto('departments').values(departmentRows).execute();
    // Every agency keeps its incoming and outgoing documents in registers of its own (Nghị định 30/2020).
    const registerRows = province.agencies.flatMap((a) => [
      { agency_id: paths.get(a.code)!.id, kind: 'incoming' as const, name: 'Sổ văn bản đến' },
      { agency_id: paths.get(a.code)!.id, kind: 'outgoing' as const, name: 'Sổ văn bản đi' },
    ]);
    await tx.insertInto('registers').values(registerRows).execute();
    // Every draft is checked by the office (Văn phòng) before its signer, where there is an office head.
    const chainRows = province.agencies
      .filter((a) => a.level !== 'commune')
      .map((a) => ({
        agency_id: paths.get(a.code)!.id,
        position: 1,
        department_id: demoId('department', `${a.code}/${a.departments[0]!.code}`),
      }));
    await tx.insertInto('approval_steps').values(chainRows).execute();
    const userRows = province.users.map((u) => ({
      id: demoId('user', u.username),
      username: u.username,
      full_name: u.fullName,
      email: u.email,
      password_hash: passwordHash,
    }));
    for (let i = 0; i < userRows.length; i += 500)
      await tx
        .insertInto('users')
        .values(userRows.slice(i, i + 500))
        .execute();
    const membershipRows = province.users.flatMap((u) =>
      u.memberships.map((m) => ({
        user_id: demoId('user', u.username),
        agency_id: paths.get(m.agencyCode)!.id,
        department_id: m.departmentCode ? demoId('department', `${m.agencyCode}/${m.departmentCode}`) : null,
        roles: m.roles,
        position: m.position,
      })),
    );
    for (let i = 0; i < membershipRows.length; i += 500) {
      await tx
        .insertInto('memberships')
        .values(membershipRows.slice(i, i + 500))
        .execute();
    }
  });
  await seedDemoFilePlan(db, Number(vietnamDay(new Date()).slice(0, 4)));
  return { created: true, agencies: province.agencies.length, users: province.users.length };
}
