import { buffer } from 'node:stream/consumers';
import type { BlobStore } from '@vanban/db';
import { readEdxml, type StatusMessage } from '@vanban/edxml';
import { sql, type Kysely, type Transaction } from 'kysely';
import { recordEvent } from '../journal/journal.js';
import { notify } from '../notifications/notify.js';
import type { OfficeSchema } from '../schema.js';
import { writtenCode } from '../document-types/notation.js';
import { roleHolders } from '../directory/role-holders.js';

/** Status messages with these codes come from a document's sender, not from its recipient. */
const FROM_SENDER = new Set(['13']);

/** An edXML timestamp (Vietnam's wall clock, no zone) as an instant; `fallback` when it cannot be read. */
export function statusInstant(at: string, fallback: Date): Date {
  const instant = new Date(`${at}+07:00`);
  return Number.isNaN(instant.getTime()) ? fallback : instant;
}

/**
 * Takes status messages from the inbox into the agencies' work, in the transaction that marks them
 * taken: an answer from a recipient (01–06, 15, 16) is added to the sender's tracking and timeline;
 * a recall request (13) from a sender marks the documents it names so their clerk can answer it.
 * Returns how many it dealt with.
 */
export async function takeStatuses(db: Kysely<OfficeSchema>, files: BlobStore, limit = 50): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const rows = await sql<{ package_id: string; recipient_code: string; sha256: string; received_at: Date }>`
      SELECT package_id, recipient_code, sha256, received_at FROM hub_inbox
       WHERE kind = 'status' AND taken_at IS NULL AND unplaced IS NULL
       ORDER BY received_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`.execute(tx);
    for (const row of rows.rows) {
      const unplaced = await placeStatus(tx, files, row);
      await tx
        .updateTable('hub_inbox')
        .set(unplaced ? { unplaced } : { taken_at: new Date() })
        .where('package_id', '=', row.package_id)
        .where('recipient_code', '=', row.recipient_code)
        .execute();
    }
    return rows.rows.length;
  });
}

/** Places one status message; returns why it cannot be placed, or null. */
async function placeStatus(
  tx: Transaction<OfficeSchema>,
  files: BlobStore,
  row: { package_id: string; recipient_code: string; sha256: string; received_at: Date },
): Promise<string | null> {
  const agency = await tx.selectFrom('agencies').select('id').where('code', '=', row.recipient_code).executeTakeFirst();
  if (!agency) return `no agency ${row.recipient_code} in this installation`;
  const read = await readEdxml(await buffer(await files.read(row.sha256)));
  if (!read.ok || read.kind !== 'status') return 'not a readable status message';
  const status = read.status;
  const at = statusInstant(status.at, row.received_at);
  if (FROM_SENDER.has(status.status)) await markRecallRequest(tx, agency.id, status, at);
  else await recordAnswer(tx, agency.id, row.package_id, status, at);
  return null;
}

/** A recipient's answer about a document this agency sent, once per message. */
export async function recordAnswer(tx: Kysely<OfficeSchema>, agencyId: string, packageId: string, status: StatusMessage, at: Date) {
  const documentId = status.responseFor.documentId;
  const inserted = await tx
    .insertInto('sent_statuses')
    .values({
      package_id: packageId,
      agency_id: agencyId,
      document_id: documentId,
      recipient_code: status.from.agencyCode,
      recipient_name: status.from.name || status.from.agencyCode,
      status: status.status,
      description: status.description ?? null,
      status_at: at,
    })
    .onConflict((c) => c.columns(['package_id', 'agency_id']).doNothing())
    .returning('package_id')
    .executeTakeFirst();
  if (!inserted) return;
  await recordEvent(tx, agencyId, {
    subject: { kind: 'sent', id: documentId },
    action: 'status_received',
    actorId: null,
    details: {
      status: status.status,
      recipientCode: status.from.agencyCode,
      recipientName: status.from.name || status.from.agencyCode,
      description: status.description ?? null,
      statusAt: at.toISOString(),
      staff: status.staff?.name ?? null,
    },
  });
}

/** The sender asks for its document back: every open copy here is marked for the clerk to answer. */
async function markRecallRequest(tx: Transaction<OfficeSchema>, agencyId: string, status: StatusMessage, at: Date) {
  await markSenderRequest(tx, agencyId, {
    documentId: status.responseFor.documentId,
    senderCode: status.from.agencyCode,
    kind: 'recall',
    reason: status.description ?? null,
    version: null,
    at,
  });
}

/**
 * Marks this agency's open copies of a document with the sender's request (recall, amend, replace),
 * journals it and tells the clerks. Returns how many documents it marked.
 */
export async function markSenderRequest(
  tx: Kysely<OfficeSchema>,
  agencyId: string,
  request: {
    documentId: string;
    senderCode: string;
    kind: 'recall' | 'amend' | 'replace';
    reason: string | null;
    version: string | null;
    at: Date;
  },
): Promise<number> {
  const marked = await tx
    .updateTable('incoming_documents')
    .set({
      sender_request: request.kind,
      sender_request_reason: request.reason,
      sender_request_at: request.at,
      sender_request_version: request.version,
      sender_request_answer: null,
    })
    .where('agency_id', '=', agencyId)
    .where('document_id', '=', request.documentId)
    .where('sender_code', '=', request.senderCode)
    .where('state', 'in', ['awaiting', 'registered', 'submitted', 'assigned', 'in_progress'])
    .returning(['id', 'number', 'notation'])
    .execute();
  const clerks = marked.length ? await roleHolders(tx, agencyId, 'clerk') : [];
  const words = { recall: ['thu hồi', 'to recall'], amend: ['cập nhật', 'to amend'], replace: ['thay thế', 'to replace'] }[request.kind];
  for (const doc of marked) {
    await recordEvent(tx, agencyId, {
      subject: { kind: 'incoming', id: doc.id },
      action: 'sender_request',
      actorId: null,
      details: { request: request.kind, reason: request.reason, version: request.version },
    });
    const code = writtenCode(doc);
    await notify(tx, clerks, {
      agencyId,
      incomingId: doc.id,
      kind: 'sender_request',
      vi: `Bên gửi đề nghị ${words[0]} văn bản ${code}${request.reason ? `: ${request.reason}` : ''}.`,
      en: `The sender asks ${words[1]} document ${code}${request.reason ? `: ${request.reason}` : ''}.`,
    });
  }
  return marked.length;
}
