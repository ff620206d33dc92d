import { sql, type Kysely } from 'kysely';
import { vietnamDay } from '../calendar/working-days.js';
import { roleHolders } from '../directory/role-holders.js';
import { notify } from '../notifications/notify.js';
import { formatDay, shorten } from '../notifications/reminders.js';
import type { OfficeSchema } from '../schema.js';
import { transferDeadline, transferReminderFor } from './rules.js';

export interface TransferReminderCounts {
  readonly soon: number;
  readonly overdue: number;
}

/**
 * Reminds the keeper of each closed dossier not yet transferred, and the agency's clerks, a month
 * before the one-year limit (Nghị định 30/2020) and again once it has passed: each reminder once
 * per dossier, closing date and person (a reopened and closed again dossier is reminded anew).
 */
export async function remindTransfers(db: Kysely<OfficeSchema>, now = new Date(), pageSize = 200): Promise<TransferReminderCounts> {
  const today = vietnamDay(now);
  const counts = { soon: 0, overdue: 0 };
  let after: { endDate: string; id: string } | null = null;
  for (;;) {
    let query = db
      .selectFrom('dossiers')
      .select(['id', 'agency_id', 'code', 'title', 'end_date', 'responsible_id'])
      .where('state', '=', 'closed')
      // Those closed 10 months ago or earlier, along the partial index; transferReminderFor decides the exact day.
      .where(sql<boolean>`end_date <= (${today}::date - interval '10 months')::date`);
    if (after) query = query.where(sql<boolean>`(end_date, id) > (${after.endDate}::date, ${after.id}::uuid)`);
    const rows = await query.orderBy('end_date').orderBy('id').limit(pageSize).execute();
    for (const d of rows) {
      const endDate = d.end_date!;
      const kind = transferReminderFor(endDate, today);
      if (!kind) continue;
      const day = formatDay(transferDeadline(endDate));
      const label = `${d.code} “${shorten(d.title)}”`;
      const users = [d.responsible_id, ...(await roleHolders(db, d.agency_id, 'clerk'))];
      const created = await notify(db, users, {
        agencyId: d.agency_id,
        incomingId: null,
        dossierId: d.id,
        kind,
        vi:
          kind === 'transfer_soon'
            ? `Hồ sơ ${label} cần nộp lưu vào lưu trữ cơ quan trước ngày ${day}.`
            : `Quá hạn nộp lưu (hạn ngày ${day}): hồ sơ ${label}.`,
        en:
          kind === 'transfer_soon'
            ? `Dossier ${label} is to be transferred to the agency archive by ${day}.`
            : `Transfer to the agency archive overdue (due ${day}): dossier ${label}.`,
        once: `${kind}:${d.id}:${endDate}`,
      });
      if (kind === 'transfer_soon') counts.soon += created;
      else counts.overdue += created;
    }
    if (rows.length < pageSize) break;
    const end = rows[rows.length - 1]!;
    after = { endDate: end.end_date!, id: end.id };
  }
  return counts;
}
