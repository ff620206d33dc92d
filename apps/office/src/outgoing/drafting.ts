import type { BlobStore, Json } from '@vanban/db';
import { isAgencyCode, type Classification, type Urgency } from '@vanban/edxml';
import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../http/members.js';
import { AppError } from '../http/errors.js';
import { recordEvent } from '../journal/journal.js';
import type { OfficeSchema } from '../schema.js';
import { ConversionError, docxToPdf } from './docx-to-pdf.js';
import { decideOutgoing, NO_OUTGOING_RELATION, type OutgoingAction } from './workflow.js';

/** Whoever saves a draft, as the workflow sees them. */
export type Drafter = Actor;

/** What a draft says; every field a save may change. */
export interface DraftFields {
  readonly documentTypeId: string;
  readonly subject: string;
  readonly urgency: Urgency;
  readonly classification: Classification;
  readonly signerId: string | null;
  readonly replyDue: string | null;
  readonly inReplyTo: string | null;
  /** Issuing this reply completes the incoming document it answers (its lead handler being the drafter). */
  readonly completesIncoming: boolean;
}

export interface Recipient {
  readonly code: string;
  /** Needed for an agency outside this installation; inside, the directory's name is used. */
  readonly name?: string;
}

export interface DraftFile {
  readonly bytes: Buffer;
  readonly name: string;
  readonly contentType: string;
}

/** An issued document of the agency that a new one amends or replaces (BussinessDocType 2/3), and why. */
export interface Amending {
  readonly outgoingId: string;
  readonly kind: 'amend' | 'replace';
  readonly reason: string;
}

/** A save: changed fields, the whole list of recipients, the main file replaced, attachments added or removed. */
export interface DraftChange {
  readonly fields?: Partial<DraftFields>;
  readonly recipients?: readonly Recipient[];
  readonly main?: DraftFile;
  readonly addAttachments?: readonly DraftFile[];
  /** Positions of the current files to drop. */
  readonly removeFiles?: readonly number[];
  readonly note?: string;
}

/** The main file is a Word document or a PDF; a DOCX is turned into PDF for signing. */
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function mainKind(file: DraftFile): 'pdf' | 'docx' | null {
  if (file.bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  // A DOCX is a ZIP holding word/document.xml; the ZIP signature and the stated type must agree.
  if (
    file.bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])) &&
    (file.contentType === DOCX || /\.docx$/i.test(file.name))
  ) {
    return 'docx';
  }
  return null;
}

/**
 * Checks the main file and, for a Word document, makes the PDF that will be signed: before any
 * transaction, since LibreOffice takes seconds.
 */
async function prepareMain(main: DraftFile | undefined): Promise<Buffer | null> {
  if (!main) return null;
  const kind = mainKind(main);
  if (!kind) throw new AppError('invalid_main_file');
  if (kind === 'pdf') return null;
  try {
    return await docxToPdf(main.bytes);
  } catch (error) {
    if (!(error instanceof ConversionError)) throw error;
    throw new AppError(error.problem === 'unreadable' ? 'invalid_main_file' : 'conversion_unavailable', { reason: error.message });
  }
}

async function documentType(tx: Kysely<OfficeSchema>, id: string) {
  const type = await tx
    .selectFrom('document_types')
    .select(['name', 'abbreviation'])
    .where('id', '=', id)
    .where('active', '=', true)
    .executeTakeFirst();
  if (!type) throw new AppError('invalid_document_type');
  return type;
}

/** Recipients as stored: codes checked, names from the directory for agencies of this installation. */
async function recipientRows(tx: Kysely<OfficeSchema>, outgoingId: string, recipients: readonly Recipient[]) {
  const codes = recipients.map((r) => r.code);
  if (new Set(codes).size !== codes.length || codes.some((c) => !isAgencyCode(c))) throw new AppError('invalid_recipient');
  const local = codes.length ? await tx.selectFrom('agencies').select(['code', 'name']).where('code', 'in', codes).execute() : [];
  return recipients.map((r, i) => {
    const name = local.find((a) => a.code === r.code)?.name ?? r.name?.trim();
    if (!name) throw new AppError('invalid_recipient', { code: r.code, reason: 'an agency outside this installation needs its name' });
    return { outgoing_id: outgoingId, position: i + 1, agency_code: r.code, agency_name: name };
  });
}

/** The incoming document a reply answers must be one this agency received. */
async function checkAnswered(tx: Kysely<OfficeSchema>, agencyId: string, incomingId: string | null | undefined): Promise<void> {
  if (!incomingId) return;
  const found = await tx
    .selectFrom('incoming_documents')
    .select('id')
    .where('id', '=', incomingId)
    .where('agency_id', '=', agencyId)
    .executeTakeFirst();
  if (!found) throw new AppError('invalid_in_reply_to');
}

/** Checks who may sign: a leader of the drafting agency. */
async function checkSigner(tx: Kysely<OfficeSchema>, agencyId: string, signerId: string | null): Promise<void> {
  if (!signerId) return;
  const signer = await tx
    .selectFrom('memberships')
    .select('user_id')
    .where('agency_id', '=', agencyId)
    .where('user_id', '=', signerId)
    .where((eb) => eb.or([eb(eb.val('agency_leader'), '=', eb.fn.any('roles')), eb(eb.val('department_leader'), '=', eb.fn.any('roles'))]))
    .executeTakeFirst();
  if (!signer) throw new AppError('invalid_signer');
}

/** Everything the current version says and holds, as the version history keeps it. */
async function snapshot(tx: Kysely<OfficeSchema>, outgoingId: string): Promise<{ [key: string]: Json }> {
  const doc = await tx
    .selectFrom('outgoing_documents')
    .select([
      'document_type',
      'type_abbreviation',
      'subject',
      'urgency',
      'classification',
      'signer_id',
      'reply_due',
      'in_reply_to',
      'completes_incoming',
    ])
    .where('id', '=', outgoingId)
    .executeTakeFirstOrThrow();
  const recipients = await tx
    .selectFrom('outgoing_recipients')
    .select(['agency_code as code', 'agency_name as name'])
    .where('outgoing_id', '=', outgoingId)
    .orderBy('position')
    .execute();
  const files = await tx
    .selectFrom('outgoing_files')
    .select(['position', 'role', 'name', 'content_type as contentType', 'sha256', 'size'])
    .where('outgoing_id', '=', outgoingId)
    .orderBy('position')
    .execute();
  return {
    documentType: doc.document_type,
    typeAbbreviation: doc.type_abbreviation,
    subject: doc.subject,
    urgency: doc.urgency,
    classification: doc.classification,
    signerId: doc.signer_id,
    replyDue: doc.reply_due,
    inReplyTo: doc.in_reply_to,
    completesIncoming: doc.completes_incoming,
    recipients,
    files: files.map((f) => ({ ...f, size: Number(f.size) })),
  };
}

async function keepVersion(
  tx: Transaction<OfficeSchema>,
  outgoingId: string,
  version: number,
  savedBy: string,
  note: string | undefined,
): Promise<void> {
  await tx
    .insertInto('outgoing_versions')
    .values({
      outgoing_id: outgoingId,
      version,
      content: JSON.stringify(await snapshot(tx, outgoingId)),
      note: note?.trim() || null,
      saved_by: savedBy,
    })
    .execute();
}

async function storeFiles(
  tx: Transaction<OfficeSchema>,
  files: BlobStore,
  outgoingId: string,
  change: DraftChange,
  converted: Buffer | null,
): Promise<void> {
  const current = await tx.selectFrom('outgoing_files').select(['position', 'role']).where('outgoing_id', '=', outgoingId).execute();
  const removing = new Set(change.removeFiles ?? []);
  if ([...removing].some((p) => !current.some((f) => f.position === p))) throw new AppError('not_found');
  if (change.main) {
    // A new main file replaces the old one and the PDF made from it.
    for (const f of current) if (f.role === 'main' || f.role === 'pdf') removing.add(f.position);
  }
  if (removing.size > 0) {
    await tx
      .deleteFrom('outgoing_files')
      .where('outgoing_id', '=', outgoingId)
      .where('position', 'in', [...removing])
      .execute();
  }
  let next = Math.max(0, ...current.map((f) => f.position)) + 1;
  const pdf: DraftFile | null =
    converted && change.main
      ? { bytes: converted, name: `${change.main.name.replace(/\.docx$/i, '')}.pdf`, contentType: 'application/pdf' }
      : null;
  const adding = [
    ...(change.main ? [{ role: 'main' as const, file: change.main }] : []),
    ...(pdf ? [{ role: 'pdf' as const, file: pdf }] : []),
    ...(change.addAttachments ?? []).map((file) => ({ role: 'attachment' as const, file })),
  ];
  for (const { role, file } of adding) {
    const stored = await files.put(file.bytes);
    await tx
      .insertInto('outgoing_files')
      .values({
        outgoing_id: outgoingId,
        position: next++,
        role,
        name: file.name,
        // The main file's type is what its bytes showed; an attachment keeps what the browser said.
        content_type:
          role === 'main' ? (mainKind(file) === 'pdf' ? 'application/pdf' : DOCX) : role === 'pdf' ? 'application/pdf' : file.contentType,
        sha256: stored.sha256,
        size: stored.size,
      })
      .execute();
  }
}

/** An officer (or anyone of the agency) starts a draft; it is version 1. */
export async function createDraft(
  db: Kysely<OfficeSchema>,
  files: BlobStore,
  input: {
    agencyId: string;
    drafter: Drafter;
    fields: DraftFields;
    recipients: readonly Recipient[];
    main?: DraftFile;
    note?: string;
    amends?: Amending;
  },
): Promise<{ id: string; documentId: string }> {
  const converted = await prepareMain(input.main);
  return db.transaction().execute(async (tx) => {
    const type = await documentType(tx, input.fields.documentTypeId);
    await checkSigner(tx, input.agencyId, input.fields.signerId);
    await checkAnswered(tx, input.agencyId, input.fields.inReplyTo);
    if (input.amends) {
      const original = await tx
        .selectFrom('outgoing_documents')
        .select('id')
        .where('id', '=', input.amends.outgoingId)
        .where('agency_id', '=', input.agencyId)
        .where('state', '=', 'issued')
        .executeTakeFirst();
      if (!original) throw new AppError('invalid_amended_document');
    }
    const row = await tx
      .insertInto('outgoing_documents')
      .values({
        agency_id: input.agencyId,
        document_type: type.name,
        type_abbreviation: type.abbreviation,
        subject: input.fields.subject.trim(),
        urgency: input.fields.urgency,
        classification: input.fields.classification,
        drafter_id: input.drafter.userId,
        department_id: input.drafter.departmentId,
        signer_id: input.fields.signerId,
        reply_due: input.fields.replyDue,
        in_reply_to: input.fields.inReplyTo,
        completes_incoming: input.fields.inReplyTo !== null && input.fields.completesIncoming,
        ...(input.amends
          ? { amends_id: input.amends.outgoingId, amend_kind: input.amends.kind, amend_reason: input.amends.reason.trim() }
          : {}),
      })
      .returning(['id', 'document_id'])
      .executeTakeFirstOrThrow();
    const recipients = await recipientRows(tx, row.id, input.recipients);
    if (recipients.length > 0) await tx.insertInto('outgoing_recipients').values(recipients).execute();
    await storeFiles(tx, files, row.id, input.main ? { main: input.main } : {}, converted);
    await keepVersion(tx, row.id, 1, input.drafter.userId, input.note);
    await recordEvent(tx, input.agencyId, {
      subject: { kind: 'outgoing', id: row.id },
      action: 'create',
      actorId: input.drafter.userId,
      to: 'draft',
      details: { version: 1, subject: input.fields.subject.trim(), documentType: type.name },
    });
    return { id: row.id, documentId: row.document_id };
  });
}

/**
 * The drafter saves the draft again: whatever changed (fields, recipients, files) makes a new
 * version, kept whole, so any two can be compared later. Only a draft can be saved.
 */
export async function saveDraft(
  db: Kysely<OfficeSchema>,
  files: BlobStore,
  input: { agencyId: string; outgoingId: string; drafter: Drafter; change: DraftChange },
): Promise<{ version: number }> {
  const converted = await prepareMain(input.change.main);
  return db.transaction().execute(async (tx) => {
    const doc = await tx
      .selectFrom('outgoing_documents')
      .select(['id', 'state', 'drafter_id', 'version'])
      .where('id', '=', input.outgoingId)
      .where('agency_id', '=', input.agencyId)
      .forUpdate()
      .executeTakeFirst();
    if (!doc) throw new AppError('not_found');
    const action: OutgoingAction = 'save_version';
    const decision = decideOutgoing({
      action,
      state: doc.state,
      roles: input.drafter.roles,
      relation: { ...NO_OUTGOING_RELATION, drafter: doc.drafter_id === input.drafter.userId },
    });
    if (!decision.ok) throw new AppError(decision.problem === 'not_allowed' ? 'forbidden' : 'wrong_state');
    const { fields = {}, recipients } = input.change;
    const type = fields.documentTypeId ? await documentType(tx, fields.documentTypeId) : null;
    if (fields.signerId !== undefined) await checkSigner(tx, input.agencyId, fields.signerId);
    await checkAnswered(tx, input.agencyId, fields.inReplyTo);
    const version = doc.version + 1;
    await tx
      .updateTable('outgoing_documents')
      .set({
        ...(type ? { document_type: type.name, type_abbreviation: type.abbreviation } : {}),
        ...(fields.subject !== undefined ? { subject: fields.subject.trim() } : {}),
        ...(fields.urgency ? { urgency: fields.urgency } : {}),
        ...(fields.classification ? { classification: fields.classification } : {}),
        ...(fields.signerId !== undefined ? { signer_id: fields.signerId } : {}),
        ...(fields.replyDue !== undefined ? { reply_due: fields.replyDue } : {}),
        ...(fields.inReplyTo !== undefined ? { in_reply_to: fields.inReplyTo } : {}),
        ...(fields.completesIncoming !== undefined ? { completes_incoming: fields.completesIncoming } : {}),
        version,
        state: decision.next,
        updated_at: new Date(),
      })
      .where('id', '=', doc.id)
      .execute();
    if (recipients) {
      const rows = await recipientRows(tx, doc.id, recipients);
      await tx.deleteFrom('outgoing_recipients').where('outgoing_id', '=', doc.id).execute();
      if (rows.length > 0) await tx.insertInto('outgoing_recipients').values(rows).execute();
    }
    await storeFiles(tx, files, doc.id, input.change, converted);
    await keepVersion(tx, doc.id, version, input.drafter.userId, input.change.note);
    await recordEvent(tx, input.agencyId, {
      subject: { kind: 'outgoing', id: doc.id },
      action,
      actorId: input.drafter.userId,
      from: doc.state,
      to: decision.next,
      details: { version, ...(input.change.note?.trim() ? { note: input.change.note.trim() } : {}) },
    });
    return { version };
  });
}
