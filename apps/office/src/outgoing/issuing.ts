import { buffer } from 'node:stream/consumers';
import type { ResponseFor } from '@vanban/edxml';
import { writtenCode } from '../document-types/notation.js';
import { formatRegisterNumber } from '../registers/numbering.js';
import { AppError } from '../http/errors.js';
import { deliverInternally } from '../incoming/internal-delivery.js';
import { completeIncoming } from '../incoming/handling.js';
import { parseRole } from '../directory/roles.js';
import { recordEvent } from '../journal/journal.js';
import { mayGoThroughHub } from '../hub-connector/connector.js';
import { AgencySigningError } from '../signing/agency-signing.js';
import { sendThroughHub } from '../tracking/sending.js';
import { signedDocumentPackage } from './edxml-package.js';
import { issuingAgency, recipientsByChannel } from './recipients.js';
import { markSenderRequest } from '../tracking/status-intake.js';
import { quoted, type Acting, type Effect } from './steps.js';

/** The incoming document this one answers, as the edXML ResponseFor names it; only one received with its identity can be named. */
async function answered(a: Acting): Promise<ResponseFor[]> {
  if (!a.doc.in_reply_to) return [];
  const incoming = await a.tx
    .selectFrom('incoming_documents')
    .select(['sender_code', 'number', 'notation', 'issue_date', 'document_id'])
    .where('id', '=', a.doc.in_reply_to)
    .executeTakeFirst();
  if (!incoming?.sender_code || !incoming.document_id) return [];
  return [
    {
      agencyCode: incoming.sender_code,
      code: writtenCode(incoming),
      issueDate: incoming.issue_date ?? '',
      documentId: incoming.document_id,
    },
  ];
}

/**
 * The clerk issues a numbered document to its recipients the same day: those of this installation
 * receive it at once in their awaiting lists, the others through the hub as one edXML package
 * signed by the agency. A classified document never goes through the hub.
 */
export async function issueOutgoing(a: Acting): Promise<Effect> {
  const { tx, doc } = a;
  if (doc.number === null || !doc.notation || !doc.issue_date) throw new AppError('wrong_state');
  const number = formatRegisterNumber(doc.number);
  const { all: recipients, local, external } = await recipientsByChannel(tx, doc.id);
  if (external.length > 0 && !mayGoThroughHub(doc.classification)) throw new AppError('classified_through_hub');
  if (external.length > 0 && !a.keys) throw new AppError('signing_unavailable');

  const files = await tx
    .selectFrom('outgoing_files')
    .select(['role', 'name', 'content_type', 'sha256', 'size'])
    .where('outgoing_id', '=', doc.id)
    .where('role', 'in', ['issued', 'attachment'])
    .orderBy('position')
    .execute();
  // The issued PDF first: it is the document; the attachments follow in their order.
  files.sort((x, y) => (x.role === 'issued' ? -1 : y.role === 'issued' ? 1 : 0));
  const from = await issuingAgency(tx, doc.agency_id);
  const amended = doc.amends_id
    ? await tx.selectFrom('outgoing_documents').select('document_id').where('id', '=', doc.amends_id).executeTakeFirstOrThrow()
    : null;
  const signer = doc.signed_by
    ? await tx
        .selectFrom('users as u')
        .leftJoin('memberships as m', (j) => j.onRef('m.user_id', '=', 'u.id').on('m.agency_id', '=', doc.agency_id))
        .select(['u.full_name', 'm.position'])
        .where('u.id', '=', doc.signed_by)
        .executeTakeFirst()
    : undefined;

  for (const to of local) {
    const delivered = await deliverInternally(
      tx,
      { agencyId: to.id },
      {
        senderCode: from.code,
        senderName: from.name,
        number,
        notation: doc.notation,
        issueDate: doc.issue_date,
        documentType: doc.document_type,
        subject: doc.subject,
        urgency: doc.urgency,
        signerName: signer?.full_name ?? null,
        replyDue: doc.reply_due,
        documentId: doc.document_id,
        files: files.map((f) => ({ name: f.name, contentType: f.content_type, sha256: f.sha256, size: Number(f.size) })),
      },
      { agencyId: doc.agency_id, userId: a.actor.userId },
      a.now,
    );
    if (amended && doc.amend_kind) {
      // The copy received earlier is marked for its clerk to agree (15) or refuse (16), this one as its new version.
      await markSenderRequest(tx, to.id, {
        documentId: amended.document_id,
        senderCode: from.code,
        kind: doc.amend_kind,
        reason: doc.amend_reason,
        version: delivered,
        at: a.now,
      });
    }
  }

  let outboxId: string | null = null;
  if (external.length > 0) {
    const contents = await Promise.all(files.map(async (f) => buffer(await a.files.read(f.sha256))));
    let bytes: Buffer;
    try {
      bytes = await signedDocumentPackage(
        tx,
        a.keys!,
        doc.agency_id,
        {
          from: { agencyCode: from.code, name: from.name, ...(from.parentName ? { organizationInCharge: from.parentName } : {}) },
          to: external.map((r) => ({ agencyCode: r.code, name: r.name })),
          documentId: doc.document_id,
          number,
          notation: doc.notation,
          issueDate: doc.issue_date,
          // Documents of Nghị định 30/2020 are administrative (2); legal normative ones have their own procedure.
          documentTypeCode: '2',
          documentTypeName: doc.document_type,
          subject: doc.subject,
          content: doc.subject,
          ...(signer ? { signer: { fullName: signer.full_name, ...(signer.position ? { position: signer.position } : {}) } } : {}),
          ...(doc.reply_due ? { dueDate: doc.reply_due } : {}),
          recipientsText: recipients.map((r) => r.name),
          urgency: doc.urgency,
          responseFor: await answered(a),
          business:
            amended && doc.amend_kind
              ? { kind: doc.amend_kind, documentId: amended.document_id, reason: doc.amend_reason ?? '', paperCopyFollows: false }
              : { kind: 'new', paperCopyFollows: false },
        },
        files.map((f, i) => ({
          name: f.name,
          contentType: f.content_type,
          bytes: contents[i]!,
          description: f.role === 'issued' ? doc.document_type : 'Tệp đính kèm',
        })),
        a.now,
      );
    } catch (error) {
      if (error instanceof AgencySigningError) throw new AppError('no_signing_certificate', { reason: error.message });
      throw error;
    }
    outboxId = await sendThroughHub(
      tx,
      a.files,
      { agencyId: doc.agency_id, userId: a.actor.userId },
      {
        kind: 'document',
        bytes,
        documentId: doc.document_id,
        from: from.code,
        to: external.map((r) => r.code),
        classification: doc.classification,
      },
      { number, notation: doc.notation, subject: doc.subject },
      a.now,
    );
  }
  if (doc.in_reply_to) {
    await recordEvent(
      tx,
      doc.agency_id,
      {
        subject: { kind: 'incoming', id: doc.in_reply_to },
        action: 'reply_issued',
        actorId: a.actor.userId,
        details: { outgoingId: doc.id, documentId: doc.document_id, number, notation: doc.notation },
      },
      a.now,
    );
  }
  const signerAndDrafter = [doc.drafter_id, ...(doc.signed_by ? [doc.signed_by] : [])];
  return {
    set: { issued_at: a.now },
    details: {
      internal: local.map((l) => l.code),
      hub: external.map((r) => r.code),
      outboxId,
    },
    notices: [
      {
        to: signerAndDrafter,
        kind: 'issued',
        vi: `Văn bản số ${number}/${doc.notation} đã được phát hành: ${quoted(doc)}.`,
        en: `Document ${number}/${doc.notation} was issued: ${quoted(doc)}.`,
      },
    ],
    result: { internal: local.length, throughHub: external.length },
    ...(doc.in_reply_to && doc.completes_incoming
      ? { after: () => completeAnswered(a, doc.in_reply_to!, `${number}/${doc.notation}`) }
      : {}),
  };
}

/**
 * The drafter asked that issuing this reply complete the incoming document it answers: done in
 * the drafter's name (the lead handler, who asked for it on the draft), so status 06 goes to its
 * sender. When the drafter is no longer its lead handler, or it is completed already, the link
 * stays and the incoming document is left as it is.
 */
async function completeAnswered(a: Acting, incomingId: string, code: string): Promise<void> {
  const membership = await a.tx
    .selectFrom('memberships')
    .select(['roles', 'department_id'])
    .where('user_id', '=', a.doc.drafter_id)
    .where('agency_id', '=', a.doc.agency_id)
    .executeTakeFirst();
  if (!membership) return;
  const incoming = await a.tx.selectFrom('incoming_documents').select('state').where('id', '=', incomingId).executeTakeFirstOrThrow();
  const relation = await a.tx
    .selectFrom('incoming_assignments')
    .select('part')
    .where('incoming_id', '=', incomingId)
    .where('user_id', '=', a.doc.drafter_id)
    .where('part', '=', 'lead')
    .executeTakeFirst();
  if (incoming.state !== 'in_progress' && incoming.state !== 'assigned') return;
  if (!relation) return;
  await completeIncoming(a.tx, a.files, {
    agencyId: a.doc.agency_id,
    incomingId,
    actor: { userId: a.doc.drafter_id, roles: membership.roles.flatMap((r) => parseRole(r) ?? []), departmentId: membership.department_id },
    now: a.now,
    result: `Đã trả lời bằng văn bản số ${code}.`,
    replyDocumentId: a.doc.document_id,
  });
}
