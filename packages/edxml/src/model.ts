/**
 * The edXML package and status message as the rest of vanban sees them: glossary names,
 * ISO dates. Wire names (QCVN 102:2016) appear only in the reader and the writer; each field
 * says which element it comes from. An optional field is absent when its element is, and
 * an empty string when the element is present but empty, so that reading what was written
 * gives back the same model.
 */
import type { StatusCode } from './status-codes.js';

/** `From`, `To`, status `From`. */
export interface Organization {
  /** OrganId */
  agencyCode: string;
  /** OrganizationInCharge: the body the agency reports to */
  organizationInCharge?: string;
  /** OrganName */
  name?: string;
  /** OrganAdd */
  address?: string;
  email?: string;
  telephone?: string;
  fax?: string;
  website?: string;
}

/** Priority 0–4; `express_scheduled` (4, Hỏa tốc hẹn giờ) is handled as express. */
export const URGENCIES = ['normal', 'urgent', 'very_urgent', 'express', 'express_scheduled'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** BussinessDocType 0–3. */
export const BUSINESS_KINDS = ['new', 'recall', 'amend', 'replace'] as const;
export type BusinessKind = (typeof BUSINESS_KINDS)[number];

/** `ResponseFor`: the document this one answers. */
export interface ResponseFor {
  /** OrganId */
  agencyCode: string;
  /** Code: number and notation as written, e.g. `125/UBND-VP` */
  code: string;
  /** PromulgationDate, ISO `yyyy-mm-dd` */
  issueDate: string;
  documentId: string;
}

/** `StaffInfo`: who handled it at the sender or the recipient. */
export interface Staff {
  department?: string;
  /** Staff */
  name?: string;
  email?: string;
  mobile?: string;
}

/** `TraceHeader`: one hop of the package's path. */
export interface Trace {
  /** OrganId */
  agencyCode: string;
  /** Timestamp, ISO local time `yyyy-mm-ddTHH:mm:ss` (Vietnam time, as written on the wire) */
  at: string;
}

/** `Bussiness` (one s too many on the wire). */
export interface Business {
  /** BussinessDocType */
  kind: BusinessKind;
  /** BussinessDocReason */
  reason?: string;
  /** DocumentId: the document recalled, amended or replaced */
  documentId?: string;
  /** Paper: 1 when a paper copy follows */
  paperCopyFollows?: boolean;
  /** StaffInfo */
  staff?: Staff;
  /** BussinessDocumentInfo */
  documentInfo?: BusinessDocumentInfo;
  /** ReplacementInfoList/ReplacementInfo */
  replacements?: Replacement[];
}

export interface BusinessDocumentInfo {
  /** DocumentInfo: which metadata an amendment changes */
  documentInfo?: string;
  /** DocumentReceiver: whether the recipients change */
  documentReceiver?: string;
  /** ReceiverList/Receiver */
  receivers: { receiverType: string; agencyCode: string }[];
}

export interface Replacement {
  documentId: string;
  /** OrganIdList/OrganId */
  agencyCodes: string[];
}

/** `Signature` under `edXMLHeader`. */
export type PackageSignature =
  | { kind: 'none' }
  /** The form real vendors send: no XML-DSig namespace, a placeholder value; kept as written (normalised XML). */
  | { kind: 'placeholder'; xml: string }
  /** A namespaced XML-DSig signature (normalised XML). */
  | { kind: 'xmldsig'; xml: string };

/** `edXMLManifest/Reference`. */
export interface ManifestReference {
  contentId: string;
  contentType: string;
  /** AttachmentName */
  name: string;
  description?: string;
}

/** What the reader learnt of one `Attachment`, computed while its base64 streamed past. */
export interface AttachmentDigest {
  contentId: string;
  size: number;
  sha256: string;
  /** What the first bytes say the file is, whatever the manifest claims. */
  sniffed: 'pdf' | 'zip' | 'other';
}

export interface EdxmlPackage {
  from: Organization;
  /** To (1..n) */
  to: Organization[];
  documentId?: string;
  /** Code/CodeNumber */
  number: string;
  /** Code/CodeNotation */
  notation: string;
  /** PromulgationInfo/Place */
  issuePlace?: string;
  /** PromulgationInfo/PromulgationDate, ISO `yyyy-mm-dd` */
  issueDate: string;
  /** DocumentType/Type */
  documentTypeCode?: string;
  /** DocumentType/TypeDetail */
  documentTypeDetail?: string;
  /** DocumentType/TypeName: the one to rely on */
  documentTypeName: string;
  subject: string;
  content?: string;
  /** SignerInfo */
  signer?: { competence?: string; position?: string; fullName?: string };
  /** DueDate, ISO `yyyy-mm-dd` */
  dueDate?: string;
  /** ToPlaces/Place: recipients written out, as on the paper */
  recipientsText?: string[];
  /** OtherInfo */
  urgency: Urgency;
  sphereOfPromulgation?: string;
  /** TyperNotation: the typist's initials and copy count */
  typistNotation?: string;
  /** PromulgationAmount */
  copies?: number;
  /** PageAmount */
  pages?: number;
  /** Appendixes/Appendix */
  appendixes?: string[];
  responseFor: ResponseFor[];
  steeringType?: string;
  traces: Trace[];
  business?: Business;
  signature: PackageSignature;
  manifest: ManifestReference[];
  attachments: AttachmentDigest[];
}

export interface StatusMessage {
  responseFor: ResponseFor;
  from: Organization;
  status: StatusCode;
  description?: string;
  /** Timestamp, ISO local time `yyyy-mm-ddTHH:mm:ss` */
  at: string;
  staff?: Staff;
}
