import { randomUUID } from 'node:crypto';
import type { BlobStore } from '@vanban/db';
import { sql, type Kysely, type Transaction } from 'kysely';
import { vietnamDay } from '../calendar/working-days.js';
import { AppError } from '../http/errors.js';
import type { Actor } from '../http/members.js';
import { recordEvent } from '../journal/journal.js';
import type { OfficeSchema } from '../schema.js';
import { archiveEntries } from './archive-package.js';
import { archiveRoles } from './reading.js';
import { appraisalDue, extendedKeepUntil, nextState } from './rules.js';
import { zipWithManifest } from './zip-stream.js';

/**
 * The clerk transfers closed dossiers to the agency archive: one package (ZIP with SHA256SUMS) is
 * written to the file store while the dossiers are locked, and the transfer (who, when, which
 * dossiers, the package's SHA-256) is recorded with the dossiers' new state in one transaction.
 * A failure leaves every dossier closed; at most an unreferenced package stays in the store.
 */
export async function transferDossiers(
  db: Kysely<OfficeSchema>,
  files: BlobStore,
  agencyId: string,
  actor: Actor,
  dossierIds: readonly string[],
): Promise<{ id: string; sha256: string; size: number; fileName: string }> {
  if (!archiveRoles(actor).archivist) throw new AppError('forbidden');
  const ids = [...new Set(dossierIds)];
  return db.transaction().execute(async (tx) => {
    const rows = await tx
      .selectFrom('dossiers')
      .select(['id', 'state', 'code'])
      .where('agency_id', '=', agencyId)
      .where('id', 'in', ids)
      .orderBy('code')
      .orderBy('id')
      .forUpdate()
      .execute();
    if (rows.length !== ids.length) throw new AppError('not_found');
    if (rows.some((r) => r.state !== 'closed')) throw new AppError('dossier_wrong_state');
    const agency = await tx.selectFrom('agencies').select(['code', 'name']).where('id', '=', agencyId).executeTakeFirstOrThrow();
    const by = await tx.selectFrom('users').select('full_name').where('id', '=', actor.userId).executeTakeFirstOrThrow();
    const id = randomUUID();
    const now = new Date();
    const ordered = rows.map((r) => r.id);
    const stored = await files.put(
      zipWithManifest(archiveEntries(tx, files, agencyId, { id, agency, transferredBy: by.full_name, transferredAt: now }, ordered), now),
    );
    const fileName = `nop-luu-${agency.code}-${vietnamDay(now)}-${id.slice(0, 8)}.zip`;
    await tx
      .insertInto('archive_transfers')
      .values({
        id,
        agency_id: agencyId,
        transferred_by: actor.userId,
        transferred_at: now,
        file_name: fileName,
        sha256: stored.sha256,
        size: stored.size,
        dossier_count: rows.length,
      })
      .execute();
    for (const r of rows) {
      await tx
        .updateTable('dossiers')
        .set({ state: nextState(r.state, 'transfer'), transfer_id: id, updated_at: now })
        .where('id', '=', r.id)
        .execute();
      await recordEvent(
        tx,
        agencyId,
        {
          subject: { kind: 'dossier', id: r.id },
          action: 'transferred',
          actorId: actor.userId,
          from: r.state,
          to: 'transferred',
          details: { transferId: id, packageSha256: stored.sha256, packageSize: stored.size },
        },
        now,
      );
    }
    return { id, sha256: stored.sha256, size: stored.size, fileName };
  });
}

export type AppraisalInput =
  | { readonly decision: 'keep'; readonly extraYears: number; readonly reason: string; readonly legalBasis: string }
  | { readonly decision: 'destroy'; readonly reason: string; readonly legalBasis: string };

/**
 * The agency leader's decision on a transferred dossier whose retention has run out: keep it N
 * more years, or destroy it. Destroying keeps the dossier's record, metadata, journal and the
 * decision; it removes from the file store the dossier's own files, and its transfer package once
 * every dossier in that package is destroyed, when nothing else still refers to them. The
 * documents filed in it stay: they are records of the agency's registers, kept on their own.
 */
export async function appraiseDossier(
  db: Kysely<OfficeSchema>,
  files: BlobStore,
  agencyId: string,
  dossierId: string,
  actor: Actor,
  input: AppraisalInput,
): Promise<void> {
  if (!archiveRoles(actor).appraiser) throw new AppError('forbidden');
  const reason = input.reason.trim();
  const legalBasis = input.legalBasis.trim();
  if (!reason || !legalBasis) throw new AppError('reason_required');
  const removable = await db.transaction().execute(async (tx) => {
    const dossier = await tx
      .selectFrom('dossiers')
      .selectAll()
      .where('id', '=', dossierId)
      .where('agency_id', '=', agencyId)
      .forUpdate()
      .executeTakeFirst();
    if (!dossier) throw new AppError('not_found');
    if (dossier.state !== 'transferred') throw new AppError('dossier_wrong_state');
    const now = new Date();
    if (!appraisalDue(dossier.keep_until_year, vietnamDay(now))) throw new AppError('appraisal_not_due');
    await tx
      .insertInto('dossier_appraisals')
      .values({
        dossier_id: dossier.id,
        decision: input.decision,
        extra_years: input.decision === 'keep' ? input.extraYears : null,
        reason,
        legal_basis: legalBasis,
        decided_by: actor.userId,
        decided_at: now,
      })
      .execute();
    let blobs: string[] = [];
    if (input.decision === 'keep') {
      const keepUntil = extendedKeepUntil(dossier.keep_until_year!, input.extraYears, vietnamDay(now));
      await tx.updateTable('dossiers').set({ keep_until_year: keepUntil, updated_at: now }).where('id', '=', dossier.id).execute();
    } else {
      await tx
        .updateTable('dossiers')
        .set({ state: nextState(dossier.state, 'destroy'), updated_at: now })
        .where('id', '=', dossier.id)
        .execute();
      blobs = await unreferencedAfterDestruction(tx, dossier.id, dossier.transfer_id);
    }
    await recordEvent(
      tx,
      agencyId,
      {
        subject: { kind: 'dossier', id: dossier.id },
        action: input.decision === 'keep' ? 'kept_longer' : 'destroyed',
        actorId: actor.userId,
        from: dossier.state,
        to: input.decision === 'keep' ? dossier.state : 'destroyed',
        details: {
          reason,
          legalBasis,
          ...(input.decision === 'keep' ? { extraYears: input.extraYears } : { removedFiles: blobs }),
        },
      },
      now,
    );
    return blobs;
  });
  // Only after the decision committed: a failed decision removes nothing.
  for (const sha256 of removable) await files.remove(sha256);
}

/** The blobs the destroyed dossier alone still needed: its own files, and its package when all of that package is destroyed. */
async function unreferencedAfterDestruction(
  tx: Transaction<OfficeSchema>,
  dossierId: string,
  transferId: string | null,
): Promise<string[]> {
  const own = await tx
    .selectFrom('dossier_items')
    .select('sha256')
    .where('dossier_id', '=', dossierId)
    .where('sha256', 'is not', null)
    .execute();
  const candidates = new Set(own.map((o) => o.sha256!));
  if (transferId) {
    const alive = await tx
      .selectFrom('dossiers')
      .select('id')
      .where('transfer_id', '=', transferId)
      .where('state', '!=', 'destroyed')
      .executeTakeFirst();
    if (!alive) {
      const pkg = await tx.selectFrom('archive_transfers').select('sha256').where('id', '=', transferId).executeTakeFirstOrThrow();
      candidates.add(pkg.sha256);
    }
  }
  const removable: string[] = [];
  for (const sha256 of candidates) {
    // Content-addressed: the same bytes may be another dossier's file or a document's, and then stay.
    const used = await sql<{ used: boolean }>`
      SELECT EXISTS (SELECT 1 FROM dossier_items i JOIN dossiers d ON d.id = i.dossier_id
                      WHERE i.sha256 = ${sha256} AND d.state != 'destroyed')
          OR EXISTS (SELECT 1 FROM incoming_files WHERE sha256 = ${sha256})
          OR EXISTS (SELECT 1 FROM outgoing_files WHERE sha256 = ${sha256})
          OR EXISTS (SELECT 1 FROM incoming_documents WHERE package_sha256 = ${sha256})
          OR EXISTS (SELECT 1 FROM hub_outbox WHERE sha256 = ${sha256})
          OR EXISTS (SELECT 1 FROM hub_inbox WHERE sha256 = ${sha256})
          OR EXISTS (SELECT 1 FROM agency_seals WHERE sha256 = ${sha256})
          OR EXISTS (SELECT 1 FROM archive_transfers t WHERE t.sha256 = ${sha256}
                        AND EXISTS (SELECT 1 FROM dossiers d WHERE d.transfer_id = t.id AND d.state != 'destroyed')) AS used`.execute(tx);
    if (!used.rows[0]!.used) removable.push(sha256);
  }
  return removable;
}
