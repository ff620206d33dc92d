import { buffer } from 'node:stream/consumers';
import type { BlobStore } from '@vanban/db';
import { readEdxml, type EdxmlPackage, type StatusMessage } from '@vanban/edxml';
import { sql, type Kysely } from 'kysely';
import type { OfficeSchema } from '../schema.js';
import type { OutgoingMessage } from './connector.js';
import { outgoingStatus, statusReply } from './status-replies.js';

/**
 * Status 01 for a document that reached `recipient`: the sender learns the same day that it arrived
 * (Nghị định 30/2020), before anyone has registered it.
 */
export function arrivalStatus(pkg: EdxmlPackage, documentId: string, recipient: string, at: Date): StatusMessage {
  const named = pkg.to.find((o) => o.agencyCode === recipient);
  return statusReply(
    { senderCode: pkg.from.agencyCode, number: pkg.number, notation: pkg.notation, issueDate: pkg.issueDate, documentId },
    { agencyCode: recipient, ...(named?.name ? { name: named.name } : {}) },
    '01',
    at,
    'Văn bản đã đến hệ thống của cơ quan nhận.',
  );
}

/**
 * Queues status 01 for every document in the inbox not yet reported, in the same transaction that
 * marks it reported: a crash either leaves both undone or both done. Returns how many it reported.
 */
export async function reportArrivals(
  db: Kysely<OfficeSchema>,
  files: BlobStore,
  enqueue: (tx: Kysely<OfficeSchema>, message: OutgoingMessage) => Promise<string>,
  limit = 50,
): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const rows = await sql<{ package_id: string; recipient_code: string; document_id: string; sha256: string }>`
      SELECT package_id, recipient_code, document_id, sha256 FROM hub_inbox
       WHERE kind = 'document' AND arrival_reported_at IS NULL
       ORDER BY received_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`.execute(tx);
    for (const row of rows.rows) {
      const read = await readEdxml(await buffer(await files.read(row.sha256)));
      if (read.ok && read.kind === 'package') {
        await enqueue(tx, outgoingStatus(arrivalStatus(read.package, row.document_id, row.recipient_code, new Date())));
      }
      await tx
        .updateTable('hub_inbox')
        .set({ arrival_reported_at: new Date() })
        .where('package_id', '=', row.package_id)
        .where('recipient_code', '=', row.recipient_code)
        .execute();
    }
    return rows.rows.length;
  });
}
