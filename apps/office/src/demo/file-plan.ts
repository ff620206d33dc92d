import { sql, type Kysely } from 'kysely';
import type { OfficeSchema } from '../schema.js';

/**
 * A typical yearly file plan (danh mục hồ sơ) of a local agency, with retention periods as the
 * common retention tables set them: (heading, number, title, years or null for permanent).
 */
const ENTRIES: readonly [string, string, string, number | null][] = [
  ['I. Tổng hợp', '01', 'Sổ đăng ký văn bản đến', null],
  ['I. Tổng hợp', '02', 'Sổ đăng ký văn bản đi', null],
  ['I. Tổng hợp', '03', 'Hồ sơ kế hoạch, báo cáo công tác năm của cơ quan', null],
  ['I. Tổng hợp', '04', 'Hồ sơ hội nghị, cuộc họp giao ban hằng tuần', 10],
  ['II. Tài chính', '05', 'Hồ sơ về công tác tài chính, quyết toán ngân sách năm', 10],
  ['II. Tài chính', '06', 'Hồ sơ về tài sản công, mua sắm trang thiết bị', 20],
  ['III. Tổ chức cán bộ', '07', 'Hồ sơ thi đua, khen thưởng năm', 20],
  ['III. Tổ chức cán bộ', '08', 'Hồ sơ trả lời đơn thư, kiến nghị của công dân', 10],
];

/**
 * The demo agencies' file plans for `year`, each entry under the agency's office. Safe to run at
 * every start: an entry already in a plan (same code) is left as it is.
 */
export async function seedDemoFilePlan(db: Kysely<OfficeSchema>, year: number): Promise<number> {
  const offices = await db.selectFrom('departments').select(['agency_id', 'id', 'code']).where('code', '=', 'VP').execute();
  const rows = offices.flatMap((office) =>
    ENTRIES.map(([heading, number, title, retentionYears], i) => ({
      agency_id: office.agency_id,
      year,
      code: `${number}.${office.code}.${year}`,
      title,
      heading,
      retention_years: retentionYears,
      department_id: office.id,
      note: null,
      position: i + 1,
    })),
  );
  let created = 0;
  for (let i = 0; i < rows.length; i += 500) {
    const done = await db
      .insertInto('file_plan_entries')
      .values(rows.slice(i, i + 500))
      .onConflict((c) => c.columns(['agency_id', 'year', 'code']).doNothing())
      .returning(sql<number>`1`.as('one'))
      .execute();
    created += done.length;
  }
  return created;
}
