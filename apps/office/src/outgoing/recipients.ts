import type { Kysely } from 'kysely';
import type { OfficeSchema } from '../schema.js';

/** A document's recipients by how they are reached: agencies of this installation directly, the others through the hub. */
export async function recipientsByChannel(db: Kysely<OfficeSchema>, outgoingId: string) {
  const all = await db
    .selectFrom('outgoing_recipients as r')
    .leftJoin('agencies as a', 'a.code', 'r.agency_code')
    .select(['r.agency_code as code', 'r.agency_name as name', 'a.id as agencyId'])
    .where('r.outgoing_id', '=', outgoingId)
    .orderBy('r.position')
    .execute();
  return {
    all,
    local: all.flatMap((r) => (r.agencyId ? [{ id: r.agencyId, code: r.code, name: r.name }] : [])),
    external: all.filter((r) => !r.agencyId).map((r) => ({ code: r.code, name: r.name })),
  };
}

/** The issuing agency as packages and status messages name it. */
export function issuingAgency(db: Kysely<OfficeSchema>, agencyId: string) {
  return db
    .selectFrom('agencies as a')
    .leftJoin('agencies as p', 'p.id', 'a.parent_id')
    .select(['a.id', 'a.code', 'a.name', 'p.name as parentName'])
    .where('a.id', '=', agencyId)
    .executeTakeFirstOrThrow();
}
