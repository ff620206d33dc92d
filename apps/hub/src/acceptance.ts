import type { EdxmlPackage, Problem, StatusMessage } from '@vanban/edxml';
import { reasonsOf, type FileVerification } from '@vanban/pki';
import { isLoop, route, type RoutingTable, type Target } from './routing.js';

/** The checks a package passes before the hub takes it, in the order they run; a refusal names one. */
export type Check =
  'client-certificate' | 'not-allowed' | 'too-large' | 'format' | 'sender' | 'signature' | 'classified' | 'recipients' | 'loop';

export interface Refusal {
  readonly check: Check;
  readonly vi: string;
  readonly en: string;
  readonly details?: unknown;
}

export type Message = { kind: 'package'; package: EdxmlPackage } | { kind: 'status'; status: StatusMessage };

export interface Accepted {
  readonly kind: 'document' | 'status';
  readonly documentId: string;
  /** What the message does, for the record: a status code, or a package's BussinessDocType. */
  readonly status?: string;
  readonly business?: string;
  /** The document a recall, amendment or replacement is about. */
  readonly relatedDocumentId?: string;
  readonly from: string;
  readonly recipients: { code: string; target: Exclude<Target, { kind: 'unknown' }> }[];
}

export function refusal(check: Check, vi: string, en: string, details?: unknown): Refusal {
  return details === undefined ? { check, vi, en } : { check, vi, en, details };
}

export const loopRefusal: Refusal = refusal(
  'loop',
  'Gói tin đã đi qua trục này: có vòng lặp định tuyến.',
  'The package has already passed this hub: a routing loop.',
);

export function senderRefusal(from: string): Refusal {
  return refusal(
    'sender',
    `Hệ thống gửi không được phép gửi thay cơ quan ${from}.`,
    `The sending system may not speak for agency ${from}.`,
  );
}

export function formatRefusal(problems: readonly Problem[]): Refusal {
  return refusal('format', 'Gói tin không đúng chuẩn edXML.', 'The package is not valid edXML.', problems);
}

/** Who sends, and to whom, whichever kind of message it is. */
function envelope(message: Message): { from: string; to: string[]; documentId: string; trace: { organId: string }[] } {
  if (message.kind === 'package') {
    const p = message.package;
    return {
      from: p.from.agencyCode,
      to: p.to.map((o) => o.agencyCode),
      documentId: p.documentId ?? `${p.from.agencyCode},${p.issueDate},${p.number}/${p.notation}`,
      trace: p.traces.map((t) => ({ organId: t.agencyCode })),
    };
  }
  // A status message goes back to the agency that issued the document it is about.
  const s = message.status;
  return { from: s.from.agencyCode, to: [s.responseFor.agencyCode], documentId: s.responseFor.documentId, trace: [] };
}

export interface AcceptanceInput {
  readonly message: Message;
  /** The agencies the connected system (or peer hub) that sent it may speak for; null for a peer hub (any). */
  readonly speaksFor: ReadonlySet<string> | null;
  /** The signature check of the package and its PDFs; status messages carry none. */
  readonly verification: FileVerification | null;
  /** What the sender declared; the wire format has no field for it. */
  readonly classification: string | null;
  readonly table: RoutingTable;
  readonly hubCode: string;
  /** The hubs the message passed before this one, as the previous hub said (status messages carry no trace of their own). */
  readonly hops: readonly string[];
  /** The recipients this hop is for, when the previous hub split the `To` list; null for all of them. */
  readonly envelope: readonly string[] | null;
}

/**
 * Decides whether the hub takes a well-formed message, and for whom: the sender may speak for its
 * `From`, the signatures hold, it is not classified, every recipient is known, it is not looping.
 */
export function decideAcceptance(input: AcceptanceInput): { ok: true; accepted: Accepted } | { ok: false; refusal: Refusal } {
  const { from, to, documentId, trace } = envelope(input.message);
  if (input.speaksFor && !input.speaksFor.has(from)) return { ok: false, refusal: senderRefusal(from) };
  if (input.message.kind === 'package') {
    const v = input.verification;
    if (!v || v.verdict !== 'valid') {
      return {
        ok: false,
        refusal: refusal(
          'signature',
          `Chữ ký số của gói tin không hợp lệ (${v?.verdict ?? 'không kiểm tra được'}).`,
          `The package's digital signatures are not valid (${v?.verdict ?? 'not checked'}).`,
          v ? reasonsOf(v) : [],
        ),
      };
    }
  }
  if (input.classification && input.classification !== 'none') {
    return {
      ok: false,
      refusal: refusal(
        'classified',
        'Văn bản mật không được gửi qua trục liên thông.',
        'Classified documents may not be sent through the hub.',
      ),
    };
  }
  if (isLoop([...trace, ...input.hops.map((organId) => ({ organId }))], input.hubCode)) return { ok: false, refusal: loopRefusal };
  const outside = input.envelope?.filter((code) => !to.includes(code)) ?? [];
  if (outside.length) {
    return {
      ok: false,
      refusal: refusal(
        'recipients',
        `Phong bì ghi cơ quan nhận không có trong gói tin: ${outside.join(', ')}.`,
        `The envelope names recipients the package is not addressed to: ${outside.join(', ')}.`,
        { outside },
      ),
    };
  }
  const recipients: Accepted['recipients'] = [];
  const unknown: string[] = [];
  for (const code of new Set(input.envelope ?? to)) {
    const target = route(input.table, code);
    if (target.kind === 'unknown') unknown.push(code);
    else recipients.push({ code, target });
  }
  if (unknown.length) {
    return {
      ok: false,
      refusal: refusal(
        'recipients',
        `Không có cơ quan nhận: ${unknown.join(', ')}.`,
        `Unknown recipient agencies: ${unknown.join(', ')}.`,
        { unknown },
      ),
    };
  }
  const business = input.message.kind === 'package' ? input.message.package.business : undefined;
  const what =
    input.message.kind === 'status'
      ? { status: input.message.status.status }
      : { business: business?.kind ?? 'new', ...(business?.documentId ? { relatedDocumentId: business.documentId } : {}) };
  return {
    ok: true,
    accepted: { kind: input.message.kind === 'package' ? 'document' : 'status', documentId, from, recipients, ...what },
  };
}
