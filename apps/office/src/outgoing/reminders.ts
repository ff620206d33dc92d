import { sql, type Kysely } from 'kysely';
import { loadCalendar } from '../calendar/store.js';
import { nextDay, vietnamDay } from '../calendar/working-days.js';
import { roleHolders } from '../directory/role-holders.js';
import { notify } from '../notifications/notify.js';
import { formatDay, shorten } from '../notifications/reminders.js';
import type { OfficeSchema } from '../schema.js';
import { issueTiming } from './same-day.js';

/** Statuses that say a recipient has done what it was asked. */
const DONE = ['06'];

export interface OutgoingReminderCounts {
  /** Notices to clerks about signed documents not issued on their signing day. */
  readonly unissued: number;
  /** Notices to drafters about recipients whose answer is late. */
  readonly lateReplies: number;
}

/**
 * Reminders about outgoing documents: the clerks, when a signed document is past its signing day
 * and again when it is past the next working morning without being issued (QĐ 28/2018); the
 * drafter, when the date by which the recipients were to answer has passed and some have not
 * completed it. Each is given once (its key holds the document and the date or flag).
 */
export async function remindOutgoing(db: Kysely<OfficeSchema>, now = new Date()): Promise<OutgoingReminderCounts> {
  const today = vietnamDay(now);
  let unissued = 0;
  const waiting = await db
    .selectFrom('outgoing_documents')
    .select(['id', 'agency_id', 'subject', 'signed_at'])
    .where('state', 'in', ['signed', 'numbered'])
    .where('signed_at', 'is not', null)
    .orderBy('signed_at')
    .execute();
  if (waiting.length > 0) {
    let last = today;
    for (let i = 0; i < 40; i++) last = nextDay(last);
    const calendar = await loadCalendar(db, vietnamDay(waiting[0]!.signed_at!), last);
    for (const d of waiting) {
      const timing = issueTiming(d.signed_at!, null, now, calendar);
      if (timing.issued || timing.flag === 'none') continue;
      const subject = `“${shorten(d.subject)}”`;
      unissued += await notify(db, await roleHolders(db, d.agency_id, 'clerk'), {
        agencyId: d.agency_id,
        incomingId: null,
        outgoingId: d.id,
        kind: 'unissued',
        vi:
          timing.flag === 'late'
            ? `Văn bản đã ký nhưng chưa phát hành, quá sáng ngày làm việc kế tiếp: ${subject}.`
            : `Văn bản ký ngày ${formatDay(vietnamDay(d.signed_at!))} chưa được phát hành: ${subject}; phát hành ngay trong sáng nay.`,
        en:
          timing.flag === 'late'
            ? `Signed but not issued, past the next working morning: ${subject}.`
            : `Signed on ${formatDay(vietnamDay(d.signed_at!))} and not issued yet: ${subject}; issue it this morning.`,
        once: `unissued:${timing.flag}:${d.id}`,
      });
    }
  }

  let lateReplies = 0;
  const overdue = await db
    .selectFrom('outgoing_documents as d')
    .select(['d.id', 'd.agency_id', 'd.drafter_id', 'd.subject', 'd.reply_due', 'd.document_id'])
    .select((eb) =>
      eb
        .selectFrom('outgoing_recipients as r')
        .select(sql<string[]>`coalesce(array_agg(r.agency_name ORDER BY r.position), '{}')`.as('names'))
        .whereRef('r.outgoing_id', '=', 'd.id')
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('sent_statuses as s')
                .select('s.package_id')
                .whereRef('s.agency_id', '=', 'd.agency_id')
                .whereRef('s.document_id', '=', 'd.document_id')
                .whereRef('s.recipient_code', '=', 'r.agency_code')
                .where('s.status', 'in', DONE),
            ),
          ),
        )
        .as('pending'),
    )
    .where('d.state', '=', 'issued')
    .where('d.reply_due', '<', today)
    .execute();
  for (const d of overdue) {
    const pending = d.pending ?? [];
    if (pending.length === 0) continue;
    const day = formatDay(d.reply_due!);
    lateReplies += await notify(db, [d.drafter_id], {
      agencyId: d.agency_id,
      incomingId: null,
      outgoingId: d.id,
      kind: 'reply_late',
      vi: `Quá hạn trả lời (ngày ${day}) văn bản “${shorten(d.subject)}”: ${pending.join('; ')} chưa hoàn thành.`,
      en: `Answers were due on ${day} for “${shorten(d.subject)}”: ${pending.join('; ')} not completed yet.`,
      once: `reply_late:${d.id}:${d.reply_due}`,
    });
  }
  return { unissued, lateReplies };
}
