import { buffer } from 'node:stream/consumers';
import type { BlobStore } from '@vanban/db';
import { readEdxml, type EdxmlPackage } from '@vanban/edxml';
import { keepAttachments, reasonsOf, verifyEdxml, type CertificateVerifier, type FileVerification } from '@vanban/pki';
import { sql, type Kysely, type Transaction } from 'kysely';
import { recordEvent } from '../journal/journal.js';
import { markSenderRequest } from '../tracking/status-intake.js';
import type { OfficeSchema } from '../schema.js';

/** What the clerk sees of a signature check: the verdict and, when it is not valid, why. */
export interface ArrivalVerdict {
  verdict: FileVerification['verdict'];
  reasons: { code: string; vi: string; en: string; detail?: string }[];
}

const UNTRUSTED: ArrivalVerdict = {
  verdict: 'indeterminate',
  reasons: [{ code: 'untrusted', vi: 'Hệ thống chưa có danh sách CA tin cậy.', en: 'This installation trusts no CA yet.' }],
};

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
  return deps.db.transaction().execute(async (tx) => {
    const rows = await sql<{ package_id: string; recipient_code: string; sha256: string }>`
      SELECT package_id, recipient_code, sha256 FROM hub_inbox
       WHERE kind = 'document' AND taken_at IS NULL AND unplaced IS NULL
       ORDER BY received_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`.execute(tx);
    let taken = 0;
    const unplaced: IntakeResult['unplaced'] = [];
    for (const row of rows.rows) {
      const outcome = await placeArrival(tx, deps, row);
      if ('unplaced' in outcome) unplaced.push({ packageId: row.package_id, recipient: row.recipient_code, why: outcome.unplaced });
      else if (outcome.taken) taken++;
      await tx
        .updateTable('hub_inbox')
        .set('unplaced' in outcome ? { unplaced: outcome.unplaced } : { taken_at: new Date() })
        .where('package_id', '=', row.package_id)
        .where('recipient_code', '=', row.recipient_code)
        .execute();
    }
    return { taken, unplaced };
  });
}

/**
 * Puts one arrival in its agency's awaiting list, or says why it cannot be placed here; `taken` is
 * false when a copy is already there.
 */
async function placeArrival(
  tx: Transaction<OfficeSchema>,
  { files, verifier }: IntakeDeps,
  row: { package_id: string; recipient_code: string; sha256: string },
): Promise<{ unplaced: string } | { taken: boolean }> {
  const agency = await tx.selectFrom('agencies').select('id').where('code', '=', row.recipient_code).executeTakeFirst();
  if (!agency) return { unplaced: `no agency ${row.recipient_code} in this installation` };
  const bytes = await buffer(await files.read(row.sha256));
  const kept = keepAttachments('all');
  const read = await readEdxml(bytes, { sink: kept.sink });
  if (!read.ok) return { unplaced: `the package cannot be read here: ${read.problems.map((p) => p.en).join('; ')}` };
  if (read.kind !== 'package') return { unplaced: 'not a document' };
  const pkg = read.package;
  const business = pkg.business;
  if (business?.kind === 'recall' && business.documentId) {
    // A recall package carries no new document: it marks the copy here for the clerk to answer.
    await markSenderRequest(tx, agency.id, {
      documentId: business.documentId,
      senderCode: pkg.from.agencyCode,
      kind: 'recall',
      reason: business.reason ?? null,
      version: null,
      at: new Date(),
    });
    return { taken: true };
  }
  let verdict = UNTRUSTED;
  try {
    if (verifier) {
      const verification = await verifyEdxml(bytes, kept.attachments(pkg.attachments), verifier);
      verdict = { verdict: verification.verdict, reasons: reasonsOf(verification) };
    }
  } catch (error) {
    // Left in the way, one arrival whose check fails would hold up every one behind it.
    return { unplaced: `the signatures could not be checked: ${error instanceof Error ? error.message : String(error)}` };
  }
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
  if (!incoming) return { taken: false };
  await recordEvent(tx, agency.id, {
    subject: { kind: 'incoming', id: incoming.id },
    action: 'receive',
    actorId: null,
    to: 'awaiting',
    details: {
      channel: 'hub',
      senderCode: pkg.from.agencyCode,
      senderName: pkg.from.name || pkg.from.agencyCode,
      // The sender's own clock on the first hop: when it sent, as the package's trace says.
      sentAt: pkg.traces[0]?.at ?? null,
      packageId: row.package_id,
      verdict: verdict.verdict,
    },
  });
  if ((business?.kind === 'amend' || business?.kind === 'replace') && business.documentId) {
    await markSenderRequest(tx, agency.id, {
      documentId: business.documentId,
      senderCode: pkg.from.agencyCode,
      kind: business.kind,
      reason: business.reason ?? null,
      version: incoming.id,
      at: new Date(),
    });
  }
  let position = 0;
  for (const reference of pkg.manifest) {
    const content = kept.bytes.get(reference.contentId);
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
  return { taken: true };
}
