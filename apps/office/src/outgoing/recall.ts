import { randomUUID } from 'node:crypto';
import { queueForHub } from '../hub-connector/connector.js';
import { formatRegisterNumber } from '../registers/numbering.js';
import { AppError } from '../http/errors.js';
import { AgencySigningError } from '../signing/agency-signing.js';
import { markSenderRequest } from '../tracking/status-intake.js';
import { signedDocumentPackage } from './edxml-package.js';
import { issuingAgency, recipientsByChannel } from './recipients.js';
import type { Acting, Effect } from './steps.js';

/**
 * The issuer asks for an issued document back, saying why. The copies inside the installation are
 * marked at once; the others get a recall package (BussinessDocType 1) through the hub, signed by
 * the agency: a status message would travel back to the issuer, not out to the recipients
 * (STANDARDS.md). Each recipient's clerk agrees (15) or refuses (16), and the answers come back
 * to the issuer's tracking.
 */
export async function recallOutgoing(a: Acting): Promise<Effect> {
  const { tx, doc } = a;
  const reason = a.command.text?.trim();
  if (!reason || doc.number === null || !doc.notation || !doc.issue_date) throw new AppError('wrong_state');
  const from = await issuingAgency(tx, doc.agency_id);
  const { local, external } = await recipientsByChannel(tx, doc.id);
  for (const to of local) {
    await markSenderRequest(tx, to.id, {
      documentId: doc.document_id,
      senderCode: from.code,
      kind: 'recall',
      reason,
      version: null,
      at: a.now,
    });
  }
  let recallPackage: string | null = null;
  if (external.length > 0) {
    if (!a.keys) throw new AppError('signing_unavailable');
    recallPackage = randomUUID();
    let bytes: Buffer;
    try {
      bytes = await signedDocumentPackage(
        tx,
        a.keys,
        doc.agency_id,
        {
          from: { agencyCode: from.code, name: from.name, ...(from.parentName ? { organizationInCharge: from.parentName } : {}) },
          to: external.map((r) => ({ agencyCode: r.code, name: r.name })),
          documentId: recallPackage,
          number: formatRegisterNumber(doc.number),
          notation: doc.notation,
          issueDate: doc.issue_date,
          documentTypeCode: '2',
          documentTypeName: doc.document_type,
          subject: doc.subject,
          urgency: doc.urgency,
          responseFor: [],
          business: { kind: 'recall', documentId: doc.document_id, reason, paperCopyFollows: false },
        },
        [],
        a.now,
      );
    } catch (error) {
      if (error instanceof AgencySigningError) throw new AppError('no_signing_certificate', { reason: error.message });
      throw error;
    }
    await queueForHub(tx, a.files, {
      kind: 'document',
      bytes,
      documentId: recallPackage,
      from: from.code,
      to: external.map((r) => r.code),
      classification: 'none',
    });
  }
  return {
    set: { recall_requested_at: a.now },
    details: { internal: local.map((r) => r.code), hub: external.map((r) => r.code), recallPackage },
  };
}
