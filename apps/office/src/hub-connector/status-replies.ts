import { buildStatus, vietnamLocal, type Organization, type StatusCode, type StatusMessage } from '@vanban/edxml';
import type { OutgoingMessage } from './connector.js';
import { writtenCode } from '../document-types/notation.js';

/** The document a status message answers, as its sender numbered and identified it. */
export interface AnsweredDocument {
  readonly senderCode: string;
  readonly number: string;
  readonly notation: string;
  readonly issueDate: string;
  readonly documentId: string;
}

/** A status message from the receiving agency `from` to the agency that sent it the document. */
export function statusReply(
  document: AnsweredDocument,
  from: Organization,
  status: StatusCode,
  at: Date,
  description?: string,
): StatusMessage {
  return {
    responseFor: {
      agencyCode: document.senderCode,
      code: writtenCode(document),
      issueDate: document.issueDate,
      documentId: document.documentId,
    },
    from,
    status,
    ...(description ? { description } : {}),
    at: vietnamLocal(at),
  };
}

/** A status message as the hub outbox carries it: back to the sender, never classified. */
export function outgoingStatus(message: StatusMessage): OutgoingMessage {
  return {
    kind: 'status',
    bytes: buildStatus(message),
    documentId: message.responseFor.documentId,
    from: message.from.agencyCode,
    to: [message.responseFor.agencyCode],
    classification: 'none',
  };
}
