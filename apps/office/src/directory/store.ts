import { sql, type Kysely, type Transaction } from 'kysely';
import type { OfficeSchema } from '../schema.js';
import type { Role } from './roles.js';
import type { AgencyView } from './schemas.js';
import type { Level } from './agency-rules.js';

type Db = Kysely<OfficeSchema> | Transaction<OfficeSchema>;

export async function listLevels(db: Db): Promise<Level[]> {
  return db.selectFrom('agency_levels').select(['code', 'name_vi as nameVi', 'name_en as nameEn', 'rank']).orderBy('rank').execute();
}

/** A LIKE pattern matching text that contains `q`, any case, with LIKE's own characters taken literally. */
function containsPattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function agencyColumns(db: Db) {
  return db.selectFrom('agencies as a').select([
    'a.id',
    'a.code',
    'a.name',
    'a.short_name as shortName',
    'a.notation_abbreviation as notationAbbreviation',
    'a.level',
    'a.parent_id as parentId',
    (eb) =>
      eb
        .selectFrom('agencies as c')
        .whereRef('c.parent_id', '=', 'a.id')
        .select(sql<number>`count(*)::int`.as('n'))
        .as('childCount'),
  ]);
}

export async function getAgency(db: Db, id: string): Promise<(AgencyView & { path: string }) | undefined> {
  const row = await agencyColumns(db).select('a.path').where('a.id', '=', id).executeTakeFirst();
  return row ? { ...row, childCount: row.childCount ?? 0 } : undefined;
}

export async function findAgencyByCode(db: Db, code: string) {
  return db.selectFrom('agencies').select(['id', 'level', 'path']).where('code', '=', code).executeTakeFirst();
}

export async function listAgencies(
  db: Db,
  filter: { parentId: string | null | undefined; q: string | undefined },
  after: string[] | null,
  limit: number,
): Promise<AgencyView[]> {
  let query = agencyColumns(db);
  if (filter.parentId === null) query = query.where('a.parent_id', 'is', null);
  else if (filter.parentId !== undefined) query = query.where('a.parent_id', '=', filter.parentId);
  if (filter.q) {
    query = query.where(sql<boolean>`lower(a.code || ' ' || a.name || ' ' || a.short_name) like ${containsPattern(filter.q)}`);
  }
  if (after) query = query.where(sql<boolean>`(a.name, a.id) > (${after[0]}, ${after[1]}::uuid)`);
  const rows = await query
    .orderBy('a.name')
    .orderBy('a.id')
    .limit(limit + 1)
    .execute();
  return rows.map((r) => ({ ...r, childCount: r.childCount ?? 0 }));
}

export async function insertAgency(
  db: Db,
  agency: { id: string; code: string; name: string; shortName: string; level: string; parentId: string | null; parentPath: string | null },
): Promise<void> {
  await db
    .insertInto('agencies')
    .values({
      id: agency.id,
      code: agency.code,
      name: agency.name,
      short_name: agency.shortName,
      level: agency.level,
      parent_id: agency.parentId,
      path: `${agency.parentPath ?? '/'}${agency.id}/`,
    })
    .execute();
}

export async function listDepartments(db: Db, agencyId: string, after: string[] | null, limit: number) {
  let query = db.selectFrom('departments').select(['id', 'agency_id as agencyId', 'code', 'name']).where('agency_id', '=', agencyId);
  if (after) query = query.where(sql<boolean>`(name, id) > (${after[0]}, ${after[1]}::uuid)`);
  return query
    .orderBy('name')
    .orderBy('id')
    .limit(limit + 1)
    .execute();
}

function agencyUserColumns(db: Db, agencyId: string) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .leftJoin('departments as d', 'd.id', 'm.department_id')
    .where('m.agency_id', '=', agencyId)
    .select([
      'u.id',
      'u.username',
      'u.full_name as fullName',
      'u.email',
      'm.department_id as departmentId',
      'd.name as departmentName',
      'm.roles',
      'm.position',
      'u.locked_until as lockedUntil',
    ]);
}

type AgencyUserRow = Awaited<ReturnType<ReturnType<typeof agencyUserColumns>['executeTakeFirstOrThrow']>>;

function toAgencyUser({ lockedUntil, roles, ...r }: AgencyUserRow, now: Date) {
  return { ...r, roles: roles as Role[], locked: lockedUntil !== null && lockedUntil > now };
}

export async function listAgencyUsers(db: Db, agencyId: string, q: string | undefined, after: string[] | null, limit: number, now: Date) {
  let query = agencyUserColumns(db, agencyId);
  if (q) {
    query = query.where(sql<boolean>`lower(u.username || ' ' || u.full_name) like ${containsPattern(q)}`);
  }
  if (after) query = query.where('u.username', '>', after[0]!);
  const rows = await query
    .orderBy('u.username')
    .limit(limit + 1)
    .execute();
  return rows.map((row) => toAgencyUser(row, now));
}

/** One user as seen from one agency they work in; undefined when they do not work there. */
export async function getAgencyUser(db: Db, agencyId: string, userId: string, now: Date) {
  const row = await agencyUserColumns(db, agencyId).where('u.id', '=', userId).executeTakeFirst();
  return row ? toAgencyUser(row, now) : undefined;
}

export async function isDepartmentOf(db: Db, agencyId: string, departmentId: string): Promise<boolean> {
  const row = await db
    .selectFrom('departments')
    .select('id')
    .where('id', '=', departmentId)
    .where('agency_id', '=', agencyId)
    .executeTakeFirst();
  return row !== undefined;
}

/** True when a unique index refused the row: the caller turns it into a 409 naming what is taken. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505';
}
