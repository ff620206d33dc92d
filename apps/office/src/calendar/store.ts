import { sql, type Kysely } from 'kysely';
import type { OfficeSchema } from '../schema.js';
import { FIRST_PRELOADED_YEAR, LAST_PRELOADED_YEAR, statutoryHolidays } from './holidays.js';
import { WorkingCalendar, type IsoDate } from './working-days.js';

/** Loads the statutory holidays of every year not loaded before; safe to run at every start. */
export async function preloadHolidays(db: Kysely<OfficeSchema>): Promise<number[]> {
  const loaded: number[] = [];
  for (let year = FIRST_PRELOADED_YEAR; year <= LAST_PRELOADED_YEAR; year++) {
    await db.transaction().execute(async (tx) => {
      const claimed = await tx
        .insertInto('calendar_years')
        .values({ year })
        .onConflict((oc) => oc.doNothing())
        .returning('year')
        .executeTakeFirst();
      if (!claimed) return;
      const rows = statutoryHolidays(year).map((h) => ({
        day: h.day,
        working: false,
        name_vi: h.nameVi,
        name_en: h.nameEn,
        source: 'statutory' as const,
      }));
      await tx
        .insertInto('calendar_days')
        .values(rows)
        .onConflict((oc) => oc.column('day').doNothing())
        .execute();
      loaded.push(year);
    });
  }
  return loaded;
}

/** The calendar between two days, for deadline arithmetic over that span. */
export async function loadCalendar(db: Kysely<OfficeSchema>, from: IsoDate, to: IsoDate): Promise<WorkingCalendar> {
  const rows = await db
    .selectFrom('calendar_days')
    .select(['day', 'working'])
    .where(sql<boolean>`day BETWEEN ${from}::date AND ${to}::date`)
    .execute();
  return new WorkingCalendar(rows);
}
