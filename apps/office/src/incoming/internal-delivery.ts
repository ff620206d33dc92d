import type { Urgency } from '@vanban/edxml';
import type { Kysely } from 'kysely';
import { recordEvent } from '../journal/journal.js';
import { notify } from '../notifications/notify.js';
import type { OfficeSchema } from '../schema.js';
import { writtenCode } from '../document-types/notation.js';
import { roleHolders } from '../directory/role-holders.js';

/** A document as another agency of this installation hands it over, files already in the file store. */
export interface InternalDocument {
  readonly senderCode: string | null;
  readonly senderName: string;
  readonly number: string;
  readonly notation: string;
  readonly issueDate: string | null;
  readonly documentType: string;
  readonly subject: string;
  readonly urgency: Urgency;
  readonly signerName: string | null;
  readonly replyDue: string | null;
  readonly documentId: string | null;
  readonly files: readonly { name: string; contentType: string; sha256: string; size: number }[];
  /** Set when the document is a forwarded copy of one received here. */
  readonly forwardedFrom?: string;
}

/**
 * Delivers a document to an agency of the same installation without the hub: it lands in that
 * agency's awaiting list like any arrival, in the caller's transaction, and its clerks are told.
 */
export async function deliverInternally(
  tx: Kysely<OfficeSchema>,
  to: { readonly agencyId: string },
  document: InternalDocument,
  sentBy: { readonly agencyId: string; readonly userId: string },
  now: Date,
): Promise<string> {
  const row = await tx
    .insertInto('incoming_documents')
    .values({
      agency_id: to.agencyId,
      channel: 'internal',
      document_id: document.documentId,
      sender_code: document.senderCode,
      sender_name: document.senderName,
      number: document.number,
      notation: document.notation,
      issue_date: document.issueDate,
      document_type: document.documentType,
      subject: document.subject,
      urgency: document.urgency,
      signer_name: document.signerName,
      reply_due: document.replyDue,
      received_at: now,
      forwarded_from: document.forwardedFrom ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (document.files.length > 0) {
    await tx
      .insertInto('incoming_files')
      .values(
        document.files.map((f, i) => ({
          incoming_id: row.id,
          position: i + 1,
          name: f.name,
          content_type: f.contentType,
          sha256: f.sha256,
          size: f.size,
          added_by: null,
          added_at: null,
        })),
      )
      .execute();
  }
  await recordEvent(
    tx,
    to.agencyId,
    {
      subject: { kind: 'incoming', id: row.id },
      action: 'receive',
      actorId: null,
      to: 'awaiting',
      details: { channel: 'internal', fromAgencyId: sentBy.agencyId, forwardedFrom: document.forwardedFrom ?? null },
    },
    now,
  );
  const code = writtenCode(document);
  await notify(tx, await roleHolders(tx, to.agencyId, 'clerk'), {
    agencyId: to.agencyId,
    incomingId: row.id,
    kind: 'arrived',
    vi: `Văn bản đến mới ${code} từ ${document.senderName}.`,
    en: `New incoming document ${code} from ${document.senderName}.`,
  });
  return row.id;
}
