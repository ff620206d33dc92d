import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { OfficeSchema } from '../schema.js';
import type { AuthMembership } from '../http/context.js';
import type { Role } from '../directory/roles.js';

export const SESSION_COOKIE = 'vanban_session';
/** A session ends 12 hours after login, or after 2 idle hours. */
export const SESSION_HOURS = 12;
export const IDLE_MINUTES = 120;

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createSession(db: Kysely<OfficeSchema>, userId: string, agencyId: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db
    .insertInto('sessions')
    .values({
      id: digest(token),
      user_id: userId,
      agency_id: agencyId,
      expires_at: new Date(Date.now() + SESSION_HOURS * 3_600_000),
    })
    .execute();
  return token;
}

export interface SessionRow {
  sessionId: string;
  userId: string;
  username: string;
  agencyId: string;
}

/** The live session of a cookie token, touched so that its idle time restarts; null when none. */
export async function findSession(db: Kysely<OfficeSchema>, token: string): Promise<SessionRow | null> {
  const row = await db
    .updateTable('sessions')
    .set({ last_seen_at: new Date() })
    .from('users')
    .whereRef('users.id', '=', 'sessions.user_id')
    .where('sessions.id', '=', digest(token))
    .where('sessions.expires_at', '>', new Date())
    .where('sessions.last_seen_at', '>', new Date(Date.now() - IDLE_MINUTES * 60_000))
    .where('users.active', '=', true)
    .returning(['sessions.id as sessionId', 'users.id as userId', 'users.username', 'sessions.agency_id as agencyId'])
    .executeTakeFirst();
  return row ?? null;
}

export async function deleteSession(db: Kysely<OfficeSchema>, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

export async function loadMemberships(db: Kysely<OfficeSchema>, userId: string): Promise<AuthMembership[]> {
  const rows = await db
    .selectFrom('memberships as m')
    .innerJoin('agencies as a', 'a.id', 'm.agency_id')
    .leftJoin('departments as d', 'd.id', 'm.department_id')
    .where('m.user_id', '=', userId)
    .select([
      'm.agency_id as agencyId',
      'a.code as agencyCode',
      'a.name as agencyName',
      'm.department_id as departmentId',
      'd.name as departmentName',
      'm.roles',
      'm.position',
    ])
    .orderBy('a.name')
    .execute();
  return rows.map((r) => ({ ...r, roles: r.roles as Role[] }));
}
