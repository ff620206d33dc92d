import type { BlobStore } from '@vanban/db';
import type { Kysely } from 'kysely';
import { timelineOf } from '../journal/journal.js';
import { formatRegisterNumber } from '../registers/numbering.js';
import type { OfficeSchema } from '../schema.js';
import { escapeHtml, FolderNames, ordinal } from './package-layout.js';
import type { PackageEntry } from './zip-stream.js';

export interface TransferFacts {
  readonly id: string;
  readonly agency: { readonly code: string; readonly name: string };
  readonly transferredBy: string;
  readonly transferredAt: Date;
}

/** Formats that are compressed already, stored in the ZIP as they are. */
const COMPRESSED = ['application/pdf', 'application/zip', 'image/png', 'image/jpeg', 'image/tiff'];

const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);

interface FileRef {
  readonly name: string;
  readonly contentType: string;
  readonly sha256: string;
  readonly size: number;
  readonly role: string;
}

/**
 * The entries of an archive package for `dossierIds`, in order. Per dossier, a folder with its
 * metadata (ho-so.json, index.html), one folder per document with its files as stored (the signed
 * PDFs carry their signatures; a document received through the hub comes with its edXML package)
 * and the document's metadata (van-ban.json), and the dossier's own files. At the root, the
 * transfer's record (nop-luu.json) and an index.html; zipWithManifest adds SHA256SUMS.
 *
 * The metadata are those Nghị định 30/2020 lists for a dossier (code, title, retention, keeper,
 * start and end dates, page and document counts) and for a document (number and notation, date,
 * type, subject, issuing agency, signer, urgency, classification), plus what proves where each came
 * from: the edXML DocumentId, the signature check made on arrival, and the dossier's journal.
 */
export async function* archiveEntries(
  db: Kysely<OfficeSchema>,
  files: BlobStore,
  agencyId: string,
  transfer: TransferFacts,
  dossierIds: readonly string[],
): AsyncGenerator<PackageEntry> {
  const root = new FolderNames();
  const listed: { folder: string; code: string; title: string; documents: number }[] = [];
  for (const [i, dossierId] of dossierIds.entries()) {
    const dossier = await db
      .selectFrom('dossiers as d')
      .innerJoin('file_plan_entries as e', 'e.id', 'd.entry_id')
      .innerJoin('users as r', 'r.id', 'd.responsible_id')
      .leftJoin('departments as dep', 'dep.id', 'e.department_id')
      .select([
        'd.id',
        'd.code',
        'd.title',
        'd.retention_years',
        'd.keep_until_year',
        'd.start_date',
        'd.end_date',
        'd.page_count',
        'd.document_count',
        'e.year',
        'e.heading',
        'e.title as entry_title',
        'r.full_name as responsible',
        'dep.name as department',
      ])
      .where('d.id', '=', dossierId)
      .where('d.agency_id', '=', agencyId)
      .executeTakeFirstOrThrow();
    const folder = root.take(`${ordinal(i + 1)}-${dossier.code}`, 'ho-so');
    const names = new FolderNames();
    names.take('ho-so.json');
    names.take('index.html');
    const items = await db.selectFrom('dossier_items').selectAll().where('dossier_id', '=', dossierId).orderBy('position').execute();
    const contents: { position: number; kind: string; title: string; path: string; files: string[]; metadata: unknown }[] = [];
    for (const item of items) {
      const n = ordinal(item.position);
      if (item.kind === 'file') {
        const path = names.take(`${n}-${item.name!}`);
        const file: FileRef = {
          name: item.name!,
          contentType: item.content_type!,
          sha256: item.sha256!,
          size: Number(item.size),
          role: 'file',
        };
        yield await storedEntry(files, `${folder}/${path}`, file);
        contents.push({ position: item.position, kind: 'file', title: item.name!, path, files: [path], metadata: file });
        continue;
      }
      const doc = item.kind === 'incoming' ? await incomingMetadata(db, item.incoming_id!) : await outgoingMetadata(db, item.outgoing_id!);
      const docFolder = names.take(`${n}-${item.kind === 'incoming' ? 'den' : 'di'}-${doc.label}`, 'van-ban');
      const inside = new FolderNames();
      inside.take('van-ban.json');
      const written: { path: string; name: string; role: string; contentType: string; size: number; sha256: string }[] = [];
      for (const file of doc.files) {
        const path = inside.take(file.role === 'edxml' ? 'goi-tin-edxml.xml' : file.name);
        yield await storedEntry(files, `${folder}/${docFolder}/${path}`, file);
        // The received package's size is not kept with the document: the store knows it.
        const size = file.role === 'edxml' ? await files.size(file.sha256) : file.size;
        written.push({ path, name: file.name, role: file.role, contentType: file.contentType, size, sha256: file.sha256 });
      }
      const metadata = { ...doc.metadata, files: written };
      yield { path: `${folder}/${docFolder}/van-ban.json`, content: json(metadata) };
      contents.push({
        position: item.position,
        kind: item.kind,
        title: `${doc.label} — ${String(doc.metadata.subject)}`,
        path: `${docFolder}/`,
        files: written.map((w) => `${docFolder}/${w.path}`),
        metadata,
      });
    }
    const timeline = await timelineOf(db, agencyId, { kind: 'dossier', id: dossierId });
    const record = {
      id: dossier.id,
      code: dossier.code,
      title: dossier.title,
      filePlan: { year: dossier.year, heading: dossier.heading, entryTitle: dossier.entry_title, department: dossier.department },
      retention: dossier.retention_years === null ? 'permanent' : `${dossier.retention_years} years`,
      retentionYears: dossier.retention_years,
      keptUntilYear: dossier.keep_until_year,
      responsible: dossier.responsible,
      startDate: dossier.start_date,
      endDate: dossier.end_date,
      pageCount: dossier.page_count,
      documentCount: dossier.document_count,
      contents: contents.map((c) => ({ position: c.position, kind: c.kind, title: c.title, path: c.path })),
      journal: timeline.map((e) => ({ at: e.at.toISOString(), action: e.action, actor: e.actor?.name ?? null, details: e.details })),
    };
    yield { path: `${folder}/ho-so.json`, content: json(record) };
    yield { path: `${folder}/index.html`, content: Buffer.from(dossierIndex(record, contents)) };
    listed.push({ folder, code: dossier.code, title: dossier.title, documents: contents.length });
  }
  const facts = {
    transferId: transfer.id,
    agency: transfer.agency,
    transferredBy: transfer.transferredBy,
    transferredAt: transfer.transferredAt.toISOString(),
    dossiers: listed,
    check: 'sha256sum -c SHA256SUMS',
  };
  yield { path: 'nop-luu.json', content: json(facts) };
  yield { path: 'index.html', content: Buffer.from(rootIndex(facts)) };
}

async function storedEntry(files: BlobStore, path: string, file: FileRef): Promise<PackageEntry> {
  return { path, content: await files.read(file.sha256), compressed: COMPRESSED.includes(file.contentType) };
}

interface DocumentRecord {
  readonly label: string;
  readonly metadata: Record<string, unknown>;
  readonly files: readonly FileRef[];
}

async function incomingMetadata(db: Kysely<OfficeSchema>, incomingId: string): Promise<DocumentRecord> {
  const d = await db.selectFrom('incoming_documents').selectAll().where('id', '=', incomingId).executeTakeFirstOrThrow();
  const stored = await db.selectFrom('incoming_files').selectAll().where('incoming_id', '=', incomingId).orderBy('position').execute();
  const files: FileRef[] = stored.map((f) => ({
    name: f.name,
    contentType: f.content_type,
    sha256: f.sha256,
    size: Number(f.size),
    role: 'file',
  }));
  if (d.package_sha256) {
    files.push({ name: 'goi-tin-edxml.xml', contentType: 'application/xml', sha256: d.package_sha256, size: 0, role: 'edxml' });
  }
  const label = [d.number, d.notation].filter((s) => s.trim() !== '').join('/') || 'van-ban';
  return {
    label,
    files,
    metadata: {
      kind: 'incoming',
      id: d.id,
      documentId: d.document_id,
      channel: d.channel,
      number: d.number,
      notation: d.notation,
      issueDate: d.issue_date,
      documentType: d.document_type,
      subject: d.subject,
      issuingAgency: { code: d.sender_code, name: d.sender_name },
      signer: d.signer_name,
      urgency: d.urgency,
      receivedAt: d.received_at.toISOString(),
      register: d.register_number === null ? null : { year: d.register_year, number: formatRegisterNumber(d.register_number) },
      signatureCheck: d.verification ?? null,
    },
  };
}

async function outgoingMetadata(db: Kysely<OfficeSchema>, outgoingId: string): Promise<DocumentRecord> {
  const d = await db
    .selectFrom('outgoing_documents as o')
    .innerJoin('agencies as a', 'a.id', 'o.agency_id')
    .leftJoin('users as s', 's.id', 'o.signer_id')
    .selectAll('o')
    .select(['a.code as agency_code', 'a.name as agency_name', 's.full_name as signer_name'])
    .where('o.id', '=', outgoingId)
    .executeTakeFirstOrThrow();
  const stored = await db.selectFrom('outgoing_files').selectAll().where('outgoing_id', '=', outgoingId).orderBy('position').execute();
  const recipients = await db
    .selectFrom('outgoing_recipients')
    .select(['agency_code as code', 'agency_name as name'])
    .where('outgoing_id', '=', outgoingId)
    .orderBy('position')
    .execute();
  const label = d.number === null ? 'du-thao' : `${formatRegisterNumber(d.number)}/${d.notation ?? ''}`;
  return {
    label,
    files: stored.map((f) => ({ name: f.name, contentType: f.content_type, sha256: f.sha256, size: Number(f.size), role: f.role })),
    metadata: {
      kind: 'outgoing',
      id: d.id,
      documentId: d.document_id,
      state: d.state,
      number: d.number === null ? null : formatRegisterNumber(d.number),
      notation: d.notation,
      issueDate: d.issue_date,
      documentType: d.document_type,
      subject: d.subject,
      issuingAgency: { code: d.agency_code, name: d.agency_name },
      signer: d.signer_name,
      signedAt: d.signed_at?.toISOString() ?? null,
      issuedAt: d.issued_at?.toISOString() ?? null,
      urgency: d.urgency,
      classification: d.classification,
      recipients,
    },
  };
}

const STYLE =
  'body{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}td,th{border:1px solid #ccc;padding:4px;text-align:left;vertical-align:top}table{border-collapse:collapse;width:100%}';

function page(title: string, body: string): string {
  return `<!doctype html>\n<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>\n${body}\n</body></html>\n`;
}

function dossierIndex(
  record: {
    code: string;
    title: string;
    retention: string;
    responsible: string;
    startDate: string;
    endDate: string | null;
    pageCount: number | null;
    documentCount: number | null;
  },
  contents: readonly { position: number; title: string; path: string; files: string[] }[],
): string {
  const rows = contents
    .map(
      (c) =>
        `<tr><td>${c.position}</td><td>${escapeHtml(c.title)}</td><td>${c.files.map((f) => `<a href="${escapeHtml(f)}">${escapeHtml(f)}</a>`).join('<br>')}</td></tr>`,
    )
    .join('\n');
  const retention = record.retention === 'permanent' ? 'Vĩnh viễn' : record.retention.replace('years', 'năm');
  return page(
    `${record.code} ${record.title}`,
    `<h1>Hồ sơ ${escapeHtml(record.code)}</h1>
<p><b>${escapeHtml(record.title)}</b></p>
<p>Thời hạn bảo quản: ${escapeHtml(retention)} · Người lập: ${escapeHtml(record.responsible)} · Từ ngày ${escapeHtml(record.startDate)} đến ngày ${escapeHtml(record.endDate ?? '')} · Số tờ: ${record.pageCount ?? ''} · Số văn bản: ${record.documentCount ?? ''}</p>
<table><tr><th>STT</th><th>Văn bản, tài liệu</th><th>Tệp</th></tr>
${rows}
</table>
<p>Siêu dữ liệu: <a href="ho-so.json">ho-so.json</a></p>`,
  );
}

function rootIndex(facts: {
  agency: { code: string; name: string };
  transferredBy: string;
  transferredAt: string;
  dossiers: readonly { folder: string; code: string; title: string; documents: number }[];
}): string {
  const rows = facts.dossiers
    .map(
      (d) =>
        `<tr><td><a href="${escapeHtml(d.folder)}/index.html">${escapeHtml(d.code)}</a></td><td>${escapeHtml(d.title)}</td><td>${d.documents}</td></tr>`,
    )
    .join('\n');
  return page(
    `Nộp lưu — ${facts.agency.name}`,
    `<h1>Hồ sơ nộp lưu vào lưu trữ cơ quan</h1>
<p>${escapeHtml(facts.agency.name)} (${escapeHtml(facts.agency.code)}) · Người nộp: ${escapeHtml(facts.transferredBy)} · Thời điểm: ${escapeHtml(facts.transferredAt)}</p>
<table><tr><th>Mã hồ sơ</th><th>Tiêu đề</th><th>Số mục</th></tr>
${rows}
</table>
<p>Kiểm tra tính toàn vẹn: <code>sha256sum -c SHA256SUMS</code> trong thư mục này. Siêu dữ liệu: <a href="nop-luu.json">nop-luu.json</a></p>`,
  );
}
