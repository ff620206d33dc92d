import { randomUUID } from 'node:crypto';
import type { BlobStore } from '@vanban/db';
import type { Urgency } from '@vanban/edxml';
import { sql, type Kysely } from 'kysely';
import { loadCalendar } from '../calendar/store.js';
import { nextDay, vietnamDay, type IsoDate } from '../calendar/working-days.js';
import type { OfficeSchema } from '../schema.js';
import type { FileKeyStore } from '../signing/agency-signing.js';
import { signedDocumentPackage } from '../outgoing/edxml-package.js';
import { sendThroughHub } from '../tracking/sending.js';
import { paperPdf, type PaperDocument } from './letter-pdf.js';
import { writtenDate } from '../document-types/written-date.js';

/** What an agency's document says; everything but its number has a plain default. */
export interface DocumentFields {
  readonly number: string;
  /** By default the clerk's agency slug and "VP", e.g. UBND-VP. */
  readonly notation?: string;
  readonly subject?: string;
  /** The summary carried in the package (Content). */
  readonly content?: string;
  /** QCVN 102 DocumentType/Type: 1 legal normative, 2 administrative (the default). */
  readonly documentTypeCode?: string;
  /** Công văn by default; any other type is printed as a title above its subject. */
  readonly documentTypeName?: string;
  readonly urgency?: Urgency;
  /** ISO date by which the sender wants an answer. */
  readonly dueDate?: string;
  /** The printed body, one entry per paragraph; by default "Kính gửi" and the content. */
  readonly body?: readonly string[];
  /** The document's PDF; by default one page drawn from the other fields. */
  readonly pdf?: Uint8Array;
}

/** A signed package ready for the outbox, with who sends it. */
interface Prepared {
  readonly documentId: string;
  readonly bytes: Buffer;
  readonly sender: { readonly agencyId: string; readonly userId: string };
  readonly from: string;
  readonly to: readonly string[];
  readonly summary: { readonly number: string; readonly notation: string; readonly subject: string };
}

const PLACE = 'Bình An';

/** dd/mm/yyyy, as deadlines are written in a document's text. */
const shortDate = (day: IsoDate) => day.split('-').reverse().join('/');

/** Words in lines of at most about `max` characters: the page shrinks a line that is still too wide. */
function lines(text: string, max: number): string[] {
  const out: string[] = [];
  for (const word of text.split(' ')) {
    const last = out.length > 0 ? out[out.length - 1]! : null;
    if (last !== null && last.length + 1 + word.length <= max) out[out.length - 1] = `${last} ${word}`;
    else out.push(word);
  }
  return out;
}

/** The issuing agency's header: a People's Committee on two lines as printed, others wrapped. */
function agencyHeader(name: string): string[] {
  const upper = name.toLocaleUpperCase('vi');
  const committee = /^(ỦY BAN NHÂN DÂN) (.+)$/.exec(upper);
  return committee ? [committee[1]!, committee[2]!] : lines(upper, 28);
}

/** Builds and signs, as agency `fromCode`'s clerk, the package of a document to `toCodes`. */
async function prepare(
  db: Kysely<OfficeSchema>,
  keys: FileKeyStore,
  fromCode: string,
  toCodes: readonly string[],
  fields: DocumentFields,
  now: Date,
): Promise<Prepared> {
  const from = await db
    .selectFrom('agencies as a')
    .leftJoin('agencies as p', 'p.id', 'a.parent_id')
    .select(['a.id', 'a.code', 'a.name', 'p.name as parentName'])
    .where('a.code', '=', fromCode)
    .executeTakeFirst();
  if (!from) throw new Error(`no agency ${fromCode} in this installation`);
  const named = await db
    .selectFrom('agencies')
    .select(['code', 'name'])
    .where('code', 'in', [...toCodes])
    .execute();
  const to = toCodes.map((code) => ({ agencyCode: code, name: named.find((a) => a.code === code)?.name ?? code }));
  // The clerk (văn thư) sends; vt.<slug> first where an agency has more than one.
  const clerk = await db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .leftJoin('departments as d', 'd.id', 'm.department_id')
    .select(['u.id', 'u.username', 'u.full_name', 'u.email', 'd.name as department'])
    .where('m.agency_id', '=', from.id)
    .where(sql<boolean>`'clerk' = ANY(m.roles)`)
    .orderBy(sql`u.username LIKE 'vt.%'`, 'desc')
    .orderBy('u.username')
    .executeTakeFirst();
  if (!clerk) throw new Error(`agency ${fromCode} has no clerk to send`);

  const issueDate = vietnamDay(now);
  const { number } = fields;
  const notation = fields.notation ?? `${clerk.username.replace(/^vt\./, '').replace(/\./g, '').toUpperCase()}-VP`;
  const subject = fields.subject ?? 'Về việc triển khai gửi, nhận văn bản điện tử qua trục liên thông';
  const content = fields.content ?? 'Đề nghị các cơ quan, đơn vị nghiên cứu, triển khai thực hiện.';
  const typeName = fields.documentTypeName ?? 'Công văn';
  const letter = typeName === 'Công văn';
  const addressed =
    to.length === 1
      ? [`Kính gửi: ${to[0]!.name}.`]
      : ['Kính gửi:', ...to.map((t, i) => `        - ${t.name}${i === to.length - 1 ? '.' : ';'}`)];
  const page: PaperDocument = {
    ...(from.parentName ? { parentAgency: from.parentName.replace(/^Ủy ban nhân dân/, 'UBND').toLocaleUpperCase('vi') } : {}),
    agency: agencyHeader(from.name),
    code: `${number}/${notation}`,
    placeAndDate: `${PLACE}, ${writtenDate(issueDate)}`,
    // A công văn carries its subject under its number; other types a title, then the subject.
    ...(letter
      ? { subjectUnderNumber: lines(subject.replace(/^Về việc /, 'V/v '), 32) }
      : { type: typeName.toLocaleUpperCase('vi'), subject: lines(subject, 46) }),
    body: fields.body ?? [...addressed, '', content],
  };
  const pdf = fields.pdf ?? (await paperPdf(page));
  const documentId = randomUUID();
  const bytes = await signedDocumentPackage(
    db,
    keys,
    from.id,
    {
      from: { agencyCode: from.code, name: from.name, ...(from.parentName ? { organizationInCharge: from.parentName } : {}) },
      to,
      documentId,
      number,
      notation,
      issuePlace: PLACE,
      issueDate,
      documentTypeCode: fields.documentTypeCode ?? '2',
      documentTypeName: typeName,
      subject,
      content,
      ...(fields.dueDate ? { dueDate: fields.dueDate } : {}),
      urgency: fields.urgency ?? 'normal',
      responseFor: [],
      business: {
        kind: 'new',
        paperCopyFollows: false,
        staff: {
          name: clerk.full_name,
          ...(clerk.department ? { department: clerk.department } : {}),
          ...(clerk.email ? { email: clerk.email } : {}),
        },
      },
    },
    [{ name: `${number}-${notation}.pdf`, contentType: 'application/pdf', bytes: pdf, description: typeName }],
    now,
  );
  return {
    documentId,
    bytes,
    sender: { agencyId: from.id, userId: clerk.id },
    from: from.code,
    to: toCodes,
    summary: { number, notation, subject },
  };
}

/** Queues a prepared package in the outbox and the sender's journal, in the caller's transaction. */
function queue(tx: Kysely<OfficeSchema>, files: BlobStore, prepared: Prepared): Promise<string> {
  return sendThroughHub(
    tx,
    files,
    prepared.sender,
    {
      kind: 'document',
      bytes: prepared.bytes,
      documentId: prepared.documentId,
      from: prepared.from,
      to: [...prepared.to],
      classification: 'none',
    },
    prepared.summary,
  );
}

/**
 * Agency `fromCode` sends a document through the hub to `toCodes`, as its clerk: an edXML package
 * with a one-page PDF, signed with the agency's own certificate (its key from `keys`), queued in
 * the outbox and journalled as the office's own sending does. Throws `AgencySigningError` when the
 * agency has no certificate or key. Resolves with the package's DocumentId once queued.
 */
export async function sendAsAgency(
  db: Kysely<OfficeSchema>,
  files: BlobStore,
  keys: FileKeyStore,
  fromCode: string,
  toCodes: readonly string[],
  fields: DocumentFields,
): Promise<string> {
  const prepared = await prepare(db, keys, fromCode, toCodes, fields, new Date());
  await db.transaction().execute((tx) => queue(tx, files, prepared));
  return prepared.documentId;
}

const UBND = '000.00.00.H99';
const SO_NOI_VU = '000.00.02.H99';
const SO_TAI_CHINH = '000.00.04.H99';
const SO_XAY_DUNG = '000.00.06.H99';
const SO_NONG_NGHIEP_MOI_TRUONG = '000.00.07.H99';
const SO_GIAO_DUC = '000.00.08.H99';
const SO_Y_TE = '000.00.09.H99';
const SO_KHOA_HOC_CONG_NGHE = '000.00.10.H99';

interface DemoDocument {
  readonly from: string;
  readonly to: readonly string[];
  readonly fields: DocumentFields;
}

/** The demo's documents, dated `today`, with deadlines in working days from the calendar. */
function demoDocuments(today: IsoDate, workingDaysLater: (n: number) => IsoDate): DemoDocument[] {
  const year = today.slice(0, 4);
  const in5 = workingDaysLater(5);
  const in10 = workingDaysLater(10);
  const in15 = workingDaysLater(15);
  const meeting = workingDaysLater(3);
  const confirmBy = workingDaysLater(2);
  return [
    {
      from: UBND,
      to: [SO_TAI_CHINH, SO_XAY_DUNG, SO_NONG_NGHIEP_MOI_TRUONG],
      fields: {
        number: '1523',
        notation: 'UBND-KT',
        subject: `Về việc đẩy nhanh tiến độ giải ngân vốn đầu tư công năm ${year}`,
        content:
          `Để hoàn thành mục tiêu giải ngân vốn đầu tư công năm ${year}, Ủy ban nhân dân tỉnh yêu cầu các sở rà soát ` +
          'tiến độ từng dự án được giao, làm rõ nguyên nhân chậm giải ngân, đề xuất giải pháp tháo gỡ và báo cáo ' +
          `kết quả về Ủy ban nhân dân tỉnh (qua Sở Tài chính tổng hợp) trước ngày ${shortDate(in5)}.`,
        urgency: 'urgent',
        dueDate: in5,
      },
    },
    {
      from: UBND,
      to: [SO_Y_TE, SO_TAI_CHINH],
      fields: {
        number: '845',
        notation: 'QĐ-UBND',
        documentTypeName: 'Quyết định',
        subject: `Về việc phê duyệt Kế hoạch phòng, chống dịch bệnh truyền nhiễm trên địa bàn tỉnh Bình An năm ${year}`,
        content:
          `Phê duyệt Kế hoạch phòng, chống dịch bệnh truyền nhiễm trên địa bàn tỉnh năm ${year}; giao Sở Y tế chủ trì ` +
          'tổ chức thực hiện, Sở Tài chính bảo đảm kinh phí theo quy định.',
        body: [
          'CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BÌNH AN',
          '',
          'Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;',
          'Căn cứ Luật Phòng, chống bệnh truyền nhiễm ngày 21 tháng 11 năm 2007;',
          'Theo đề nghị của Giám đốc Sở Y tế.',
          '',
          'QUYẾT ĐỊNH:',
          `Điều 1. Phê duyệt Kế hoạch phòng, chống dịch bệnh truyền nhiễm trên địa bàn tỉnh Bình An năm ${year} kèm theo Quyết định này.`,
          'Điều 2. Giao Sở Y tế chủ trì, phối hợp với các cơ quan, đơn vị liên quan tổ chức thực hiện; Sở Tài chính ' +
            'tham mưu bố trí kinh phí theo quy định.',
          'Điều 3. Quyết định này có hiệu lực kể từ ngày ký.',
        ],
      },
    },
    {
      from: UBND,
      to: [SO_KHOA_HOC_CONG_NGHE, SO_NOI_VU, SO_TAI_CHINH, SO_GIAO_DUC, SO_Y_TE],
      fields: {
        number: '112',
        notation: 'KH-UBND',
        documentTypeName: 'Kế hoạch',
        subject: `Triển khai chuyển đổi số trong hoạt động của các cơ quan nhà nước tỉnh Bình An năm ${year}`,
        content:
          'Các sở, ban, ngành xây dựng kế hoạch chi tiết của cơ quan, đơn vị; bảo đảm 100% văn bản trao đổi giữa các ' +
          'cơ quan nhà nước dưới dạng điện tử (trừ văn bản mật); báo cáo kết quả về Sở Khoa học và Công nghệ trước ngày ' +
          `${shortDate(in15)}.`,
        dueDate: in15,
        body: [
          'I. MỤC ĐÍCH, YÊU CẦU',
          'Nâng cao hiệu quả quản lý, điều hành; xử lý công việc trên môi trường mạng ở cả ba cấp chính quyền.',
          '',
          'II. NHIỆM VỤ TRỌNG TÂM',
          '1. 100% văn bản trao đổi giữa các cơ quan nhà nước dưới dạng điện tử, ký số (trừ văn bản mật).',
          '2. 100% hồ sơ công việc cấp tỉnh được xử lý trên môi trường mạng.',
          '',
          'III. TỔ CHỨC THỰC HIỆN',
          'Các sở, ban, ngành xây dựng kế hoạch chi tiết và báo cáo kết quả về Sở Khoa học và Công nghệ trước ngày ' +
            `${shortDate(in15)}.`,
        ],
      },
    },
    {
      from: UBND,
      to: [SO_XAY_DUNG, SO_NONG_NGHIEP_MOI_TRUONG, SO_TAI_CHINH],
      fields: {
        number: '87',
        notation: 'TB-UBND',
        documentTypeName: 'Thông báo',
        subject: 'Kết luận của Chủ tịch Ủy ban nhân dân tỉnh tại buổi làm việc về tiến độ các dự án trọng điểm của tỉnh',
        content:
          'Chủ tịch Ủy ban nhân dân tỉnh yêu cầu các sở theo chức năng, nhiệm vụ tập trung tháo gỡ vướng mắc về đất đai, ' +
          `thủ tục đầu tư của các dự án trọng điểm và báo cáo kết quả trước ngày ${shortDate(in10)}.`,
        dueDate: in10,
        body: [
          'Ngày vừa qua, Chủ tịch Ủy ban nhân dân tỉnh chủ trì buổi làm việc về tiến độ các dự án trọng điểm của tỉnh. ' +
            'Sau khi nghe báo cáo và ý kiến của các sở, Chủ tịch Ủy ban nhân dân tỉnh kết luận như sau:',
          '1. Sở Xây dựng, Sở Nông nghiệp và Môi trường tập trung tháo gỡ vướng mắc về bồi thường, giải phóng mặt bằng.',
          '2. Sở Tài chính bảo đảm vốn cho các dự án có khối lượng hoàn thành.',
          `3. Các sở báo cáo kết quả thực hiện trước ngày ${shortDate(in10)}.`,
        ],
      },
    },
    {
      from: UBND,
      to: [SO_TAI_CHINH, SO_Y_TE, SO_GIAO_DUC, SO_NOI_VU],
      fields: {
        number: '56',
        notation: 'GM-UBND',
        documentTypeName: 'Giấy mời',
        subject: 'Họp đánh giá tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội và dự toán ngân sách nhà nước',
        content:
          `Mời Giám đốc các sở dự họp lúc 08 giờ 00 ngày ${shortDate(meeting)} tại Phòng họp số 1, trụ sở Ủy ban nhân ` +
          `dân tỉnh; xác nhận thành phần tham dự trước ngày ${shortDate(confirmBy)}.`,
        urgency: 'very_urgent',
        dueDate: confirmBy,
        body: [
          'Ủy ban nhân dân tỉnh trân trọng kính mời Giám đốc các sở: Tài chính, Y tế, Giáo dục và Đào tạo, Nội vụ.',
          '',
          `Thời gian: 08 giờ 00, ngày ${shortDate(meeting)}.`,
          'Địa điểm: Phòng họp số 1, trụ sở Ủy ban nhân dân tỉnh.',
          'Nội dung: Đánh giá tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội và dự toán ngân sách nhà nước.',
          '',
          `Đề nghị các sở xác nhận thành phần tham dự trước ngày ${shortDate(confirmBy)}.`,
        ],
      },
    },
    {
      from: SO_TAI_CHINH,
      to: [UBND],
      fields: {
        number: '2031',
        notation: 'STC-NV',
        subject: `Về việc đề nghị bổ sung dự toán kinh phí thực hiện chuyển đổi số năm ${year}`,
        content:
          'Sở Tài chính kính đề nghị Ủy ban nhân dân tỉnh xem xét, bổ sung dự toán kinh phí thực hiện chuyển đổi số ' +
          `năm ${year} cho các cơ quan, đơn vị cấp tỉnh theo Kế hoạch số 112/KH-UBND.`,
        urgency: 'urgent',
      },
    },
    {
      from: SO_Y_TE,
      to: [UBND],
      fields: {
        number: '143',
        notation: 'TTr-SYT',
        documentTypeName: 'Tờ trình',
        subject: `Về việc phê duyệt danh mục mua sắm trang thiết bị y tế năm ${year} cho các trung tâm y tế cấp huyện`,
        content:
          `Sở Y tế kính trình Ủy ban nhân dân tỉnh phê duyệt danh mục mua sắm trang thiết bị y tế năm ${year} ` +
          'cho các trung tâm y tế cấp huyện.',
        body: [
          'Kính gửi: Ủy ban nhân dân tỉnh Bình An.',
          '',
          'Thực hiện nhiệm vụ được giao, Sở Y tế đã tổng hợp nhu cầu trang thiết bị y tế của các trung tâm y tế cấp huyện.',
          `Sở Y tế kính trình Ủy ban nhân dân tỉnh xem xét, phê duyệt danh mục mua sắm trang thiết bị y tế năm ${year}.`,
        ],
      },
    },
  ];
}

/** The agencies that send the demo's documents: each needs its certificate and key. */
export const DEMO_TRAFFIC_SENDERS: readonly string[] = [UBND, SO_TAI_CHINH, SO_Y_TE];

/**
 * Sends the demo's documents through the hub, signed by the sending agencies, so that a fresh
 * demo has work in its clerks' awaiting lists (vt.ubnd's and vt.sotc's among them). Only on an
 * installation that has never sent a document through the hub: nothing is sent twice, nor into a
 * demo already in use. All or none are queued, in one transaction.
 */
export async function seedDemoTraffic(
  db: Kysely<OfficeSchema>,
  files: BlobStore,
  keys: FileKeyStore,
  now = new Date(),
): Promise<{ sent: number }> {
  const alreadySent = (q: Kysely<OfficeSchema>) =>
    q.selectFrom('hub_outbox').select('id').where('kind', '=', 'document').limit(1).executeTakeFirst();
  if (await alreadySent(db)) return { sent: 0 };

  const today = vietnamDay(now);
  // Two months of calendar cover the longest deadline (15 working days) whatever the holidays.
  let until = today;
  for (let i = 0; i < 60; i++) until = nextDay(until);
  const calendar = await loadCalendar(db, today, until);
  const documents = demoDocuments(today, (n) => calendar.addWorkingDays(today, n));
  // Signed before the transaction, so that it holds its lock only for the inserts.
  const prepared: Prepared[] = [];
  for (const d of documents) prepared.push(await prepare(db, keys, d.from, d.to, d.fields, now));
  return db.transaction().execute(async (tx) => {
    // Two starts at once on one database: the second waits here, then finds the first's documents.
    await sql`SELECT pg_advisory_xact_lock(hashtext('vanban-demo-traffic'))`.execute(tx);
    if (await alreadySent(tx)) return { sent: 0 };
    for (const p of prepared) await queue(tx, files, p);
    return { sent: prepared.length };
  });
}
