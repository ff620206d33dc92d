import { buffer } from 'node:stream/consumers';
import type { BlobStore } from '@vanban/db';
import { readEdxml, type AttachmentDigest, type AttachmentSink, type EdxmlPackage } from '@vanban/edxml';
import { verifyEdxml, type CertificateVerifier, type FileVerification, type ReadAttachment } from '@vanban/pki';
import { sql, type Kysely } from 'kysely';
import type { OfficeSchema } from '../schema.js';

/** What the clerk sees of a signature check: the verdict and, when it is not valid, why. */
export interface ArrivalVerdict {
  verdict: FileVerification['verdict'];
  reasons: { code: string; vi: string; en: string; detail?: string }[];
}

export function arrivalVerdict(v: FileVerification): ArrivalVerdict {
  const findings = [
    ...v.findings,
    ...v.signatures.flatMap((s) => s.findings),
    ...v.attachments.flatMap((a) => [...a.findings, ...a.signatures.flatMap((s) => s.findings)]),
  ];
  return {
    verdict: v.verdict,
    reasons: findings.map((f) => ({ code: f.code, vi: f.vi, en: f.en, ...(f.detail ? { detail: f.detail } : {}) })),
  };
}

/** Keeps each attachment's bytes as the package is read, to store them and to verify the PDFs among them. */
function collectAttachments(): { sink: AttachmentSink; bytes: Map<string, Buffer> } {
  const bytes = new Map<string, Buffer>();
  return {
    bytes,
    sink: {
      open(contentId) {
        const parts: Uint8Array[] = [];
        return {
          write: (chunk) => void parts.push(chunk),
          close: () => void bytes.set(contentId, Buffer.concat(parts)),
          abort: () => void bytes.delete(contentId),
        };
      },
    },
  };
}

function readAttachments(digests: readonly AttachmentDigest[], bytes: ReadonlyMap<string, Buffer>): ReadAttachment[] {
  return digests.map((digest) => ({ digest, pdf: digest.sniffed === 'pdf' ? bytes.get(digest.contentId) : undefined }));
}

/** The package's fields as the incoming list shows them. */
function describe(pkg: EdxmlPackage) {
  return {
    document_id: pkg.documentId ?? null,
    sender_code: pkg.from.agencyCode,
    sender_name: pkg.from.name || pkg.from.agencyCode,
    number: pkg.number,
    notation: pkg.notation,
    issue_date: pkg.issueDate || null,
    document_type: pkg.documentTypeName,
    subject: pkg.subject,
    urgency: pkg.urgency,
    signer_name: pkg.signer?.fullName ?? null,
    reply_due: pkg.dueDate ?? null,
  };
}

export interface IntakeDeps {
  readonly db: Kysely<OfficeSchema>;
  readonly files: BlobStore;
  /** Null when the installation trusts no CA yet: every arrival is then indeterminate, and says so. */
  readonly verifier: CertificateVerifier | null;
}

export interface IntakeResult {
  /** Documents put in an agency's awaiting list. */
  readonly taken: number;
  /** Arrivals this office cannot place (no such agency here, or no readable package): kept in the inbox with the reason. */
  readonly unplaced: { packageId: string; recipient: string; why: string }[];
}

/**
 * Takes documents that arrived from the hub into the receiving agency's "awaiting" list, each with
 * its files stored and its signatures checked, in the transaction that marks it taken: a crash
 * leaves it either untaken or fully taken, never twice. Status messages are left to tracking.
 */
export async function takeArrivals(deps: IntakeDeps, limit = 10): Promise<IntakeResult> {
  const { db, files, verifier } = deps;
  return db.transaction().execute(async (tx) => {
    const rows = await sql<{ package_id: string; recipient_code: string; sha256: string }>`
      SELECT package_id, recipient_code, sha256 FROM hub_inbox
       WHERE kind = 'document' AND taken_at IS NULL AND unplaced IS NULL
       ORDER BY received_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`.execute(tx);
    let taken = 0;
    const unplaced: IntakeResult['unplaced'] = [];
    for (const row of rows.rows) {
      const agency = await tx.selectFrom('agencies').select('id').where('code', '=', row.recipient_code).executeTakeFirst();
      const bytes = await buffer(await files.read(row.sha256));
      const attachments = collectAttachments();
      const read = await readEdxml(bytes, { sink: attachments.sink });
      let verdict: ArrivalVerdict | null = null;
      let why = !agency
        ? `no agency ${row.recipient_code} in this installation`
        : !read.ok
          ? `the package cannot be read here: ${read.problems.map((p) => p.en).join('; ')}`
          : read.kind !== 'package'
            ? 'not a document'
            : null;
      if (why === null && read.ok && read.kind === 'package') {
        try {
          verdict = verifier
            ? arrivalVerdict(await verifyEdxml(bytes, readAttachments(read.package.attachments, attachments.bytes), verifier))
            : {
                verdict: 'indeterminate',
                reasons: [{ code: 'untrusted', vi: 'Hệ thống chưa có danh sách CA tin cậy.', en: 'This installation trusts no CA yet.' }],
              };
        } catch (error) {
          // Left in the way, one arrival whose check fails would hold up every one behind it.
          why = `the signatures could not be checked: ${error instanceof Error ? error.message : String(error)}`;
        }
      }
      if (why !== null || !agency || !read.ok || read.kind !== 'package' || !verdict) {
        const reason = why ?? 'not placed';
        unplaced.push({ packageId: row.package_id, recipient: row.recipient_code, why: reason });
        await tx
          .updateTable('hub_inbox')
          .set({ unplaced: reason })
          .where('package_id', '=', row.package_id)
          .where('recipient_code', '=', row.recipient_code)
          .execute();
        continue;
      }
      const pkg = read.package;
      const incoming = await tx
        .insertInto('incoming_documents')
        .values({
          agency_id: agency.id,
          channel: 'hub',
          ...describe(pkg),
          hub_package_id: row.package_id,
          hub_recipient_code: row.recipient_code,
          package_sha256: row.sha256,
          verdict: verdict.verdict,
          verification: JSON.stringify(verdict),
        })
        .onConflict((c) => c.columns(['hub_package_id', 'hub_recipient_code']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (incoming) {
        let position = 0;
        for (const reference of pkg.manifest) {
          const content = attachments.bytes.get(reference.contentId);
          if (!content) continue;
          const stored = await files.put(content);
          await tx
            .insertInto('incoming_files')
            .values({
              incoming_id: incoming.id,
              position: ++position,
              name: reference.name,
              content_type: reference.contentType,
              sha256: stored.sha256,
              size: stored.size,
            })
            .execute();
        }
        taken++;
      }
      await tx
        .updateTable('hub_inbox')
        .set({ taken_at: new Date() })
        .where('package_id', '=', row.package_id)
        .where('recipient_code', '=', row.recipient_code)
        .execute();
    }
    return { taken, unplaced };
  });
}
