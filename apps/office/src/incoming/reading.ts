import type { Kysely } from 'kysely';
import { AppError } from '../http/errors.js';
import type { OfficeSchema } from '../schema.js';
import { seesWholeAgency, type Actor } from '../http/members.js';
import { relationOf } from './acting.js';
import type { Relation } from './workflow.js';

/**
 * The document-level check of every incoming route: the document must be this agency's, and the
 * caller must see the whole agency's documents or have a part in this one (lead, co-handler,
 * kept informed, in person or through their department). Returns how the caller stands to it.
 */
export async function standingOn(
  db: Kysely<OfficeSchema>,
  agencyId: string,
  incomingId: string,
  actor: Actor,
): Promise<{ relation: Relation; state: string }> {
  const doc = await db
    .selectFrom('incoming_documents')
    .select(['id', 'state', 'submitted_to'])
    .where('id', '=', incomingId)
    .where('agency_id', '=', agencyId)
    .executeTakeFirst();
  if (!doc) throw new AppError('not_found');
  const relation = await relationOf(db, doc, actor);
  if (seesWholeAgency(actor.roles) || relation.leadHandler || relation.coHandler) return { relation, state: doc.state };
  const informed = await db
    .selectFrom('incoming_assignments')
    .select('part')
    .where('incoming_id', '=', incomingId)
    .where('part', '=', 'info')
    .where((eb) => {
      const mine = [eb('user_id', '=', actor.userId)];
      if (actor.departmentId) mine.push(eb('department_id', '=', actor.departmentId));
      return eb.or(mine);
    })
    .executeTakeFirst();
  // Someone with no part in it learns nothing, not even that it exists.
  if (!informed) throw new AppError('not_found');
  return { relation, state: doc.state };
}
