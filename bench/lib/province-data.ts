/**
 * A generated province for the benchmarks of issue 8: the demo province grown to about 600 agencies,
 * and `documents` documents over the last `months` months, written with set-based SQL (a million
 * rows in minutes, where the office's own paths would take days).
 *
 * The traffic is shaped like a province's: about 30% of the documents are outgoing documents issued
 * by the agencies (the province's departments and the districts write more than the communes), each
 * to one to three recipients; a recipient inside the installation receives its copy as an internal
 * incoming document, one outside gets it through the hub; the rest of the incoming documents come
 * from outside the province through the hub (about two thirds) or on paper. Incoming documents go
 * through the states they would have at their age: the older ones are mostly completed, on time or
 * late, the recent ones are still being handled, a few are overdue now; each handled one has a lead
 * handler. Outgoing documents are issued mostly the day they were signed. Every document has the
 * text of its PDF. The search index and the report rollup's marks are kept by the office's own
 * triggers as the rows go in, as for any other writer; the rollup is then counted once.
 */
import type { Database } from '../../packages/db/src/index.js';
import { rebuildReportRollup, seedDemoProvince, type OfficeSchema } from '../../apps/office/src/index.js';

export interface ProvinceDataOptions {
  readonly documents: number;
  readonly months?: number;
  readonly seed?: number;
  /** The end of the generated period (now by default): "overdue now" is judged against it. */
  readonly until?: Date;
  readonly districts?: number;
  readonly communesPerDistrict?: number;
}

export interface ProvinceDataResult {
  readonly agencies: number;
  readonly users: number;
  readonly outgoing: number;
  readonly incoming: number;
  readonly recipients: number;
  readonly assignments: number;
  /** Seconds per step, in order. */
  readonly steps: readonly { readonly step: string; readonly seconds: number }[];
}

/** Agencies outside the installation (ministries, the national level), reached through the hub. */
const OUTSIDE = [
  ['000.00.00.G02', 'Bộ Nội vụ'],
  ['000.00.00.G03', 'Bộ Tài chính'],
  ['000.00.00.G04', 'Bộ Tư pháp'],
  ['000.00.00.G05', 'Bộ Xây dựng'],
  ['000.00.00.G06', 'Bộ Y tế'],
  ['000.00.00.G07', 'Bộ Giáo dục và Đào tạo'],
  ['000.00.00.G08', 'Bộ Công Thương'],
  ['000.00.00.G09', 'Bộ Nông nghiệp và Môi trường'],
  ['000.00.00.G10', 'Bộ Khoa học và Công nghệ'],
  ['000.00.00.G11', 'Văn phòng Chính phủ'],
  ['000.00.00.K14', 'Ủy ban nhân dân tỉnh Hòa Bình Nam'],
  ['000.00.00.K15', 'Ủy ban nhân dân tỉnh Lạc Sơn'],
] as const;

const TYPES = [
  ['Công văn', null, 40],
  ['Quyết định', 'QĐ', 15],
  ['Thông báo', 'TB', 10],
  ['Kế hoạch', 'KH', 8],
  ['Báo cáo', 'BC', 10],
  ['Tờ trình', 'TTr', 7],
  ['Giấy mời', 'GM', 8],
  ['Hướng dẫn', 'HD', 2],
] as const;

const OPENINGS = [
  'Về việc',
  'Triển khai',
  'Báo cáo kết quả',
  'Kế hoạch thực hiện',
  'Phê duyệt',
  'Hướng dẫn thực hiện',
  'Đề nghị hỗ trợ',
  'Thông báo ý kiến kết luận về',
  'Tăng cường',
  'Tổ chức kiểm tra',
];
const TOPICS = [
  'công tác phòng, chống thiên tai và tìm kiếm cứu nạn',
  'chuyển đổi số trong cơ quan nhà nước',
  'cải cách hành chính',
  'giải ngân vốn đầu tư công',
  'xây dựng nông thôn mới',
  'phòng cháy, chữa cháy',
  'bảo đảm an toàn thực phẩm',
  'tuyển dụng công chức, viên chức',
  'quyết toán ngân sách nhà nước',
  'bảo vệ môi trường',
  'tiêm chủng mở rộng',
  'kiểm kê tài sản công',
  'cấp giấy chứng nhận quyền sử dụng đất',
  'thu ngân sách nhà nước',
  'sắp xếp đơn vị hành chính cấp xã',
  'phòng, chống tham nhũng, tiêu cực',
  'giải quyết khiếu nại, tố cáo',
  'bảo hiểm xã hội, bảo hiểm y tế',
  'hỗ trợ hộ nghèo, hộ cận nghèo',
  'an toàn giao thông',
  'quản lý trật tự xây dựng',
  'phát triển du lịch',
  'thi tốt nghiệp trung học phổ thông',
  'phòng, chống dịch bệnh trên gia súc, gia cầm',
  'thực hành tiết kiệm, chống lãng phí',
  'công tác thi đua, khen thưởng',
  'dịch vụ công trực tuyến',
  'quy hoạch sử dụng đất',
  'đào tạo, bồi dưỡng cán bộ',
  'bầu cử đại biểu Hội đồng nhân dân',
];

const SENTENCES = [
  'Căn cứ Luật Tổ chức chính quyền địa phương',
  'Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh',
  'đề nghị các cơ quan, đơn vị khẩn trương triển khai thực hiện',
  'báo cáo kết quả trước ngày 25 hằng tháng',
  'trong quá trình thực hiện nếu có khó khăn, vướng mắc kịp thời phản ánh',
  'giao Sở Tài chính chủ trì, phối hợp với các sở, ngành liên quan',
  'tổng hợp số liệu, đánh giá tình hình và đề xuất giải pháp',
  'bảo đảm đúng tiến độ, chất lượng và hiệu quả',
  'kinh phí thực hiện từ nguồn ngân sách nhà nước được giao',
  'tổ chức tuyên truyền sâu rộng đến cán bộ, công chức và nhân dân',
];

/** A SQL literal for a list of texts: `ARRAY['a','b']`. */
function textArray(values: readonly string[]): string {
  return `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]::text[]`;
}

/** `array[1 + floor(random() * n)]`: one element at random. */
function anyOf(values: readonly string[]): string {
  return `(${textArray(values)})[1 + floor(random() * ${values.length})::int]`;
}

export async function generateProvinceData(office: Database<OfficeSchema>, options: ProvinceDataOptions): Promise<ProvinceDataResult> {
  const { db, pool } = office;
  const steps: { step: string; seconds: number }[] = [];
  const client = await pool.connect();
  const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await work();
    steps.push({ step: name, seconds: (performance.now() - started) / 1000 });
    return result;
  };
  try {
    const seeded = await step('directory (agencies, departments, users)', () =>
      seedDemoProvince(db, options.seed ?? 2026, {
        districts: options.districts ?? 26,
        communesPerDistrict: options.communesPerDistrict ?? 22,
      }),
    );
    const until = options.until ?? new Date();
    const days = Math.round((options.months ?? 8) * 30.4);
    const outgoingCount = Math.round(options.documents * 0.3);
    await client.query(`SELECT setseed($1)`, [((options.seed ?? 2026) % 1000) / 1000]);
    await client.query(`SET statement_timeout = 0`);

    await step('agencies with their people and registers', async () => {
      await client.query(`
        CREATE TEMP TABLE bench_agency AS
        SELECT row_number() OVER (ORDER BY a.code) AS n, a.id, a.code, a.name, a.notation_abbreviation AS abbr, a.level,
               (SELECT m.user_id FROM memberships m WHERE m.agency_id = a.id AND 'clerk' = ANY (m.roles) LIMIT 1) AS clerk,
               (SELECT m.user_id FROM memberships m WHERE m.agency_id = a.id AND 'agency_leader' = ANY (m.roles) LIMIT 1) AS leader,
               (SELECT m.user_id FROM memberships m WHERE m.agency_id = a.id AND 'officer' = ANY (m.roles) LIMIT 1) AS officer,
               (SELECT m.department_id FROM memberships m WHERE m.agency_id = a.id AND 'officer' = ANY (m.roles) LIMIT 1) AS department,
               (SELECT d.code FROM departments d JOIN memberships m ON m.department_id = d.id
                 WHERE m.agency_id = a.id AND 'officer' = ANY (m.roles) LIMIT 1) AS department_code,
               (SELECT r.id FROM registers r WHERE r.agency_id = a.id AND r.kind = 'incoming' AND NOT r.classified LIMIT 1) AS in_register,
               (SELECT r.id FROM registers r WHERE r.agency_id = a.id AND r.kind = 'outgoing' AND NOT r.classified LIMIT 1) AS out_register,
               CASE a.level WHEN 'province' THEN 40 WHEN 'district' THEN 15 ELSE 4 END AS weight
          FROM agencies a`);
      await client.query(`ALTER TABLE bench_agency ADD PRIMARY KEY (n)`);
      // Weighted choice by equality join: one row per unit of weight.
      await client.query(`
        CREATE TEMP TABLE bench_slot AS
        SELECT (row_number() OVER (ORDER BY n, k)) - 1 AS slot, n
          FROM bench_agency, generate_series(1, weight) k`);
      await client.query(`ALTER TABLE bench_slot ADD PRIMARY KEY (slot)`);
      await client.query(`
        CREATE TEMP TABLE bench_outside (n int PRIMARY KEY, code text, name text);
        INSERT INTO bench_outside VALUES ${OUTSIDE.map(([c, name], i) => `(${i + 1}, '${c}', '${name}')`).join(',')};
        CREATE TEMP TABLE bench_type (n int PRIMARY KEY, name text, abbr text, lo int, hi int);
        INSERT INTO bench_type VALUES ${(() => {
          let at = 0;
          return TYPES.map(([name, abbr, weight], i) => {
            const row = `(${i + 1}, '${name}', ${abbr ? `'${abbr}'` : 'NULL'}, ${at}, ${at + weight})`;
            at += weight;
            return row;
          }).join(',');
        })()};`);
    });
    const slots = Number((await client.query(`SELECT count(*) AS c FROM bench_slot`)).rows[0].c);
    const typeWeight = TYPES.reduce((sum, t) => sum + t[2], 0);
    const subject = `${anyOf(OPENINGS)} || ' ' || ${anyOf(TOPICS)} || ' ' || ${anyOf(['năm 2026', 'quý IV năm 2026', '6 tháng đầu năm 2026', 'giai đoạn 2026 - 2030', 'trên địa bàn tỉnh', 'tháng 10 năm 2026'])}`;

    // The text layer of each document's PDF, as the text worker would have read it: the subject and a few sentences.
    const body = `concat_ws('. ', subject, ${anyOf(SENTENCES)}, ${anyOf(SENTENCES)}, ${anyOf(SENTENCES)}, ${anyOf(SENTENCES)}, ${anyOf(SENTENCES)})`;
    const storeTexts = (table: string, kind: 'incoming' | 'outgoing', where = 'true') =>
      client.query(`
        INSERT INTO search_texts (document_id, kind, body, source, extracted_at)
        SELECT id, '${kind}', ${body}, 'text_layer', now() FROM ${table} WHERE ${where}`);

    await step('outgoing documents', async () => {
      // Signed on a working day between 8:00 and 17:00 Vietnam time; issued that day mostly.
      await client.query(
        `
        CREATE TEMP TABLE bench_out AS
        WITH picked AS (
          SELECT g, floor(random() * $2)::int AS slot, floor(random() * ${typeWeight})::int AS t,
                 ($3::timestamptz AT TIME ZONE 'Asia/Ho_Chi_Minh')::date - floor(random() * $4)::int AS day,
                 random() AS r_issue, random() AS r_time, ${subject} AS subject
            FROM generate_series(1, $1) g
        ), worked AS (
          SELECT p.*, CASE extract(isodow FROM day) WHEN 6 THEN day - 1 WHEN 7 THEN day - 2 ELSE day END AS work_day FROM picked p
        )
        SELECT w.g, s.n, ty.name AS type_name, ty.abbr AS type_abbr, w.subject,
               ((w.work_day + time '08:00' + w.r_time * interval '8 hours') AT TIME ZONE 'Asia/Ho_Chi_Minh') AS signed_at, w.r_issue
          FROM worked w JOIN bench_slot s ON s.slot = w.slot JOIN bench_type ty ON w.t >= ty.lo AND w.t < ty.hi`,
        [outgoingCount, slots, until, days],
      );
      await client.query(`
        CREATE TEMP TABLE bench_out2 AS
        SELECT o.*, gen_random_uuid() AS id, gen_random_uuid()::text AS document_id,
               CASE WHEN o.r_issue < 0.9 THEN o.signed_at + random() * interval '50 minutes'
                    WHEN o.r_issue < 0.97 THEN date_trunc('day', o.signed_at AT TIME ZONE 'Asia/Ho_Chi_Minh') AT TIME ZONE 'Asia/Ho_Chi_Minh' + interval '1 day 9 hours'
                    ELSE o.signed_at + interval '2 days' + random() * interval '3 days' END AS issued_at,
               NULL::bigint AS number
          FROM bench_out o`);
      // Numbered when issued, so documents still waiting at the end of the period (signed, not issued) leave no gap.
      await client.query(
        `
        UPDATE bench_out2 o SET number = x.number
          FROM (SELECT g, row_number() OVER (PARTITION BY n, extract(year FROM issued_at AT TIME ZONE 'Asia/Ho_Chi_Minh') ORDER BY issued_at, g) AS number
                  FROM bench_out2 WHERE issued_at <= $1) x
         WHERE x.g = o.g`,
        [until],
      );
      await client.query(`UPDATE bench_out2 SET issued_at = NULL WHERE number IS NULL`);
      await storeTexts('bench_out2', 'outgoing');
      await client.query(`
        INSERT INTO outgoing_documents (id, agency_id, state, document_id, document_type, type_abbreviation, subject, drafter_id,
                                        department_id, signer_id, version, created_at, updated_at, approval_round, signed_at, signed_by,
                                        register_id, register_year, number, notation, issue_date, numbered_at, issued_at)
        SELECT o.id, a.id, CASE WHEN o.number IS NULL THEN 'signed' ELSE 'issued' END, o.document_id, o.type_name, o.type_abbr, o.subject,
               a.officer, a.department, a.leader, 1, o.signed_at - interval '2 days', COALESCE(o.issued_at, o.signed_at), 1, o.signed_at, a.leader,
               CASE WHEN o.number IS NOT NULL THEN a.out_register END,
               CASE WHEN o.number IS NOT NULL THEN extract(year FROM o.issued_at AT TIME ZONE 'Asia/Ho_Chi_Minh') END, o.number,
               CASE WHEN o.number IS NOT NULL THEN
                 COALESCE(o.type_abbr || '-', '') || COALESCE(a.abbr, 'UBND') || CASE WHEN o.type_abbr IS NULL THEN '-' || COALESCE(a.department_code, 'VP') ELSE '' END
               END,
               (o.issued_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, o.issued_at - interval '1 minute', o.issued_at
          FROM bench_out2 o JOIN bench_agency a ON a.n = o.n`);
    });

    const recipients = await step('recipients', async () => {
      // One to three recipients each; four in five inside the installation.
      await client.query(
        `
        CREATE TEMP TABLE bench_recipient AS
        WITH each AS (
          SELECT o.id, o.document_id, o.n, generate_series(1, 1 + floor(random() * 3)::int) AS k FROM bench_out2 o
        ), drawn AS (
          SELECT e.*, random() < 0.8 AS inside, floor(random() * $1)::int AS slot, 1 + floor(random() * ${OUTSIDE.length})::int AS outside FROM each e
        )
        SELECT DISTINCT ON (d.id, code) d.id AS outgoing_id, d.document_id, d.n AS sender_n, d.k AS position, d.inside,
               COALESCE(a.code, b.code) AS code, COALESCE(a.name, b.name) AS name, a.n AS recipient_n
          FROM drawn d
          LEFT JOIN bench_slot s ON d.inside AND s.slot = d.slot
          LEFT JOIN bench_agency a ON a.n = s.n
          LEFT JOIN bench_outside b ON NOT d.inside AND b.n = d.outside
         WHERE (d.inside AND a.n <> d.n) OR NOT d.inside
         ORDER BY d.id, code, d.k`,
        [slots],
      );
      const { rowCount } = await client.query(`
        INSERT INTO outgoing_recipients (outgoing_id, position, agency_code, agency_name)
        SELECT outgoing_id, row_number() OVER (PARTITION BY outgoing_id ORDER BY position, code), code, name FROM bench_recipient`);
      return rowCount ?? 0;
    });

    const internal = Number((await client.query(`SELECT count(*) AS c FROM bench_recipient WHERE inside`)).rows[0].c);
    const others = Math.max(0, options.documents - outgoingCount - internal);

    await step('incoming documents', async () => {
      // Copies delivered inside the installation, then arrivals from outside: two thirds through the hub, one third on paper.
      await client.query(`
        CREATE TEMP TABLE bench_in AS
        SELECT gen_random_uuid() AS id, r.recipient_n AS n, 'internal'::text AS channel, r.document_id, s.code AS sender_code, s.name AS sender_name,
               o.number::text AS number, d.notation, d.issue_date, o.type_name, o.subject, u.full_name AS signer_name,
               o.issued_at + interval '3 seconds' AS received_at
          FROM bench_recipient r JOIN bench_out2 o ON o.id = r.outgoing_id JOIN bench_agency s ON s.n = r.sender_n
          JOIN outgoing_documents d ON d.id = o.id JOIN users u ON u.id = d.signer_id
         WHERE r.inside AND o.issued_at IS NOT NULL`);
      await client.query(
        `
        INSERT INTO bench_in
        SELECT gen_random_uuid(), s.n, CASE WHEN r.paper THEN 'paper' ELSE 'hub' END,
               CASE WHEN r.paper THEN NULL ELSE gen_random_uuid()::text END, b.code, b.name,
               (1 + floor(random() * 4000))::text, COALESCE(ty.abbr || '-', '') || 'BNV', (r.at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date - 1,
               ty.name, r.subject, ${anyOf(['Nguyễn Văn Thành', 'Trần Thị Hoa', 'Lê Quang Minh', 'Phạm Đức Long', 'Võ Thị Thu Hà'])}, r.at
          FROM (
            SELECT floor(random() * $2)::int AS slot, 1 + floor(random() * ${OUTSIDE.length})::int AS outside, random() < 0.33 AS paper,
                   floor(random() * ${typeWeight})::int AS t, ${subject} AS subject,
                   $3::timestamptz - random() * ($4 * interval '1 day') AS at
              FROM generate_series(1, $1)
          ) r
          JOIN bench_slot s ON s.slot = r.slot JOIN bench_outside b ON b.n = r.outside JOIN bench_type ty ON r.t >= ty.lo AND r.t < ty.hi`,
        [others, slots, until, days],
      );
      // Where each one stands at its age: registered within hours, directed the next day, handled
      // within a due date of ten working days (two calendar weeks), some late, the youngest still open.
      await client.query(
        `
        CREATE TEMP TABLE bench_in2 AS
        WITH drawn AS (
          SELECT i.*, i.received_at + random() * interval '6 hours' AS registered_at,
                 i.received_at + interval '1 day' + random() * interval '8 hours' AS directed_at,
                 i.received_at + interval '1 day' + (random() ^ 2) * interval '24 days' AS done_at,
                 random() < 0.005 AS refused, random() < 0.6 AS started
            FROM bench_in i
        )
        SELECT d.*, (d.directed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + 14 AS due_date,
               CASE WHEN d.done_at <= $1 THEN d.done_at END AS completed_at,
               CASE WHEN d.registered_at > $1 THEN 'awaiting'
                    WHEN d.refused THEN 'refused'
                    WHEN d.directed_at > $1 THEN 'submitted'
                    WHEN d.done_at <= $1 THEN 'completed'
                    WHEN d.started THEN 'in_progress' ELSE 'assigned' END AS state
          FROM drawn d`,
        [until],
      );
      await storeTexts('bench_in2', 'incoming', "channel <> 'internal'");
      // A copy delivered inside is the sender's own PDF: the same text.
      await client.query(`
        INSERT INTO search_texts (document_id, kind, body, source, extracted_at)
        SELECT i.id, 'incoming', t.body, 'text_layer', now()
          FROM bench_in2 i JOIN outgoing_documents o ON o.document_id = i.document_id JOIN search_texts t ON t.document_id = o.id
         WHERE i.channel = 'internal'`);
      await client.query(`
        INSERT INTO incoming_documents (id, agency_id, channel, state, document_id, sender_code, sender_name, number, notation, issue_date,
                                        document_type, subject, signer_name, hub_package_id, hub_recipient_code, verdict, received_at,
                                        register_id, register_year, register_number, registered_at, registered_by, refusal_reason,
                                        submitted_to, submitted_at, direction, directed_by, directed_at, due_date, result, completed_at)
        SELECT i.id, a.id, i.channel, i.state, i.document_id, i.sender_code, i.sender_name, i.number, i.notation, i.issue_date,
               i.type_name, i.subject, i.signer_name,
               CASE WHEN i.channel = 'hub' THEN gen_random_uuid()::text END, CASE WHEN i.channel = 'hub' THEN a.code END,
               CASE WHEN i.channel <> 'paper' THEN 'valid' END, i.received_at,
               CASE WHEN i.state NOT IN ('awaiting', 'refused') THEN a.in_register END,
               CASE WHEN i.state NOT IN ('awaiting', 'refused') THEN extract(year FROM i.registered_at AT TIME ZONE 'Asia/Ho_Chi_Minh') END,
               CASE WHEN i.state NOT IN ('awaiting', 'refused') THEN
                 row_number() OVER (PARTITION BY a.n, i.state IN ('awaiting', 'refused'), extract(year FROM i.registered_at AT TIME ZONE 'Asia/Ho_Chi_Minh')
                                    ORDER BY i.registered_at, i.id) END,
               CASE WHEN i.state NOT IN ('awaiting', 'refused') THEN i.registered_at END,
               CASE WHEN i.state NOT IN ('awaiting', 'refused') THEN a.clerk END,
               CASE WHEN i.state = 'refused' THEN 'Gửi nhầm cơ quan' END,
               CASE WHEN i.state NOT IN ('awaiting', 'refused') THEN a.leader END,
               CASE WHEN i.state NOT IN ('awaiting', 'refused') THEN i.registered_at + interval '10 minutes' END,
               CASE WHEN i.state IN ('assigned', 'in_progress', 'completed') THEN 'Giao phòng chuyên môn nghiên cứu, tham mưu xử lý.' END,
               CASE WHEN i.state IN ('assigned', 'in_progress', 'completed') THEN a.leader END,
               CASE WHEN i.state IN ('assigned', 'in_progress', 'completed') THEN i.directed_at END,
               CASE WHEN i.state IN ('assigned', 'in_progress', 'completed') THEN i.due_date END,
               CASE WHEN i.state = 'completed' THEN 'Đã xử lý xong.' END,
               CASE WHEN i.state = 'completed' THEN i.completed_at END
          FROM bench_in2 i JOIN bench_agency a ON a.n = i.n`);
    });

    const assignments = await step('lead handlers', async () => {
      const { rowCount } = await client.query(`
        INSERT INTO incoming_assignments (incoming_id, part, user_id, assigned_by, assigned_at)
        SELECT i.id, 'lead', a.officer, a.leader, i.directed_at
          FROM bench_in2 i JOIN bench_agency a ON a.n = i.n
         WHERE i.state IN ('assigned', 'in_progress', 'completed')`);
      return rowCount ?? 0;
    });

    await step('register counters', () =>
      client.query(`
        INSERT INTO register_counters (register_id, year, last_number)
        SELECT register_id, register_year, max(n) FROM (
          SELECT register_id, register_year, register_number AS n FROM incoming_documents WHERE register_id IS NOT NULL
          UNION ALL SELECT register_id, register_year, number FROM outgoing_documents WHERE register_id IS NOT NULL
        ) x GROUP BY register_id, register_year
        ON CONFLICT (register_id, year) DO UPDATE SET last_number = GREATEST(register_counters.last_number, EXCLUDED.last_number)`),
    );
    // The report rollup's triggers only mark what changed; a bulk load is counted in one pass.
    await step('report rollup', () => rebuildReportRollup(db));
    await step('analyze', () => client.query(`ANALYZE`));

    const count = async (table: string) => Number((await client.query(`SELECT count(*) AS c FROM ${table}`)).rows[0].c);
    return {
      agencies: await count('agencies'),
      users: seeded.users,
      outgoing: await count('outgoing_documents'),
      incoming: await count('incoming_documents'),
      recipients,
      assignments,
      steps,
    };
  } finally {
    client.release();
  }
}
