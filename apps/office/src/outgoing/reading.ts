import type { Kysely } from 'kysely';
import { AppError } from '../http/errors.js';
import { seesWholeAgency, type Actor } from '../http/members.js';
import type { OfficeSchema } from '../schema.js';
import { standingOnOutgoing } from './standing.js';

/**
 * An outgoing document as a person may read it, with how they stand to it: its drafter, its
 * reviewer, whoever stands in its chain or signs it, and those who see the whole agency's
 * documents. Anyone else is told it does not exist.
 */
export async function readableOutgoing(db: Kysely<OfficeSchema>, agencyId: string, outgoingId: string, actor: Actor) {
  const doc = await db
    .selectFrom('outgoing_documents')
    .selectAll()
    .where('id', '=', outgoingId)
    .where('agency_id', '=', agencyId)
    .executeTakeFirst();
  if (!doc) throw new AppError('not_found');
  const relation = await standingOnOutgoing(db, doc, actor);
  const involved = relation.drafter || relation.reviewer || relation.currentApprover || relation.signer;
  if (!involved && !seesWholeAgency(actor.roles)) throw new AppError('not_found');
  return { doc, relation };
}
