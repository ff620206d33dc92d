import type { Kysely, Selectable } from 'kysely';
import { AppError } from '../http/errors.js';
import { seesWholeAgency, type Actor } from '../http/members.js';
import type { DossierTable, OfficeSchema } from '../schema.js';
import type { DossierStanding } from './rules.js';

/** How the caller stands to dossiers in general, before any one dossier. */
export function archiveRoles(actor: Actor): Omit<DossierStanding, 'keeper'> {
  return { archivist: actor.roles.includes('clerk'), appraiser: actor.roles.includes('agency_leader') };
}

/**
 * The check of every dossier route: the dossier must be this agency's, and the caller its keeper
 * (responsible person or opener) or someone who sees the whole agency's documents. Anyone else is
 * told it does not exist.
 */
export async function readableDossier(
  db: Kysely<OfficeSchema>,
  agencyId: string,
  dossierId: string,
  actor: Actor,
): Promise<{ dossier: Selectable<DossierTable>; standing: DossierStanding }> {
  const dossier = await db
    .selectFrom('dossiers')
    .selectAll()
    .where('id', '=', dossierId)
    .where('agency_id', '=', agencyId)
    .executeTakeFirst();
  if (!dossier) throw new AppError('not_found');
  const keeper = dossier.responsible_id === actor.userId || dossier.opened_by === actor.userId;
  if (!keeper && !seesWholeAgency(actor.roles)) throw new AppError('not_found');
  return { dossier, standing: { keeper, ...archiveRoles(actor) } };
}
