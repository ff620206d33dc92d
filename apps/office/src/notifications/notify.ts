import type { Kysely } from 'kysely';
import type { OfficeSchema } from '../schema.js';

export interface Notice {
  readonly agencyId: string;
  readonly incomingId: string | null;
  /** Set instead of `incomingId` for a notice about an outgoing document. */
  readonly outgoingId?: string;
  /** Set instead of `incomingId` for a notice about a dossier. */
  readonly dossierId?: string;
  /** What it is about, for programs and icons: `submitted`, `assigned`, `due_soon`, `overdue`… */
  readonly kind: string;
  readonly vi: string;
  readonly en: string;
  /**
   * Set for notices a job may raise again (reminders): with the user id it makes a key, so the same
   * reminder is never given twice.
   */
  readonly once?: string;
}

/**
 * Tells people something, in the caller's transaction: the notice exists if and only if the change
 * it speaks of committed. The mailer picks it up from there when SMTP is configured.
 */
export async function notify(tx: Kysely<OfficeSchema>, userIds: Iterable<string>, notice: Notice): Promise<number> {
  const users = [...new Set(userIds)];
  if (users.length === 0) return 0;
  const rows = await tx
    .insertInto('notifications')
    .values(
      users.map((userId) => ({
        user_id: userId,
        agency_id: notice.agencyId,
        incoming_id: notice.incomingId,
        outgoing_id: notice.outgoingId ?? null,
        dossier_id: notice.dossierId ?? null,
        kind: notice.kind,
        text_vi: notice.vi,
        text_en: notice.en,
        once_key: notice.once ? `${notice.once}:${userId}` : null,
        read_at: null,
        emailed_at: null,
      })),
    )
    .onConflict((c) => c.column('once_key').doNothing())
    .returning('id')
    .execute();
  return rows.length;
}
