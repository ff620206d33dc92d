/** The rules a schema cannot express, over the model; each problem names the element path and the rule. */
import { validateAgencyCode } from './agency-code.js';
import { isIsoDate, isIsoTimestamp } from './dates.js';
import type { EdxmlPackage, StatusMessage } from './model.js';
import { problem, type Problem } from './problem.js';
import { isStatusCode } from './status-codes.js';

export const CLASSIFICATIONS = ['none', 'confidential', 'secret', 'top_secret'] as const;
/** Độ mật: none, Mật, Tối mật, Tuyệt mật. */
export type Classification = (typeof CLASSIFICATIONS)[number];

const HEADER = '/edXML/edXMLEnvelope/edXMLHeader';
const MESSAGE = `${HEADER}/MessageHeader`;
const STATUS = '/edXMLEnvelope/edXMLHeader/Status';

const at = (base: string, list: readonly unknown[], i: number) => (list.length > 1 ? `${base}[${i + 1}]` : base);

function agencyCode(path: string, code: string, out: Problem[]): void {
  const verdict = validateAgencyCode(code);
  if (!verdict.ok) {
    out.push(
      problem(
        path,
        'agency-code',
        `Mã định danh "${code}" sai: ${verdict.reason.vi}.`,
        `Agency code "${code}" is wrong: ${verdict.reason.en}.`,
      ),
    );
  }
}

function date(path: string, value: string, out: Problem[]): void {
  if (!isIsoDate(value)) out.push(problem(path, 'date', `"${value}" không phải ngày tháng có thật.`, `"${value}" is not a real date.`));
}

function timestamp(path: string, value: string, out: Problem[]): void {
  if (!isIsoTimestamp(value))
    out.push(problem(path, 'date', `"${value}" không phải thời điểm có thật.`, `"${value}" is not a real point in time.`));
}

function repeats(
  path: string,
  values: readonly string[],
  rule: 'document-id-unique' | 'recipient-unique' | 'manifest-matches-attachments',
  what: [string, string],
  out: Problem[],
) {
  const seen = new Set<string>();
  values.forEach((value, i) => {
    if (seen.has(value))
      out.push(problem(at(path, values, i), rule, `${what[0]} "${value}" bị lặp lại.`, `${what[1]} "${value}" is repeated.`));
    seen.add(value);
  });
}

export interface PackageRuleContext {
  /** The classification of the document carried, when the caller knows it (always, when sending). */
  classification?: Classification;
}

export function checkPackage(p: EdxmlPackage, context: PackageRuleContext = {}): Problem[] {
  const out: Problem[] = [];
  if (context.classification && context.classification !== 'none') {
    out.push(
      problem(
        MESSAGE,
        'classified-refused',
        'Văn bản mật không được gửi qua trục liên thông.',
        'Classified documents may not be sent through the hub.',
      ),
    );
  }
  agencyCode(`${MESSAGE}/From/OrganId`, p.from.agencyCode, out);
  p.to.forEach((t, i) => agencyCode(`${at(`${MESSAGE}/To`, p.to, i)}/OrganId`, t.agencyCode, out));
  repeats(
    `${MESSAGE}/To`,
    p.to.map((t) => t.agencyCode),
    'recipient-unique',
    ['Nơi nhận', 'Recipient'],
    out,
  );
  date(`${MESSAGE}/PromulgationInfo/PromulgationDate`, p.issueDate, out);
  if (p.dueDate !== undefined) date(`${MESSAGE}/DueDate`, p.dueDate, out);
  p.responseFor.forEach((r, i) => {
    const path = at(`${MESSAGE}/ResponseFor`, p.responseFor, i);
    agencyCode(`${path}/OrganId`, r.agencyCode, out);
    date(`${path}/PromulgationDate`, r.issueDate, out);
    if (p.documentId !== undefined && r.documentId === p.documentId) {
      out.push(
        problem(`${path}/DocumentId`, 'document-id-unique', 'Văn bản không thể trả lời chính nó.', 'A document cannot answer itself.'),
      );
    }
  });
  repeats(
    `${MESSAGE}/ResponseFor`,
    p.responseFor.map((r) => r.documentId),
    'document-id-unique',
    ['Văn bản được trả lời', 'Answered document'],
    out,
  );
  p.traces.forEach((t, i) => {
    const path = at(`${HEADER}/TraceHeaderList/TraceHeader`, p.traces, i);
    agencyCode(`${path}/OrganId`, t.agencyCode, out);
    timestamp(`${path}/Timestamp`, t.at, out);
  });
  const business = p.business;
  if (business) {
    const path = `${HEADER}/TraceHeaderList/Bussiness`;
    if (business.kind !== 'new' && !business.reason?.trim()) {
      out.push(
        problem(
          `${path}/BussinessDocReason`,
          'business-reason-required',
          'Thu hồi, cập nhật hay thay thế phải nêu lý do.',
          'A recall, amendment or replacement must give its reason.',
        ),
      );
    }
    business.documentInfo?.receivers.forEach((r, i, all) =>
      agencyCode(`${at(`${path}/BussinessDocumentInfo/ReceiverList/Receiver`, all, i)}/OrganId`, r.agencyCode, out),
    );
    const replacements = business.replacements ?? [];
    replacements.forEach((r, i) => {
      const base = at(`${path}/ReplacementInfoList/ReplacementInfo`, replacements, i);
      r.agencyCodes.forEach((code, j) => agencyCode(`${at(`${base}/OrganIdList/OrganId`, r.agencyCodes, j)}`, code, out));
    });
    repeats(
      `${path}/ReplacementInfoList/ReplacementInfo`,
      replacements.map((r) => r.documentId),
      'document-id-unique',
      ['Văn bản bị thay thế', 'Replaced document'],
      out,
    );
  }
  checkManifest(p, out);
  return out;
}

function checkManifest(p: EdxmlPackage, out: Problem[]): void {
  const references = `/edXML/edXMLEnvelope/edXMLBody/edXMLManifest/Reference`;
  const attachments = `/edXML/AttachmentEncoded/Attachment`;
  repeats(
    references,
    p.manifest.map((r) => r.contentId),
    'manifest-matches-attachments',
    ['ContentId', 'ContentId'],
    out,
  );
  repeats(
    attachments,
    p.attachments.map((a) => a.contentId),
    'manifest-matches-attachments',
    ['ContentId', 'ContentId'],
    out,
  );
  const attached = new Set(p.attachments.map((a) => a.contentId));
  const listed = new Set(p.manifest.map((r) => r.contentId));
  p.manifest.forEach((r, i) => {
    if (!attached.has(r.contentId)) {
      out.push(
        problem(
          `${at(references, p.manifest, i)}/ContentId`,
          'manifest-matches-attachments',
          `Danh mục nêu tệp "${r.contentId}" nhưng gói tin không đính kèm tệp đó.`,
          `The manifest lists "${r.contentId}" but no attachment has that id.`,
        ),
      );
    }
  });
  p.attachments.forEach((a, i) => {
    if (!listed.has(a.contentId)) {
      out.push(
        problem(
          `${at(attachments, p.attachments, i)}/ContentId`,
          'manifest-matches-attachments',
          `Tệp đính kèm "${a.contentId}" không có trong danh mục.`,
          `Attachment "${a.contentId}" is not in the manifest.`,
        ),
      );
    }
  });
}

export function checkStatus(s: StatusMessage): Problem[] {
  const out: Problem[] = [];
  if (!isStatusCode(s.status)) {
    out.push(
      problem(
        `${STATUS}/StatusCode`,
        'status-code-known',
        `Mã trạng thái "${s.status}" không có trong QCVN 102:2016.`,
        `Status code "${s.status}" is not one of QCVN 102:2016.`,
      ),
    );
  }
  agencyCode(`${STATUS}/From/OrganId`, s.from.agencyCode, out);
  agencyCode(`${STATUS}/ResponseFor/OrganId`, s.responseFor.agencyCode, out);
  date(`${STATUS}/ResponseFor/PromulgationDate`, s.responseFor.issueDate, out);
  timestamp(`${STATUS}/Timestamp`, s.at, out);
  return out;
}
