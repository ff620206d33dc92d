import type { BlobStore } from '@vanban/db';
import type { Kysely } from 'kysely';
import { notify } from '../notifications/notify.js';
import type { OfficeSchema } from '../schema.js';
import { act, type Target } from './acting.js';
import { peopleOf } from './assignees.js';
import { writtenCode } from '../document-types/notation.js';

/**
 * The clerk agrees to the sender's recall, amendment or replacement: the document is withdrawn from
 * every list (an amended or replacing version goes on as its own document) and status 15 goes back.
 */
export function agreeToSenderRequest(db: Kysely<OfficeSchema>, files: BlobStore, target: Target): Promise<void> {
  return act(db, files, target, 'agree_recall', undefined, async ({ tx, doc }) => {
    const parts = await tx
      .selectFrom('incoming_assignments')
      .select(['user_id', 'department_id'])
      .where('incoming_id', '=', doc.id)
      .execute();
    const code = writtenCode(doc);
    await notify(tx, await peopleOf(tx, doc.agency_id, parts), {
      agencyId: target.agencyId,
      incomingId: doc.id,
      kind: 'withdrawn',
      vi: `Văn bản ${code} đã được thu hồi theo yêu cầu của bên gửi; không cần xử lý tiếp.`,
      en: `Document ${code} was withdrawn at the sender's request; no further handling is needed.`,
    });
    return { result: undefined, set: { sender_request_answer: 'agreed' }, details: { request: doc.sender_request } };
  });
}

/** The clerk refuses the sender's request, saying why; status 16 with the reason goes back. */
export function refuseSenderRequest(
  db: Kysely<OfficeSchema>,
  files: BlobStore,
  target: Target & { readonly reason: string },
): Promise<void> {
  const reason = target.reason.trim();
  return act(db, files, target, 'refuse_recall', reason, async ({ doc }) => ({
    result: undefined,
    set: { sender_request_answer: 'refused' },
    details: { request: doc.sender_request },
    statusText: reason,
  }));
}
