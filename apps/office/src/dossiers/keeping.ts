import type { BlobStore, Json } from '@vanban/db';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { vietnamDay } from '../calendar/working-days.js';
import { AppError } from '../http/errors.js';
import type { Actor } from '../http/members.js';
import type { UploadedFile } from '../http/upload.js';
import { standingOn } from '../incoming/reading.js';
import { recordEvent } from '../journal/journal.js';
import { readableOutgoing } from '../outgoing/reading.js';
import type { DossierTable, OfficeSchema } from '../schema.js';
import { readableDossier } from './reading.js';
import { dossierActions, keptUntilYear, nextState, type DossierAction } from './rules.js';

export interface DossierTarget {
  readonly agencyId: string;
  readonly dossierId: string;
  readonly actor: Actor;
}

type Change<R> = (tx: Transaction<OfficeSchema>, dossier: Selectable<DossierTable>, now: Date) => Promise<{ result: R; details: Json }>;

/**
 * One change to a dossier: the caller must be allowed `action` on it as it is now (read under a row
 * lock, so two changes do not cross), and the change and its journal event commit together.
 */
async function change<R>(
  db: Kysely<OfficeSchema>,
  target: DossierTarget,
  action: DossierAction,
  event: string,
  body: Change<R>,
): Promise<R> {
  return db.transaction().execute(async (tx) => {
    const { dossier, standing } = await readableDossier(tx, target.agencyId, target.dossierId, target.actor);
    const locked = await tx.selectFrom('dossiers').selectAll().where('id', '=', dossier.id).forUpdate().executeTakeFirstOrThrow();
    if (!dossierActions(locked.state, standing, true).includes(action)) {
      if (dossierActions(locked.state, { keeper: true, archivist: true, appraiser: true }, true).includes(action)) {
        throw new AppError('forbidden');
      }
      throw new AppError('dossier_wrong_state');
    }
    const now = new Date();
    const { result, details } = await body(tx, locked, now);
    const after = await tx.selectFrom('dossiers').select('state').where('id', '=', dossier.id).executeTakeFirstOrThrow();
    await recordEvent(
      tx,
      target.agencyId,
      {
        subject: { kind: 'dossier', id: dossier.id },
        action: event,
        actorId: target.actor.userId,
        from: locked.state,
        to: after.state,
        details: details as { [key: string]: Json },
      },
      now,
    );
    return result;
  });
}

/** Opens a dossier from an entry of the agency's file plan; its keeper is the opener unless another member is named. */
export async function openDossier(
  db: Kysely<OfficeSchema>,
  agencyId: string,
  actor: Actor,
  input: {
    readonly entryId: string;
    readonly title?: string | undefined;
    readonly responsibleId?: string | undefined;
    readonly startDate: string;
  },
): Promise<{ id: string }> {
  if (input.startDate > vietnamDay(new Date())) throw new AppError('invalid_dossier_dates');
  return db.transaction().execute(async (tx) => {
    const entry = await tx
      .selectFrom('file_plan_entries')
      .selectAll()
      .where('id', '=', input.entryId)
      .where('agency_id', '=', agencyId)
      .executeTakeFirst();
    if (!entry) throw new AppError('not_found');
    const responsibleId = input.responsibleId ?? actor.userId;
    const member = await tx
      .selectFrom('memberships')
      .select('user_id')
      .where('user_id', '=', responsibleId)
      .where('agency_id', '=', agencyId)
      .executeTakeFirst();
    if (!member) throw new AppError('invalid_responsible');
    const now = new Date();
    const row = await tx
      .insertInto('dossiers')
      .values({
        agency_id: agencyId,
        entry_id: entry.id,
        code: entry.code,
        title: input.title?.trim() || entry.title,
        retention_years: entry.retention_years,
        responsible_id: responsibleId,
        opened_by: actor.userId,
        start_date: input.startDate,
        end_date: null,
        page_count: null,
        document_count: null,
        transfer_id: null,
        keep_until_year: null,
        created_at: now,
        updated_at: now,
      })
      .returning(['id', 'title'])
      .executeTakeFirstOrThrow();
    await recordEvent(
      tx,
      agencyId,
      {
        subject: { kind: 'dossier', id: row.id },
        action: 'opened',
        actorId: actor.userId,
        from: null,
        to: 'open',
        details: { code: entry.code, title: row.title, entryId: entry.id, responsibleId, startDate: input.startDate },
      },
      now,
    );
    return { id: row.id };
  });
}

async function nextPosition(tx: Transaction<OfficeSchema>, dossierId: string): Promise<number> {
  const last = await tx
    .selectFrom('dossier_items')
    .select((eb) => eb.fn.max('position').as('position'))
    .where('dossier_id', '=', dossierId)
    .executeTakeFirst();
  return (last?.position ?? 0) + 1;
}

/**
 * Files an incoming or outgoing document of the agency into the dossier. The caller must be able to
 * read the document (as its own pages decide); a document they cannot read is "not found".
 */
export async function fileDocument(
  db: Kysely<OfficeSchema>,
  target: DossierTarget,
  document: { readonly kind: 'incoming' | 'outgoing'; readonly id: string },
): Promise<{ position: number }> {
  if (document.kind === 'incoming') await standingOn(db, target.agencyId, document.id, target.actor);
  else await readableOutgoing(db, target.agencyId, document.id, target.actor);
  return change(db, target, 'file', 'document_filed', async (tx, dossier, now) => {
    const column = document.kind === 'incoming' ? 'incoming_id' : 'outgoing_id';
    const present = await tx
      .selectFrom('dossier_items')
      .select('position')
      .where('dossier_id', '=', dossier.id)
      .where(column, '=', document.id)
      .executeTakeFirst();
    if (present) throw new AppError('already_filed');
    const position = await nextPosition(tx, dossier.id);
    await tx
      .insertInto('dossier_items')
      .values({
        dossier_id: dossier.id,
        position,
        kind: document.kind,
        incoming_id: document.kind === 'incoming' ? document.id : null,
        outgoing_id: document.kind === 'outgoing' ? document.id : null,
        name: null,
        content_type: null,
        sha256: null,
        size: null,
        added_by: target.actor.userId,
        added_at: now,
      })
      .execute();
    await tx.updateTable('dossiers').set({ updated_at: now }).where('id', '=', dossier.id).execute();
    return { result: { position }, details: { position, kind: document.kind, documentId: document.id } };
  });
}

/** Files another file (a record of a meeting, a photo…) into the dossier, kept in the file store. */
export async function fileUpload(
  db: Kysely<OfficeSchema>,
  files: BlobStore,
  target: DossierTarget,
  file: UploadedFile,
): Promise<{ position: number }> {
  await readableDossier(db, target.agencyId, target.dossierId, target.actor);
  const stored = await files.put(file.bytes);
  return change(db, target, 'file', 'file_filed', async (tx, dossier, now) => {
    const position = await nextPosition(tx, dossier.id);
    await tx
      .insertInto('dossier_items')
      .values({
        dossier_id: dossier.id,
        position,
        kind: 'file',
        incoming_id: null,
        outgoing_id: null,
        name: file.name,
        content_type: file.contentType,
        sha256: stored.sha256,
        size: stored.size,
        added_by: target.actor.userId,
        added_at: now,
      })
      .execute();
    await tx.updateTable('dossiers').set({ updated_at: now }).where('id', '=', dossier.id).execute();
    return { result: { position }, details: { position, kind: 'file', name: file.name, sha256: stored.sha256, size: stored.size } };
  });
}

/** Takes an item out of an open dossier; the journal keeps what it was. */
export async function removeItem(db: Kysely<OfficeSchema>, target: DossierTarget, position: number): Promise<void> {
  await change(db, target, 'remove', 'item_removed', async (tx, dossier, now) => {
    const item = await tx
      .deleteFrom('dossier_items')
      .where('dossier_id', '=', dossier.id)
      .where('position', '=', position)
      .returningAll()
      .executeTakeFirst();
    if (!item) throw new AppError('not_found');
    await tx.updateTable('dossiers').set({ updated_at: now }).where('id', '=', dossier.id).execute();
    return {
      result: undefined,
      details: {
        position,
        kind: item.kind,
        documentId: item.incoming_id ?? item.outgoing_id,
        name: item.name,
        sha256: item.sha256,
      },
    };
  });
}

/** Closes the dossier when its matter ends: its end date, page count, and the number of documents it holds. */
export async function closeDossier(
  db: Kysely<OfficeSchema>,
  target: DossierTarget,
  input: { readonly endDate: string; readonly pageCount: number },
): Promise<void> {
  await change(db, target, 'close', 'closed', async (tx, dossier, now) => {
    if (input.endDate < dossier.start_date || input.endDate > vietnamDay(now)) throw new AppError('invalid_dossier_dates');
    const count = await tx
      .selectFrom('dossier_items')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('dossier_id', '=', dossier.id)
      .executeTakeFirstOrThrow();
    const documentCount = Number(count.n);
    await tx
      .updateTable('dossiers')
      .set({
        state: nextState(dossier.state, 'close'),
        end_date: input.endDate,
        page_count: input.pageCount,
        document_count: documentCount,
        keep_until_year: keptUntilYear(input.endDate, dossier.retention_years),
        updated_at: now,
      })
      .where('id', '=', dossier.id)
      .execute();
    return { result: undefined, details: { endDate: input.endDate, pageCount: input.pageCount, documentCount } };
  });
}

/** Reopens a closed dossier not yet transferred, saying why. */
export async function reopenDossier(db: Kysely<OfficeSchema>, target: DossierTarget, reason: string): Promise<void> {
  const why = reason.trim();
  if (!why) throw new AppError('reason_required');
  await change(db, target, 'reopen', 'reopened', async (tx, dossier, now) => {
    await tx
      .updateTable('dossiers')
      .set({ state: nextState(dossier.state, 'reopen'), end_date: null, keep_until_year: null, updated_at: now })
      .where('id', '=', dossier.id)
      .execute();
    return { result: undefined, details: { reason: why, previousEndDate: dossier.end_date } };
  });
}
