import type { BlobStore } from '@vanban/db';
import type { Kysely } from 'kysely';
import { queueForHub, type OutgoingMessage } from '../hub-connector/connector.js';
import { recordEvent } from '../journal/journal.js';
import type { OfficeSchema } from '../schema.js';

/**
 * An agency sends a signed edXML package through the hub: queued in the outbox and written in the
 * agency's journal in the caller's transaction, so the document's timeline starts with its sending.
 */
export async function sendThroughHub(
  tx: Kysely<OfficeSchema>,
  files: BlobStore,
  sender: { readonly agencyId: string; readonly userId: string | null },
  message: OutgoingMessage & { readonly kind: 'document' },
  /** How the tracking list names the document. */
  summary: { readonly number: string; readonly notation: string; readonly subject: string },
  now = new Date(),
): Promise<string> {
  const outboxId = await queueForHub(tx, files, message);
  await recordEvent(
    tx,
    sender.agencyId,
    {
      subject: { kind: 'sent', id: message.documentId },
      action: 'send',
      actorId: sender.userId,
      details: { to: [...message.to], outboxId, ...summary },
    },
    now,
  );
  return outboxId;
}
